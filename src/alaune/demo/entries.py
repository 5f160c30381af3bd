"""An outlet's edition: its articles as it publishes them, with times, URLs and pictures.

Pure: the server's start time and the outlet's base URL come in as arguments. It must not read the
clock, render markup or open sockets; pages and feeds are drawn from the `Edition` it builds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from alaune.demo.corpus import Corpus, DemoArticle, DemoOutlet
from alaune.demo.images import LeadImage, figure_image, lead_image
from alaune.demo.urls import FEED_PATHS, article_path

#: Articles of more than FIGURE_AFTER + 1 paragraphs (about half) show a figure after this many.
FIGURE_AFTER = 3


@dataclass(frozen=True, slots=True)
class Entry:
    """One published article of an outlet."""

    article: DemoArticle
    published: datetime  # aware UTC, truncated to the minute
    path: str
    url: str
    image: LeadImage
    image_url: str
    source: DemoOutlet | None  # the outlet of the original, for a wire copy
    figure: LeadImage | None = None  # a picture inside the body, after `FIGURE_AFTER` paragraphs


@dataclass(frozen=True, slots=True)
class Edition:
    """What one outlet serves: its entries, newest first, and where it lives."""

    outlet: DemoOutlet
    base_url: str  # "http://127.0.0.1:port", no trailing slash
    started_at: datetime
    entries: tuple[Entry, ...]

    @property
    def feed_path(self) -> str:
        return FEED_PATHS[self.outlet.feed]

    @property
    def feed_url(self) -> str:
        return self.base_url + self.feed_path

    @property
    def updated(self) -> datetime:
        """The newest publication time (the start time when the outlet has no article)."""
        return self.entries[0].published if self.entries else published_at(self.started_at, 0)

    def sections(self) -> list[str]:
        """The outlet's sections, the busiest first: its navigation menu."""
        counts = Counter(e.article.section for e in self.entries)
        return [name for name, _ in counts.most_common()]


def published_at(started_at: datetime, minutes_ago: int) -> datetime:
    """Publication time: `minutes_ago` before the start, truncated to the minute."""
    return (started_at - timedelta(minutes=minutes_ago)).replace(second=0, microsecond=0)


def build_edition(
    corpus: Corpus, outlet_id: str, *, base_url: str, started_at: datetime
) -> Edition:
    """The outlet's edition at `started_at`: articles already published, newest first."""
    outlet = corpus.outlet(outlet_id)
    articles = sorted(corpus.articles_of(outlet_id), key=lambda a: (a.minutes_ago, a.key))
    entries = tuple(
        _entry(corpus, a, base_url, started_at)
        for a in articles
        if published_at(started_at, a.minutes_ago) <= started_at
    )
    return Edition(outlet=outlet, base_url=base_url, started_at=started_at, entries=entries)


def _entry(corpus: Corpus, article: DemoArticle, base_url: str, started_at: datetime) -> Entry:
    group = corpus.image_group(article.key)
    image = lead_image(article.key, group)
    # Articles long enough to have text on both sides of it show an inline figure too.
    inline = len(article.paragraphs) > FIGURE_AFTER + 1
    source = None
    if article.copy_of is not None:
        source = corpus.outlet(corpus.article(article.copy_of).outlet)
    path = article_path(article)
    return Entry(
        article=article,
        published=published_at(started_at, article.minutes_ago),
        path=path,
        url=base_url + path,
        image=image,
        image_url=base_url + image.path,
        source=source,
        figure=figure_image(article.key, group) if inline else None,
    )
