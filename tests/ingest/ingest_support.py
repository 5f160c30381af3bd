"""Crawling a `FeedSite` with a fake clock: the crawler, its outlets, and reading what it stored."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from alaune.fetch import Allowlist, Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler
from alaune.ingest.schedule import Bounds
from alaune.model import FeedRef, Outlet
from alaune.store import feeds
from alaune.store.engine import Database
from alaune.store.schema import articles

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


class Clock:
    """The crawler's clock: it moves only when a test says so."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def outlet(outlet_id: str, *feed_urls: str) -> Outlet:
    return Outlet(
        id=outlet_id,
        name=outlet_id.title(),
        homepage=f"https://{outlet_id}.example/",
        languages=("fr",),
        feeds=tuple(FeedRef(url, "rss") for url in feed_urls),
    )


@contextlib.asynccontextmanager
async def crawler_for(
    db: Database, clock: Clock, *allowed: str, **options: Any
) -> AsyncIterator[Crawler]:
    """A crawler whose fetcher may reach `allowed`, with no politeness gap (tests' own servers)
    and no jitter (rand = 0.5, the middle), unless `options` say otherwise."""
    policy = FetchPolicy(allow=Allowlist.parse(allowed), timeout=5.0, connect_timeout=2.0)
    async with Fetcher(policy) as fetcher:
        options.setdefault("rand", lambda: 0.5)
        options.setdefault("bounds", Bounds())
        yield Crawler(db, fetcher, clock=clock, **options)


def feed_state(db: Database, url: str) -> feeds.FeedState:
    with db.read() as conn:
        (state,) = [f for f in feeds.list_feeds(conn) if f.url == url]
    return state


def stored_urls(db: Database) -> dict[str, str]:
    """canonical URL → URL of every stored article."""
    with db.read() as conn:
        rows = conn.execute(select(articles.c.canonical_url, articles.c.url))
        return {canonical: url for canonical, url in rows}
