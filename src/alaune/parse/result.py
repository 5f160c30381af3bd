"""What the parsers return: a `ParsedFeed` of `ParsedItem`s, richer than `model.FeedItem`.

`ParsedItem` carries everything `alaune parse-feed` prints (content, categories, the updated
date); `to_feed_item` narrows it to the `FeedItem` that the ingest pipeline consumes. Plain frozen
data: no parsing here, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, make_dataclass
from datetime import datetime
from typing import Any

from alaune.errors import ParseError
from alaune.model import FeedItem

#: The formats `ParsedFeed.format` can name.
FORMATS = ("rss", "atom", "rdf", "jsonfeed", "sitemap", "sitemapindex", "html")
#: The kinds `ListingError.kind` can name.
ERROR_KINDS = ("not_a_feed", "parse_error", "too_large", "encoding_error")


class ListingError(ParseError):
    """A listing could not be read at all; `kind` is one of ERROR_KINDS."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """One entry of a listing, cleaned: plain-text fields, sanitized HTML, UTC dates, http(s) URLs.

    `link` is "" when the entry has no safe link (such items are never ingested). In a sitemap
    index, items are sitemaps to follow (`is_sitemap`), not articles.
    """

    link: str = ""
    title: str = ""
    guid: str = ""
    published: datetime | None = None  # the publication time, else the only date given
    updated: datetime | None = None  # set only when it differs from `published`
    author: str = ""
    summary: str = ""  # sanitized HTML
    content: str = ""  # sanitized HTML
    categories: tuple[str, ...] = ()
    image: str = ""
    is_sitemap: bool = False

    def to_feed_item(self) -> FeedItem:
        return FeedItem(
            url=self.link,
            title=self.title,
            summary=self.summary or self.content,
            published=self.published,
            guid=self.guid,
            author=self.author,
            image_url=self.image,
            section=self.categories[0] if self.categories else "",
        )


# A frozen dataclass's `__init__` sets each field through `object.__setattr__` (1.2 µs for a
# `ParsedItem`, once per entry: 60 µs of a 50-item feed); a plain slots dataclass's sets them
# directly (0.2 µs). `parsed_item` builds this plain twin of `ParsedItem` (the same fields, so
# the same slots), then makes it a `ParsedItem`: `__class__` can be reassigned between classes
# of the same slot layout (Python checks it, and raises TypeError otherwise). The result is an
# ordinary `ParsedItem`, frozen and hashable like any other (tests/parse/test_parsed_item.py).
_UNFROZEN: Any = make_dataclass(
    "_UnfrozenParsedItem",
    [(f.name, f.type) for f in fields(ParsedItem)],
    slots=True,
    eq=False,
    repr=False,
    match_args=False,
)


def parsed_item(
    link: str,
    title: str,
    guid: str,
    published: datetime | None,
    updated: datetime | None,
    author: str,
    summary: str,
    content: str,
    categories: tuple[str, ...],
    image: str,
    is_sitemap: bool,
) -> ParsedItem:
    """`ParsedItem(link, title, ..., is_sitemap)`, every field given in order, built 4× faster
    (for the parsers, which build one per entry)."""
    item: ParsedItem = _UNFROZEN(
        link, title, guid, published, updated, author, summary, content, categories, image,
        is_sitemap,
    )  # fmt: skip
    item.__class__ = ParsedItem
    return item


@dataclass(frozen=True, slots=True)
class Rejected:
    """An entry left out on purpose, and why (e.g. "encoding error")."""

    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A whole listing: its format, its own title and link, and its items in document order."""

    format: str
    title: str = ""
    link: str = ""
    items: tuple[ParsedItem, ...] = ()
    encoding: str = ""
    rejected: tuple[Rejected, ...] = ()

    def feed_items(self) -> list[FeedItem]:
        """The article items that can be ingested: those with a link, sitemaps excluded."""
        return [i.to_feed_item() for i in self.items if i.link and not i.is_sitemap]
