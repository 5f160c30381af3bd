"""Demo outlets with fault switches, crawled once into a database, and what that left behind.

Each test starts its own `DemoOutlets(faults=…)` (the session's outlets stay well-behaved) and
crawls it with settings that keep the faults cheap: a short deadline for the slow drip and a
1 MiB cap for oversized bodies. Assertions are on error kinds and counters, never on time.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select

from alaune.config import Settings, load_settings
from alaune.demo.corpus import Corpus
from alaune.demo.faults import Faults
from alaune.demo.server import DemoOutlets
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler, CrawlReport
from alaune.ingest.schedule import Bounds
from alaune.store import feeds
from alaune.store.engine import Database
from alaune.store.schema import articles
from alaune.text.urls import canonical_url

MiB = 1024 * 1024


@contextmanager
def faulty_demo(corpus: Corpus, faults: Faults) -> Iterator[DemoOutlets]:
    with DemoOutlets(corpus, faults=faults) as demo:
        yield demo


def fault_settings(demo: DemoOutlets, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"fetch_timeout": 3.0, "fetch_max_bytes": MiB, **overrides}
    return dataclasses.replace(load_settings(env={}), fetch_allow=list(demo.allow), **values)


def crawl_faulty(
    db: Database,
    demo: DemoOutlets,
    settings: Settings,
    *,
    only: set[str] | None = None,
    **options: Any,
) -> CrawlReport:
    """`alaune crawl --once` over the demo outlets (or `only` those); `options` go to the
    Crawler."""

    async def run() -> CrawlReport:
        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            crawler = Crawler(db, fetcher, bounds=Bounds.from_settings(settings), **options)
            crawler.register(demo.registry())
            return await crawler.crawl_once(outlet_ids=only)

    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright may hold this thread's loop
        return pool.submit(asyncio.run, run()).result()


def feed_of(db: Database, outlet_id: str) -> feeds.FeedState:
    with db.read() as conn:
        (state,) = feeds.list_feeds(conn, outlet_ids={outlet_id})
    return state


def stored_by_outlet(db: Database) -> dict[str, list[str]]:
    """outlet id → canonical URLs stored, in insertion order (duplicates would show)."""
    found: dict[str, list[str]] = {}
    query = select(articles.c.outlet_id, articles.c.canonical_url).order_by(articles.c.id)
    with db.read() as conn:
        for outlet_id, url in conn.execute(query):
            found.setdefault(outlet_id, []).append(url)
    return found


def expected_urls(corpus: Corpus, demo: DemoOutlets, outlet_id: str) -> list[str]:
    return sorted(canonical_url(demo.url_of(a.key)) for a in corpus.articles_of(outlet_id))


def free_port_range(size: int) -> int:
    for base in range(41_000, 60_000, 113):
        sockets = []
        try:
            for port in range(base, base + size):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
        return base
    raise AssertionError("no free range of ports")
