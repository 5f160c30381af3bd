"""The one path from a raw entry to a `ParsedItem`, shared by RSS, Atom, JSON Feed, sitemaps and
section pages, so that every format gets the same checks (SECURITY.md C4–C6, D1, D6).

A format module only copies strings out of its document into a `RawItem`; `finish` does the rest:
rejects entries whose text carries undecodable bytes ("encoding error"), keeps only http(s) URLs,
turns titles, authors and categories into plain text, sanitizes summaries and contents with the
one allowlist, reads dates (UTC, clamped to the fetch time), and caps every field.
Pure: no I/O, and no state but the one document's `Context`, which must not be shared between
documents (its `labels` memo is that document's).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from alaune.parse.charset import MARK
from alaune.parse.limits import (
    MAX_AUTHOR,
    MAX_CATEGORIES,
    MAX_CATEGORY,
    MAX_CONTENT,
    MAX_GUID,
    MAX_SUMMARY,
    MAX_TITLE,
    clip,
)
from alaune.parse.result import ParsedItem, Rejected, parsed_item
from alaune.text.dates import parse_date, parse_dates
from alaune.text.sanitize import html_to_text, sanitize_html, sanitize_simple_many
from alaune.text.urls import absolute_http_url, absolute_http_urls

_T = TypeVar("_T")
_U = TypeVar("_U")
MAX_LABELS = 4096  # distinct authors and categories remembered per document
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
# Without a "<", the only markup `html_to_text` reads is an entity or character reference.
_REFERENCE = re.compile(r"&[#A-Za-z]")


@dataclass(slots=True)  # not frozen: built once per entry, and frozen init costs 2 µs more
class RawItem:
    """An entry as its document wrote it: strings, unchecked."""

    link: str = ""
    title: str = ""  # text or HTML; stored as plain text
    guid: str = ""
    published: str = ""  # as written; read by alaune.text.dates
    updated: str = ""
    author: str = ""
    summary: str = ""  # HTML
    content: str = ""  # HTML
    categories: tuple[str, ...] = ()
    images: tuple[str, ...] = ()  # candidate image URLs, best first
    is_sitemap: bool = False


@dataclass(frozen=True, slots=True)
class Context:
    """What `finish` needs besides the entry: where the document came from, and when.

    One per document; `labels` remembers the plain text of its authors and categories, which
    entries repeat (a section feed names its section on every entry), for that document only.
    """

    base_url: str
    now: datetime
    damaged: bool = False  # the document had bytes no encoding explains
    labels: dict[tuple[str, int], str] = field(default_factory=dict, compare=False, repr=False)
    # `_categories` of the category lists entries repeat, for that document only.
    groups: dict[tuple[str, ...], tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )


def finish(raw: RawItem, ctx: Context) -> ParsedItem | Rejected | None:
    """A clean item, a rejection with its reason, or None for an entry with nothing in it."""
    if ctx.damaged and _carries_mark(raw):
        return Rejected("encoding error", clip(raw.link or raw.title, 200).replace(MARK, "?"))
    link = absolute_http_url(raw.link, ctx.base_url) or ""
    title = plain(raw.title, MAX_TITLE)
    summary = rich(raw.summary, MAX_SUMMARY, ctx.base_url)
    content = rich(raw.content, MAX_CONTENT, ctx.base_url)
    if not (link or title or summary or content):
        return None
    published = parse_date(raw.published, now=ctx.now)
    # RSS backends report pubDate as both dates: read it once.
    updated = published if raw.updated == raw.published else parse_date(raw.updated, now=ctx.now)
    # Built fast, not by `ParsedItem(...)`, whose frozen init costs 1 µs more (once per entry).
    return parsed_item(
        link,  # link
        title,  # title
        clip(raw.guid, MAX_GUID),  # guid
        published or updated,  # published
        updated if published and updated != published else None,  # updated
        _label(raw.author, MAX_AUTHOR, ctx.labels),  # author
        # Some feeds (and backends) repeat the content as the summary: keep it once.
        "" if summary == content else summary,  # summary
        content,  # content
        _categories(raw.categories, ctx.labels),  # categories
        _first_http(raw.images, ctx.base_url),  # image
        raw.is_sitemap,  # is_sitemap
    )


def finish_columns(
    links: list[str],
    titles: list[str],
    guids: list[str],
    published: list[str],
    updated: list[str],
    authors: list[str],
    summaries: list[str],
    contents: list[str],
    categories: list[tuple[str, ...]],
    images: list[tuple[str, ...]],
    ctx: Context,
) -> list[ParsedItem]:
    """`finish` for all the entries of a document at once, given field by field (the n-th value
    of each list is the n-th entry's): the same `ParsedItem`s, in order, the Nones left out.

    Only for a document that is not damaged (`finish` would reject entries by their fields).
    Each field is cleaned for all entries together, which lets the common cases (plain
    absolute links, titles without markup, simple summaries) be checked in one scan each.
    """
    base, now, labels, groups = ctx.base_url, ctx.now, ctx.labels, ctx.groups
    links = absolute_http_urls(links, base)
    titles = _plains(titles, MAX_TITLE)
    summaries = _riches(summaries, MAX_SUMMARY, base)
    contents = _riches(contents, MAX_CONTENT, base)
    dates = parse_dates(published, now=now)
    # RSS backends report pubDate as both dates: read it once.
    if updated == published:
        updates = dates
    else:
        updates = [
            date if value == given else parse_date(value, now=now)
            for date, value, given in zip(dates, updated, published, strict=True)
        ]
    guids = _clips(guids, MAX_GUID)
    firsts = _first_https(images, base)
    # Entries repeat their authors and category lists: each distinct one is read once.
    names = _each_distinct(authors, lambda author: _label(author, MAX_AUTHOR, labels))
    groupings = _each_distinct(categories, lambda tags: _category_group(tags, labels, groups))
    items: list[ParsedItem] = []
    for link, title, guid, date, update, author, summary, content, tags, image in zip(
        links,
        titles,
        guids,
        dates,
        updates,
        names,
        summaries,
        contents,
        groupings,
        firsts,
        strict=True,
    ):
        if not (link or title or summary or content):
            continue
        items.append(
            parsed_item(  # as `finish` builds it
                link,
                title,
                guid,
                date or update,
                update if date and update != date else None,
                author,
                "" if summary == content else summary,
                content,
                tags,
                image,
                False,
            )
        )
    return items


def _plains(values: list[str], limit: int) -> list[str]:
    """`[plain(v, limit) for v in values]`, checked together: usually none holds markup."""
    joined = "\n".join(values)  # no reference can span "\n" (see `_REFERENCE`)
    if (
        "<" in joined
        or ("&" in joined and _REFERENCE.search(joined))
        or max(map(len, values), default=0) > limit * 8
    ):
        return [plain(value, limit) for value in values]
    # `plain`'s first case for each: whitespace collapsed, then `clip` (its strip does nothing
    # after the collapse; its regex only runs on text that is not printable).
    spaced = " ".join(values)
    if _collapsed(spaced):
        return [value[:limit] for value in values]  # each printable, with nothing to collapse
    collapsed = [" ".join(value.split()) for value in values]
    if not " ".join(collapsed).isprintable():
        return [clip(value, limit) for value in collapsed]
    return [value[:limit] for value in collapsed]


def _each_distinct(values: list[_T], read: Callable[[_T], _U]) -> list[_U]:
    """`[read(v) for v in values]` for a pure `read`, called once per distinct value."""
    found = {value: read(value) for value in dict.fromkeys(values)}
    return [found[value] for value in values]


def _clips(values: list[str], limit: int) -> list[str]:
    """`[clip(v, limit) for v in values]`, checked together: usually every value is printable
    (then so is their concatenation), and `clip` only strips and cuts them."""
    if "".join(values).isprintable():
        return [value.strip()[:limit] for value in values]
    return [clip(value, limit) for value in values]


def _first_https(candidates: list[tuple[str, ...]], base_url: str) -> list[str]:
    """`[_first_http(c, base_url) for c in candidates]`: each entry's first candidate checked
    together (`absolute_http_urls`), usually the one kept; the others only when it is not."""
    firsts = absolute_http_urls([found[0] if found else "" for found in candidates], base_url)
    return [
        first or (_first_http(found, base_url) if len(found) > 1 else "")
        for first, found in zip(firsts, candidates, strict=True)
    ]


def _collapsed(spaced: str) -> bool:
    """Whether values joined by " " (`spaced`) are each printable and equal to their collapsed
    whitespace (`" ".join(value.split())`), as most titles are: checked without splitting them.

    Every character `str.split` splits on but " " is not printable, so a printable `spaced`
    holds no other whitespace; a value then needs collapsing only for a leading or trailing
    " " or a run of them, and each of these leaves "  " or an edge " " in `spaced`."""
    return (
        spaced.isprintable()
        and not spaced.startswith(" ")
        and not spaced.endswith(" ")
        and "  " not in spaced
    )


def _riches(values: list[str], limit: int, base_url: str) -> list[str]:
    """`[rich(v, limit, base_url) for v in values]`, in one pass when all are simple HTML."""
    if not any(values):
        return [""] * len(values)
    if max(map(len, values)) <= limit:
        # `rich` clips (strips) each first: a simple fragment stays simple stripped, and
        # sanitizing it again gives the same output; short enough that none is cut.
        simple = sanitize_simple_many(values)
        if simple is not None and max(map(len, simple)) <= limit:
            return simple
    return [rich(value, limit, base_url) for value in values]


def plain(value: str, limit: int) -> str:
    """Plain text of a field that may carry HTML or entities, capped at `limit` characters.

    Entities are decoded and whatever reads as a tag is removed, also when it only appears once
    entities are decoded ("&amp;lt;script&amp;gt;"): a plain-text field never holds markup, even
    for a consumer that forgets to escape it (D1). "a < b" and "<المرحلة>" are not tags and stay.
    """
    # Cut before converting so a 10 MB title costs no more than a long one (C5); markup and
    # entities make the source longer than its text, hence the margin.
    cut = value[: limit * 8]
    if "<" not in cut and ("&" not in cut or not _REFERENCE.search(cut)):
        # Plain text already ("Sécurité & santé"): html_to_text would only collapse whitespace,
        # and without a "<" nothing is tag-like, so the loop below would not run.
        return clip(" ".join(cut.split()), limit)
    text = html_to_text(cut)
    if "<" not in text:  # nothing tag-like (_TAG_LIKE needs a "<"): the loop would not run
        return clip(text, limit)
    for _ in range(3):
        if not _TAG_LIKE.search(text):
            break
        text = html_to_text(text)
    else:
        text = _TAG_LIKE.sub("", text)  # still tag-like after three rounds: cut, not kept
    return clip(text, limit)


def rich(value: str, limit: int, base_url: str) -> str:
    """Sanitized HTML of a field, no longer than `limit` characters."""
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return clip(value, limit)  # text without markup or entities is already safe HTML
    source = limit
    cleaned = sanitize_html(clip(value, source), base_url=base_url)
    # Sanitizing can lengthen markup (`rel` on every link): cut the source further, never the
    # output, which would leave a tag half-written.
    while len(cleaned) > limit:
        source //= 2
        cleaned = sanitize_html(clip(value, source), base_url=base_url)
    return cleaned


def _categories(values: tuple[str, ...], labels: dict[tuple[str, int], str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values[: MAX_CATEGORIES * 2]:
        text = _label(value, MAX_CATEGORY, labels)
        if text and text not in seen:
            seen[text] = None
    return tuple(seen)[:MAX_CATEGORIES]


def _category_group(
    values: tuple[str, ...],
    labels: dict[tuple[str, int], str],
    groups: dict[tuple[str, ...], tuple[str, ...]],
) -> tuple[str, ...]:
    """`_categories(values, labels)`, remembered in `groups` (one document's): entries of a
    section feed repeat the same list. At most `MAX_LABELS` lists are kept."""
    if not values:
        return ()
    found = groups.get(values)
    if found is None:
        found = _categories(values, labels)
        if len(groups) < MAX_LABELS:
            groups[values] = found
    return found


def _label(value: str, limit: int, labels: dict[tuple[str, int], str]) -> str:
    """`plain(value, limit)`, remembered in `labels` (one document's): for short fields that
    entries repeat, authors and categories. At most `MAX_LABELS` are kept."""
    key = (value, limit)
    text = labels.get(key)
    if text is None:
        text = plain(value, limit)
        if len(labels) < MAX_LABELS:
            labels[key] = text
    return text


def _first_http(candidates: tuple[str, ...], base_url: str) -> str:
    for candidate in candidates:
        url = absolute_http_url(candidate, base_url) if candidate else None
        if url:
            return url
    return ""


def _carries_mark(raw: RawItem) -> bool:
    fields = (raw.link, raw.title, raw.guid, raw.author, raw.summary, raw.content)
    return any(MARK in f for f in fields) or any(MARK in c for c in raw.categories)
