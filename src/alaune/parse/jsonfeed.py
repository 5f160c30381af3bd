"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/), which feedparser does not read.

Entries become the same `RawItem`s as RSS and Atom, so they go through the same checks (C6).
`summary` and `content_text` are plain text in the spec: they are escaped into HTML, never parsed
as markup. Titles, names and tags become plain text like every format's (`items.plain`). JSON is
UTF-8 by RFC 8259; the caller has already decoded it. Like `feeds`, this module only copies
values out: it must not clean them.
"""

from __future__ import annotations

import json
from typing import Any

from alaune.parse.charset import MARK
from alaune.parse.items import Context, RawItem, finish, plain
from alaune.parse.limits import MAX_CATEGORIES, MAX_ITEMS, MAX_TITLE
from alaune.parse.result import ListingError, ParsedFeed, ParsedItem, Rejected
from alaune.text.sanitize import text_to_html
from alaune.text.urls import absolute_http_url


def parse_jsonfeed(text: str, *, ctx: Context) -> ParsedFeed:
    """Items of a JSON Feed document. Raises ListingError ("invalid JSON feed: …")."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        # RecursionError: 100 000 nested arrays exhaust the decoder's stack, and nothing else.
        raise ListingError("parse_error", f"invalid JSON feed: {str(exc)[:200]}") from None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise ListingError("parse_error", "invalid JSON feed: no list of items")
    link = absolute_http_url(_text(document.get("home_page_url")), ctx.base_url) or ""
    if not ctx.base_url:
        base = _text(document.get("feed_url")) or link
        ctx = Context(base_url=base, now=ctx.now, damaged=ctx.damaged)
    items: list[ParsedItem] = []
    rejected: list[Rejected] = []
    for entry in document["items"][:MAX_ITEMS]:
        result = finish(_raw(entry), ctx) if isinstance(entry, dict) else None
        if isinstance(result, ParsedItem):
            items.append(result)
        elif isinstance(result, Rejected):
            rejected.append(result)
    return ParsedFeed(
        format="jsonfeed",
        title=plain(_text(document.get("title")).replace(MARK, ""), MAX_TITLE),
        link=link,
        items=tuple(items),
        rejected=tuple(rejected),
    )


def _raw(entry: dict[str, Any]) -> RawItem:
    summary = _text(entry.get("summary"))
    content = _text(entry.get("content_html")) or text_to_html(_text(entry.get("content_text")))
    tags = _list(entry.get("tags"))
    return RawItem(
        # A linkblog entry points elsewhere (external_url) only when it has no page of its own.
        link=_text(entry.get("url")) or _text(entry.get("external_url")),
        title=_text(entry.get("title")),
        guid=_text(entry.get("id")) or _number(entry.get("id")),
        published=_text(entry.get("date_published")),
        updated=_text(entry.get("date_modified")),
        author=_author(entry),
        summary=text_to_html(summary) if summary else "",
        content=content,
        categories=tuple(_text(t) for t in tags[: MAX_CATEGORIES * 2]),
        images=(_text(entry.get("image")), _text(entry.get("banner_image"))),
    )


def _author(entry: dict[str, Any]) -> str:
    # 1.1 has "authors" (a list); 1.0 had "author" (one object).
    for person in [*_list(entry.get("authors")), entry.get("author")]:
        if isinstance(person, dict) and _text(person.get("name")):
            return _text(person.get("name"))
    return ""


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _number(value: object) -> str:
    # Version 1.0 feeds in the wild send numeric ids although the spec says string.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else ""
