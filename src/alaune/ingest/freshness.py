"""How long a feed response says it stays current: Cache-Control, Expires and RSS `<ttl>`.

Pure functions over header values and the first bytes of a body; `now` is an argument. The
result is a *floor* for the scheduler (`schedule.Outcome.fresh_for`): polling again before it
would only fetch the same answer. Headers follow RFC 9111 §4.2.1 (max-age over Expires, minus
Age); `<ttl>` is RSS 2.0's "minutes the channel can be cached". This module must not decide
when to poll (that is `schedule`) nor parse a feed beyond finding `<ttl>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

#: Where `<ttl>` is looked for: RSS puts it among the channel's elements, before the items.
TTL_WINDOW = 64 * 1024
_TTL = re.compile(rb"<ttl>\s*([0-9]{1,7})\s*</ttl>", re.IGNORECASE)
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?([0-9]+)\"?\s*(?:,|$)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(no-store|no-cache)\b", re.IGNORECASE)


def cache_lifetime(headers: Mapping[str, str], *, now: datetime) -> float | None:
    """Seconds the response stays fresh by its headers, or None when they say nothing usable.

    RFC 9111 §5.2.2: `no-store`/`no-cache` give no lifetime; `max-age` wins over `Expires`
    (§5.3), and an Expires that cannot be read means "already expired" (None here); the
    response's age (§5.1 Age) is subtracted.
    """
    control = headers.get("cache-control", "")
    if _NO_CACHE.search(control):
        return None
    age = _seconds(headers.get("age")) or 0.0
    found = _MAX_AGE.search(control)
    if found:
        return max(0.0, float(found.group(1)) - age) or None
    expires = _date(headers.get("expires"))
    if expires is None:
        return None
    date = _date(headers.get("date")) or now  # §4.2.1: Expires minus Date, else minus now
    lifetime = (expires - date).total_seconds() - age
    return lifetime if lifetime > 0 else None


def rss_ttl(body: bytes) -> float | None:
    """The channel's `<ttl>` in seconds (the element counts minutes), or None."""
    found = _TTL.search(body[:TTL_WINDOW])
    return float(found.group(1)) * 60 if found and int(found.group(1)) > 0 else None


def fresh_for(headers: Mapping[str, str], body: bytes, *, now: datetime) -> float | None:
    """The longest lifetime the headers or the feed declare."""
    hints = [h for h in (cache_lifetime(headers, now=now), rss_ttl(body)) if h is not None]
    return max(hints) if hints else None


def _seconds(value: str | None) -> float | None:
    text = (value or "").split(",", 1)[0].strip()
    return float(text) if text.isdigit() else None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
