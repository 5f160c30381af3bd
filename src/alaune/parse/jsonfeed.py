"""JSON Feed 1.0/1.1 (https://www.jsonfeed.org/version/1.1/), which feedparser does not read.

Items come out as the same `FeedItem`s as RSS and Atom, so they go through the same checks (C6).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from alaune.errors import ParseError
from alaune.model import FeedItem
from alaune.parse.limits import MAX_AUTHOR, MAX_ITEMS, MAX_SUMMARY, MAX_TITLE, clamp_date, clip
from alaune.text.urls import absolute_http_url


def parse_jsonfeed(data: bytes, *, base_url: str, now: datetime) -> list[FeedItem]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ParseError(f"invalid JSON feed: {str(exc)[:200]}") from None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise ParseError("invalid JSON feed: no list of items")
    items = []
    for raw in document["items"][:MAX_ITEMS]:
        item = _item(raw, base_url=base_url, now=now) if isinstance(raw, dict) else None
        if item is not None:
            items.append(item)
    return items


def _item(raw: dict[str, Any], *, base_url: str, now: datetime) -> FeedItem | None:
    url = absolute_http_url(_text(raw.get("url")), base_url)
    if url is None:
        return None
    authors = raw.get("authors") if isinstance(raw.get("authors"), list) else []
    author = raw.get("author") or (authors[0] if authors else {})
    tags = raw.get("tags") if isinstance(raw.get("tags"), list) else []
    return FeedItem(
        url=url,
        title=clip(_text(raw.get("title")), MAX_TITLE),
        summary=clip(_text(raw.get("summary")) or _text(raw.get("content_text")), MAX_SUMMARY),
        published=clamp_date(_date(raw.get("date_published")), now=now),
        guid=clip(_text(raw.get("id")), 2048),
        author=clip(_text(author.get("name")) if isinstance(author, dict) else "", MAX_AUTHOR),
        image_url=absolute_http_url(_text(raw.get("image")), base_url) or "",
        section=clip(_text(tags[0]) if tags else "", 200),
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
