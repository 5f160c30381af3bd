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
    kind: (
        str  # "rss" | "atom" | "jsonfeed" | "sitemap" | "section" (an HTML page of links) | "auto"
    )


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
    # The outlet's own section names mapped to alaune's category slugs (categories.toml).
    sections: tuple[tuple[str, str], ...] = ()
    # Regular expressions a discovered article URL must match (include) or must not (exclude).
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # False for registry entries whose feed URLs were never checked from a real network.
    verified: bool = True
    # Polling hint in seconds (None: let the scheduler learn from the outlet's history).
    poll_interval: float | None = None


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
