"""Caps shared by every parser, and the helpers that apply them (SECURITY.md C5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

MAX_ITEMS = 2000
MAX_TITLE = 1000
MAX_SUMMARY = 20_000
MAX_AUTHOR = 300
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.IGNORECASE | re.DOTALL)
_ENTITY = re.compile(rb"<!ENTITY[^>]*>", re.IGNORECASE | re.DOTALL)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def strip_doctype(data: bytes) -> bytes:
    """Remove DOCTYPE declarations and entity definitions before any XML parser sees them.

    Billion-laughs and external entities cannot expand if they were never declared (C1, C2);
    CommaFeed does the same. Old RSS 0.91 feeds name a DTD but parse fine without it.
    """
    return _ENTITY.sub(b"", _DOCTYPE.sub(b"", data, count=1))


def clip(value: str | None, limit: int) -> str:
    if not value:
        return ""
    return _CONTROL.sub("", value).strip()[:limit]


def clamp_date(value: datetime | None, *, now: datetime) -> datetime | None:
    """Dates from the future are clamped to `now`; absurd ones are dropped (C5)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if value.year < 1995:
        return None
    return min(value, now)
