"""The embedded crawl loop: crawl, wait, crawl again, until asked to stop.

It runs inside the same asyncio loop as the web server in `alaune demo` and `alaune crawl`.
Before each crawl it runs the jobs the admin area queued (ingest.jobs: feed discovery).
A failing crawl is reported and the loop goes on: one bad source never stops the others, and an
unexpected error is logged rather than ending the process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from alaune.ingest.jobs import run_jobs
from alaune.ingest.pipeline import Crawler, CrawlReport

log = logging.getLogger(__name__)


async def crawl_loop(
    crawler: Crawler,
    *,
    interval: float,
    stop: asyncio.Event,
    on_report: Callable[[CrawlReport], None] = lambda report: None,
) -> None:
    while not stop.is_set():
        try:
            await run_jobs(
                crawler.db,
                crawler.fetcher,
                allow=crawler.fetcher.policy.allow.as_strings(),
                clock=crawler.clock,
            )
            on_report(await crawler.crawl_once())
        except Exception:  # the loop must outlive any one crawl's bug
            log.exception("crawl failed; retrying in %.0f s", interval)
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            continue
