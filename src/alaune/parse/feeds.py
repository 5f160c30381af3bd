"""RSS 0.9x/1.0/2.0 and Atom 0.3/1.0: the backend's entries copied into `RawItem`s.

Only reading happens here; every check and cleaning step is `items.finish`, shared with the
other formats: this module must not clean, cap or trust a value itself (it only marks Atom's
plain-text summaries as text). String fields of feedparser's objects (dicts) are read with
`dict.get`, which never triggers feedparser's deprecated `updated`→`published` key aliasing (it
warns, and would blur which date was given); lists with the object's own `get`.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from typing import Any

from alaune.parse import backend
from alaune.parse.charset import MARK
from alaune.parse.items import Context, RawItem, finish, finish_columns, plain
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
_ENTRY_STRINGS = ("link", "title", "id", "published", "updated", "summary")
# All that `_columns` reads of a feedparser-rs entry, in one call: `_ENTRY_STRINGS` and the
# author, then the lists of content blocks, tags, media, thumbnails and enclosures.
_ENTRY_COLUMNS = operator.attrgetter(
    *_ENTRY_STRINGS, "author", "content", "tags", "media_content", "media_thumbnail", "enclosures"
)
_URL = operator.attrgetter("url")
# "a@b.ma (Name)" (RSS), "Name (a@b.ma)" (feedparser's Atom author), "Name <a@b.ma>".
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
    entries = parsed.entries[:MAX_ITEMS]
    items: list[ParsedItem] = []
    rejected: list[Rejected] = []
    if entries and not ctx.damaged and not isinstance(entries[0], dict):
        # feedparser-rs's entries, nothing to reject: read and cleaned field by field.
        items = finish_columns(*_columns(entries, atom=fmt == "atom", inherited=inherited), ctx)
    else:
        for entry in entries:
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
    field = _field_reader(entry)
    # One bound reader and one pass over the string fields: the same reads as `_get` each.
    get = functools.partial(dict.get, entry) if field is _dict_field else entry.get
    link, title, guid, published, updated, summary = [
        value if isinstance(value, str) else "" for value in map(get, _ENTRY_STRINGS)
    ]
    return RawItem(  # positional, in field order (once per entry: see `items.finish`)
        link or _alternate(entry, field),
        title,
        guid,
        published,
        updated,
        _author_of(entry, field),
        # Only Atom has plain-text constructs; RSS descriptions are HTML, by use if not by spec.
        _html(get("summary_detail"), summary) if atom else summary,
        _content(entry, field),
        _categories(entry, field),
        _images(entry, field),
    )


#: `_columns`: links, titles, guids, published, updated, authors, summaries, contents (strings),
#: then categories and images (tuples of strings), one value per entry in each.
Columns = tuple[
    list[str], list[str], list[str], list[str], list[str], list[str], list[str], list[str],
    list[tuple[str, ...]], list[tuple[str, ...]],
]  # fmt: skip


def _columns(entries: Any, *, atom: bool, inherited: str) -> Columns:
    """The fields `_raw` reads, for all `entries` (feedparser-rs objects, not dicts), one list
    per `RawItem` field up to `images`, with `author` defaulting to `inherited`: the arguments
    of `items.finish_columns` but its `ctx`. Each list holds what `_raw` gives that field."""
    field = _object_field
    if not entries:
        return [], [], [], [], [], [], [], [], [], []
    # Attributes, not `get`: feedparser-rs's `get(key)` reads the same attribute (pinned in
    # tests/parse/test_column_fast_paths.py) through a slower call. One attrgetter call per
    # entry reads all its fields, and zip turns the rows into columns.
    columns = list(zip(*map(_ENTRY_COLUMNS, entries), strict=True))
    links, titles, guids, published, updated, summaries, authors = map(_strings, columns[:7])
    blocks, tags, media, thumbnails, enclosures = columns[7:]
    if not all(links):
        links = [
            link or _alternate(entry, field) for link, entry in zip(links, entries, strict=True)
        ]
    # `_author_of` gives a name without "@" as it is; the others are read one by one.
    if not all(authors) or "@" in "".join(authors):
        authors = [_author_of(entry, field) for entry in entries]
    if inherited:
        authors = [author or inherited for author in authors]
    if atom:
        summaries = [
            _html(entry.summary_detail, summary)
            for entry, summary in zip(entries, summaries, strict=True)
        ]
    # Without content blocks, `_content` gives "": only read entry by entry when some has one.
    contents = [_content(entry, field) for entry in entries] if any(blocks) else [""] * len(entries)
    categories = list(map(_object_categories, tags))
    images = list(map(_object_images, media, thumbnails, enclosures))
    return (
        links, titles, guids, published, updated, authors, summaries, contents, categories,
        images,
    )  # fmt: skip


def _strings(values: tuple[Any, ...]) -> list[str]:
    """Each value, or "" when it is not a string (as `_object_field` reads it)."""
    if set(map(type, values)) <= {str}:
        return list(values)
    return [value if isinstance(value, str) else "" for value in values]


#: Reads a string field of an object; "" when absent or not a string.
Field = Callable[[Any, str], str]


def _field_reader(obj: Any) -> Field:
    """How to read the string fields of `obj` and of the objects inside it, chosen once per
    entry instead of once per field (`_get` asks each time): feedparser's objects are dicts,
    feedparser-rs's are not, and each document comes from one of them."""
    return _dict_field if isinstance(obj, dict) else _object_field


def _dict_field(obj: Any, key: str) -> str:
    # dict.get skips feedparser's deprecated key aliasing (FeedParserDict is a dict subclass).
    value = dict.get(obj, key)
    return value if isinstance(value, str) else ""


def _object_field(obj: Any, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _get(obj: Any, key: str) -> str:
    """A string field of a feedparser or feedparser-rs object, or of None; "" when absent or
    not a string."""
    return "" if obj is None else _field_reader(obj)(obj, key)


# Lists are read with the object's own `get`: feedparser computes some ("enclosures") from
# others ("links"), which dict.get would not see.


def _alternate(entry: Any, field: Field) -> str:
    for link in entry.get("links") or ():
        href = field(link, "href")
        if href and field(link, "rel") in ("", "alternate"):
            return href
    return ""


def _author(obj: Any) -> str:
    """The author's name of an entry or a feed (see `_author_of`)."""
    return _author_of(obj, _field_reader(obj))


def _author_of(entry: Any, field: Field) -> str:
    """The author's name. The raw string is read first: feedparser mis-splits RSS's
    "email (Name)" when the domain is unusual ("a@b.example (Name)" gives "ple (Name")."""
    author = field(entry, "author")
    # Each form of _NAME_IN_AUTHOR has an "@": without one, the match would fail.
    match = _NAME_IN_AUTHOR.match(author) if "@" in author else None
    if match:
        return next(group for group in match.groups() if group)
    if author:
        return author
    for person in entry.get("authors") or ():
        name = field(person, "name")
        if name:
            return name
    return ""


def _html(detail: Any, value: str) -> str:
    """A text construct as HTML: plain-text ones (Atom type="text") are escaped, not parsed."""
    if value and _get(detail, "type") == "text/plain":
        return text_to_html(value)
    return value


def _content(entry: Any, field: Field) -> str:
    for block in entry.get("content") or ():
        value = field(block, "value")
        if value:
            return _html(block, value)
    return ""


def _categories(entry: Any, field: Field) -> tuple[str, ...]:
    tags = (entry.get("tags") or [])[: MAX_CATEGORIES * 2]  # a hostile feed may send 100 000
    # The label is the human-readable name ("مجتمع"); the term may be a slug ("societe").
    return tuple([field(t, "label") or field(t, "term") for t in tags])


def _images(entry: Any, field: Field) -> tuple[str, ...]:
    found: list[str] = []
    for media in entry.get("media_content") or ():
        kind = field(media, "medium") or field(media, "type")
        url = field(media, "url")
        if kind.startswith("image") or (kind in ("", "unknown") and _IMAGE_PATH.search(url)):
            found.append(url)
    found += [field(m, "url") for m in entry.get("media_thumbnail") or ()]
    for enclosure in entry.get("enclosures") or ():
        if field(enclosure, "type").startswith("image/"):
            found.append(field(enclosure, "href"))
    return tuple([u for u in found if u])


# `_categories` and `_images` for feedparser-rs's objects, given the lists `_columns` read
# from an entry, with `_object_field`'s reads inlined (a call per read was a third of their
# time) and made as attribute reads (feedparser-rs's `get` reads the same attribute, slower).
# Pinned against them in tests/parse/test_column_fast_paths.py.


def _object_categories(tags: Any) -> tuple[str, ...]:
    """`_categories` of the entry whose `tags` these are."""
    if not tags:
        return ()
    labels: list[str] = []
    for tag in tags[: MAX_CATEGORIES * 2]:
        label = tag.label
        if not label or not isinstance(label, str):
            label = tag.term
            if not isinstance(label, str):
                label = ""
        labels.append(label)
    return tuple(labels)


def _object_images(contents: Any, thumbnails: Any, enclosures: Any) -> tuple[str, ...]:
    """`_images` of the entry whose `media_content`, `media_thumbnail` and `enclosures` these
    are."""
    if not (contents or thumbnails or enclosures):
        return ()
    found: list[str] = []
    for media in contents or ():
        kind = media.medium
        if not kind or not isinstance(kind, str):
            kind = media.type
            if not isinstance(kind, str):
                kind = ""
        url = media.url
        if not isinstance(url, str):
            url = ""
        if kind.startswith("image") or (kind in ("", "unknown") and _IMAGE_PATH.search(url)):
            found.append(url)
    if thumbnails:
        found += [url for url in map(_URL, thumbnails) if isinstance(url, str)]
    if enclosures:
        for enclosure in enclosures:
            kind = enclosure.type
            if isinstance(kind, str) and kind.startswith("image/"):
                found.append(_object_field(enclosure, "href"))
    return tuple(filter(None, found))  # the non-empty URLs, as `_images` keeps them
