"""The spine's end-to-end numbers: a full crawl of the demo outlets, then conditional re-polls.

Measures, on loopback and a fresh SQLite file: articles per second through fetch → parse →
extract → store for the whole demo corpus, and 304 polls per second once validators are saved.
"""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
import time
from pathlib import Path

from alaune.config import load_settings
from alaune.demo.server import DemoOutlets
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler
from alaune.store import migrate
from alaune.store.engine import open_database

REPOLLS = 20


async def _measure(db_url: str, demo: DemoOutlets) -> list[str]:
    settings = dataclasses.replace(load_settings(env={}), fetch_allow=list(demo.allow))
    db = open_database(db_url)
    migrate.upgrade(db)
    async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
        crawler = Crawler(db, fetcher)
        crawler.register(demo.registry())
        start = time.perf_counter()
        first = await crawler.crawl_once()
        crawl_s = time.perf_counter() - start
        start = time.perf_counter()
        polls = 0
        for _ in range(REPOLLS):
            report = await crawler.crawl_once()
            polls += report.not_modified
        poll_s = time.perf_counter() - start
    db.dispose()
    return [
        f"first crawl: {first.added} articles in {crawl_s:.2f} s = {first.added / crawl_s:.0f} "
        f"articles/s (fetch, parse, extract, store; SQLite)",
        f"re-polls: {polls} conditional polls (304) in {poll_s:.2f} s = "
        f"{polls / poll_s:.0f} polls/s (each includes its database bookkeeping)",
    ]


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp, DemoOutlets() as demo:
        return asyncio.run(_measure(f"sqlite:///{Path(tmp) / 'bench.db'}", demo))
