"""Opaque pagination cursors: URL-safe base64 of a small JSON object, checked on the way in.

Clients pass back `next_cursor` unchanged; anything else (edited, truncated, from another
listing) is a 400 with a message, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any

from fastapi import HTTPException

MAX_CURSOR_LENGTH = 200
MAX_OFFSET = 10_000


def encode(**values: Any) -> str:
    raw = json.dumps(values, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None, kind: str) -> dict[str, Any]:
    """The cursor's values, checked to be of `kind`; {} for no cursor."""
    if not cursor:
        return {}
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("too long")
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, dict) or values.get("k") != kind:
            raise ValueError("not a cursor of this listing")
        return values
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"invalid cursor: {exc}") from None


def offset_of(values: dict[str, Any]) -> int:
    offset = values.get("o", 0)
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= MAX_OFFSET:
        raise HTTPException(400, "invalid cursor: bad offset")
    return offset


def keyset_of(values: dict[str, Any]) -> tuple[datetime, int] | None:
    """(published_at, id) of the last article of the previous page, or None."""
    if "t" not in values:
        return None
    at, last = values.get("t"), values.get("i")
    if not isinstance(at, str) or not isinstance(last, int) or isinstance(last, bool):
        raise HTTPException(400, "invalid cursor: bad position")
    try:
        parsed = datetime.fromisoformat(at)
    except ValueError:
        raise HTTPException(400, "invalid cursor: bad date") from None
    if parsed.tzinfo is None or not 0 < last < 2**31 or not 1970 <= parsed.year < 2200:
        raise HTTPException(400, "invalid cursor: out of range")
    return parsed.astimezone(UTC), last


def id_of(values: dict[str, Any]) -> int | None:
    if "b" not in values:
        return None
    below = values["b"]
    if not isinstance(below, int) or isinstance(below, bool) or not 0 < below < 2**31:
        raise HTTPException(400, "invalid cursor: bad position")
    return below
