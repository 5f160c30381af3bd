"""Reading the few response header fields the fetcher acts on.

Pure functions over header values: merging raw fields into a dict, Content-Type's media type and
charset, Content-Length, and Retry-After (RFC 9110 §10.2.3). No I/O; the current time is an
argument. This module must not decide policy (clamping a retry delay belongs to the scheduler).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_DELTA_SECONDS = re.compile(r"^[0-9]+$")


def header_dict(fields: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Header fields as a dict keyed by lower-case name.

    RFC 9110 §5.3: repeated fields are combined into one value separated by commas. Values are
    decoded as ISO-8859-1, which maps every byte to one character and so never fails.
    """
    merged: dict[str, str] = {}
    for raw_name, raw_value in fields:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1").strip()
        merged[name] = f"{merged[name]}, {value}" if name in merged else value
    return merged


def media_type(content_type: str | None) -> str:
    """`text/html; charset=UTF-8` → `text/html`; empty when there is none."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type value, lower-cased, or None (RFC 9110 §8.3.2)."""
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            value = value.strip().strip('"').strip().lower()
            return value or None
    return None


def content_length(value: str | None) -> int | None:
    """The declared body length, or None when absent or unreadable (the framing layer rejects
    malformed values before we see them)."""
    if value is None:
        return None
    first = value.split(",", 1)[0].strip()
    return int(first) if _DELTA_SECONDS.match(first) else None


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a Retry-After value, or None when absent or unreadable.

    RFC 9110 §10.2.3: either delta-seconds (`1*DIGIT`, so `-5` and `1.5` are unreadable) or an
    HTTP-date. A date in the past means "now" (0), never a negative delay. The value is not
    clamped to a maximum: that is the scheduler's policy, not the protocol's.
    """
    if value is None:
        return None
    text = value.strip()
    if _DELTA_SECONDS.match(text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # asctime dates carry no zone; HTTP dates are always GMT
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
