"""Crawl the demo outlets once into a database, as `alaune crawl --once --demo` does."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from alaune.config import Settings
from alaune.demo.server import DemoOutlets
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler, CrawlReport
from alaune.store.engine import Database


def crawl(db: Database, demo: DemoOutlets, settings: Settings) -> CrawlReport:
    async def run() -> CrawlReport:
        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            crawler = Crawler(db, fetcher)
            crawler.register(demo.registry())
            return await crawler.crawl_once()

    # A thread of its own: Playwright's sync API keeps an event loop running in the test's thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()
