"""RSS and Atom, through feedparser on bytes.

feedparser is lenient (it salvages ill-formed feeds) and detects encodings. It is given bytes
with the DOCTYPE removed, never a URL or a path: feedparser 6 would open a local file or
`file://` URL if given one.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any

import feedparser

from alaune.errors import ParseError
from alaune.model import FeedItem
from alaune.parse.limits import (
    MAX_AUTHOR,
    MAX_ITEMS,
    MAX_SUMMARY,
    MAX_TITLE,
    clamp_date,
    clip,
    strip_doctype,
)
from alaune.text.urls import absolute_http_url


def parse_feed(data: bytes, *, base_url: str, now: datetime) -> list[FeedItem]:
    parsed = feedparser.parse(strip_doctype(data), response_headers={"content-location": base_url})
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        raise ParseError(f"not a feed: {_reason(parsed)}")
    items = []
    for entry in parsed.entries[:MAX_ITEMS]:
        item = _item(entry, base_url=base_url, now=now)
        if item is not None:
            items.append(item)
    return items


def _reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    return str(exc)[:200] if exc else "no feed elements found"


def _item(entry: Any, *, base_url: str, now: datetime) -> FeedItem | None:
    url = absolute_http_url(entry.get("link", ""), base_url)
    if url is None:
        return None
    return FeedItem(
        url=url,
        title=clip(entry.get("title"), MAX_TITLE),
        summary=clip(entry.get("summary"), MAX_SUMMARY),
        published=clamp_date(_date(entry), now=now),
        guid=clip(entry.get("id"), 2048),
        author=clip(entry.get("author"), MAX_AUTHOR),
        image_url=_image(entry, base_url) or "",
        section=clip(entry.get("tags", [{}])[0].get("term") if entry.get("tags") else "", 200),
    )


def _date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        # dict.get skips feedparser's deprecated updated→published key aliasing (it warns).
        value = dict.get(entry, key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                return None
    return None


def _image(entry: Any, base_url: str) -> str | None:
    candidates = [m.get("url", "") for m in entry.get("media_content", [])]
    candidates += [m.get("url", "") for m in entry.get("media_thumbnail", [])]
    candidates += [
        link.get("href", "")
        for link in entry.get("links", [])
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/")
    ]
    for candidate in candidates:
        url = absolute_http_url(candidate, base_url)
        if url:
            return url
    return None
