"""Frozen dataclasses that cross the pipeline's stages.

Plain data only: no I/O, no behaviour beyond small derived properties. Stages take and return
these; the store maps them to rows. This module must not import anything from alaune.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FeedRef:
    """One listing of an outlet: a feed (rss, atom, jsonfeed) or a news sitemap."""

    url: str
    kind: str  # "rss" | "atom" | "jsonfeed" | "sitemap" | "auto"


@dataclass(frozen=True, slots=True)
class Outlet:
    """An outlet as the registry declares it."""

    id: str
    name: str
    homepage: str
    languages: tuple[str, ...]
    country: str = ""
    feeds: tuple[FeedRef, ...] = ()
    policy: str = "excerpt"  # "excerpt" (lead and link) or "full" (whole text)
    agency: bool = False


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry read from a feed or sitemap: a pointer to an article page, with hints."""

    url: str
    title: str = ""
    summary: str = ""
    published: datetime | None = None
    guid: str = ""
    author: str = ""
    image_url: str = ""
    section: str = ""


@dataclass(frozen=True, slots=True)
class Extracted:
    """What extraction reads from one article page."""

    title: str
    text: str
    html: str = ""
    lead: str = ""
    author: str = ""
    published: datetime | None = None
    image_url: str = ""
    canonical_url: str = ""
    language: str = ""
    paragraphs: tuple[str, ...] = field(default=())

    @property
    def word_count(self) -> int:
        return len(self.text.split())
