"""RSS 0.9x/1.0/2.0 and Atom 0.3/1.0: the backend's entries copied into `RawItem`s.

Only reading happens here; every check and cleaning step is `items.finish`, shared with the
other formats: this module must not clean, cap or trust a value itself (it only marks Atom's
plain-text summaries as text). Values are read with `_get`, which never triggers feedparser's
deprecated `updated`→`published` key aliasing (it warns, and would blur which date was given).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from alaune.parse import backend
from alaune.parse.charset import MARK
from alaune.parse.items import Context, RawItem, finish, plain
from alaune.parse.limits import (
    MAX_CATEGORIES,
    MAX_ITEMS,
    MAX_TITLE,
    first_entries,
    repair_entities,
    strip_doctype,
)
from alaune.parse.result import ListingError, ParsedFeed, ParsedItem, Rejected
from alaune.text.sanitize import text_to_html
from alaune.text.urls import absolute_http_url

_IMAGE_PATH = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:$|\?)", re.IGNORECASE)
# "a@b.ma (Name)" (RSS), "Name (a@b.ma)" (feedparser's Atom author), "Name <a@b.ma>".
_ENTRY_STRINGS = ("link", "title", "id", "published", "updated", "summary")
_NAME_IN_AUTHOR = re.compile(
    r"^\s*(?:\S+@\S+\s*\((.+)\)|(.+?)\s*\(\S+@\S+\)|(.+?)\s*<\S+@\S+>)\s*$"
)


def parse_feed(document: bytes, *, fmt: str, ctx: Context, backend_name: str = "") -> ParsedFeed:
    """Items of an RSS, RDF or Atom document (UTF-8 bytes). Raises ListingError."""
    parsed = backend.run(
        repair_entities(strip_doctype(first_entries(document))),
        base_url=ctx.base_url,
        xml_base=fmt == "atom",
        backend=backend_name,
    )
    if not parsed.entries and not parsed.get("version"):
        raise ListingError("not_a_feed", f"not a feed: {_reason(parsed)}")
    meta = parsed.get("feed") or {}
    link = absolute_http_url(_get(meta, "link"), ctx.base_url) or ""
    if not ctx.base_url and link:
        # Without the URL it came from (parse-feed on a file), the feed's own link is the base.
        ctx = Context(base_url=link, now=ctx.now, damaged=ctx.damaged)
    # Atom entries without an author inherit the feed's (RFC 4287 §4.2.1).
    inherited = _author(meta) if fmt == "atom" else ""
    items: list[ParsedItem] = []
    rejected: list[Rejected] = []
    for entry in parsed.entries[:MAX_ITEMS]:
        raw = _raw(entry, atom=fmt == "atom")
        raw.author = raw.author or inherited
        result = finish(raw, ctx)
        if isinstance(result, ParsedItem):
            items.append(result)
        elif isinstance(result, Rejected):
            rejected.append(result)
    return ParsedFeed(
        format=fmt,
        title=plain(_get(meta, "title").replace(MARK, ""), MAX_TITLE),
        link=link,
        items=tuple(items),
        rejected=tuple(rejected),
    )


def _reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    return str(exc)[:200] if exc else "no feed elements found"


def _raw(entry: Any, *, atom: bool) -> RawItem:
    # One bound reader and one pass over the string fields: the same reads as `_get` each.
    get = functools.partial(dict.get, entry) if isinstance(entry, dict) else entry.get
    link, title, guid, published, updated, summary = [
        value if isinstance(value, str) else "" for value in map(get, _ENTRY_STRINGS)
    ]
    return RawItem(
        link=link or _alternate(entry),
        title=title,
        guid=guid,
        published=published,
        updated=updated,
        author=_author(entry),
        # Only Atom has plain-text constructs; RSS descriptions are HTML, by use if not by spec.
        summary=_html(get("summary_detail"), summary) if atom else summary,
        content=_content(entry),
        categories=_categories(entry),
        images=_images(entry),
    )


def _get(obj: Any, key: str) -> str:
    """A string field of a feedparser or feedparser-rs object; "" when absent or not a string."""
    if obj is None:
        return ""
    # dict.get skips feedparser's deprecated key aliasing (FeedParserDict is a dict subclass).
    value = dict.get(obj, key) if isinstance(obj, dict) else obj.get(key)
    return value if isinstance(value, str) else ""


def _alternate(entry: Any) -> str:
    for link in entry.get("links") or ():
        href = _get(link, "href")
        if href and _get(link, "rel") in ("", "alternate"):
            return href
    return ""


def _author(entry: Any) -> str:
    """The author's name. The raw string is read first: feedparser mis-splits RSS's
    "email (Name)" when the domain is unusual ("a@b.example (Name)" gives "ple (Name")."""
    author = _get(entry, "author")
    # Each form of _NAME_IN_AUTHOR has an "@": without one, the match would fail.
    match = _NAME_IN_AUTHOR.match(author) if "@" in author else None
    if match:
        return next(group for group in match.groups() if group)
    if author:
        return author
    for person in entry.get("authors") or ():
        name = _get(person, "name")
        if name:
            return name
    return ""


def _html(detail: Any, value: str) -> str:
    """A text construct as HTML: plain-text ones (Atom type="text") are escaped, not parsed."""
    if value and _get(detail, "type") == "text/plain":
        return text_to_html(value)
    return value


def _content(entry: Any) -> str:
    for block in entry.get("content") or ():
        value = _get(block, "value")
        if value:
            return _html(block, value)
    return ""


def _categories(entry: Any) -> tuple[str, ...]:
    tags = (entry.get("tags") or [])[: MAX_CATEGORIES * 2]  # a hostile feed may send 100 000
    # The label is the human-readable name ("مجتمع"); the term may be a slug ("societe").
    return tuple([_get(t, "label") or _get(t, "term") for t in tags])


def _images(entry: Any) -> tuple[str, ...]:
    found: list[str] = []
    for media in entry.get("media_content") or ():
        kind = _get(media, "medium") or _get(media, "type")
        url = _get(media, "url")
        if kind.startswith("image") or (kind in ("", "unknown") and _IMAGE_PATH.search(url)):
            found.append(url)
    found += [_get(m, "url") for m in entry.get("media_thumbnail") or ()]
    for enclosure in entry.get("enclosures") or ():
        if _get(enclosure, "type").startswith("image/"):
            found.append(_get(enclosure, "href"))
    return tuple(u for u in found if u)
