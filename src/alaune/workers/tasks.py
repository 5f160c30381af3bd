"""What each worker task does, over the embedded pipeline's own functions.

- `poll_feed(runtime, feed_id, outlet_id, send_pages)`: `Crawler.read_feed` (robots.txt, the
  conditional GET, the listing); a 304 or a failure is recorded there; a listing goes to the
  `pages` queue.
- `store_pages(runtime, payload)`: `Crawler.store_listing`: the listing's new pages fetched,
  extracted and stored (each article in its own transaction, keyed on its canonical URL), then
  the poll recorded, with the new validators only once every item is settled (promise 1).
- `place_stories(runtime)`: `Crawler.place_stories` under the `cluster` lease: every unplaced
  article, oldest first. The in-memory window is rebuilt when another process held the lease.
- `fetch_images(runtime)`: `ingest.images.fetch_images` under the `images` lease, then the
  admin area's queued discovery jobs (`ingest.jobs`).

Each task that extracts pages, places articles or fetches images writes how long that took
(store.timings: one row per stage and task, for `/metrics`) once it is done.

Every task is idempotent under at-least-once delivery: articles are keyed on their canonical
URL, a redelivered listing finds its articles stored, placement and images read what is still
to do from the database. A task for a feed that is gone or paused does nothing. Nothing here
knows Celery: retries, dead letters and routing are `app`'s.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from alaune.ingest.images import fetch_images as fetch_pending_images
from alaune.ingest.jobs import run_jobs
from alaune.ingest.pipeline import CrawlReport, utcnow
from alaune.ingest.timing import StageTimes
from alaune.model import Outlet
from alaune.store import feeds as feed_store
from alaune.store import locks
from alaune.store import outlets as outlet_store
from alaune.store.engine import Database
from alaune.store.timings import IMAGES
from alaune.workers import leases
from alaune.workers.payloads import dump_listing, load_listing
from alaune.workers.runtime import Runtime

log = logging.getLogger(__name__)

SendPages = Callable[[dict[str, Any]], None]


def load_feed(
    database: Database, feed_id: int, outlet_id: str
) -> tuple[feed_store.FeedState, Outlet] | None:
    """The feed and its outlet, or None when the feed is gone or its outlet paused."""
    with database.read() as conn:
        states = feed_store.list_feeds(conn, outlet_ids={outlet_id}, active_only=True)
        outlet = outlet_store.get_outlet(conn, outlet_id)
    feed = next((state for state in states if state.id == feed_id), None)
    if feed is None or outlet is None:
        return None
    return feed, outlet_store.outlet_from_row(outlet)


def poll_feed(runtime: Runtime, feed_id: int, outlet_id: str, send_pages: SendPages) -> CrawlReport:
    report = CrawlReport(feeds=1)
    loaded = load_feed(runtime.database, feed_id, outlet_id)
    if loaded is None:
        log.info("feed %d is gone or paused: not polled", feed_id)
        return report
    feed, outlet = loaded
    crawler = runtime.crawler()
    try:
        listing = runtime.run(crawler.read_feed(feed, outlet, report))
    finally:
        crawler.flush()
    if listing is not None:
        send_pages(dump_listing(feed_id, outlet_id, listing))
    return report


def store_pages(runtime: Runtime, payload: dict[str, Any]) -> CrawlReport:
    feed_id, outlet_id, listing = load_listing(payload)
    report = CrawlReport(feeds=1)
    loaded = load_feed(runtime.database, feed_id, outlet_id)
    if loaded is None:
        log.info("feed %d is gone or paused: its listing is dropped", feed_id)
        return report
    feed, outlet = loaded
    crawler = runtime.crawler()
    try:
        runtime.run(crawler.store_listing(feed, outlet, listing, report))
    finally:
        crawler.flush()
        crawler.save_timings()
    return report


def place_stories(runtime: Runtime) -> int:
    """Articles placed; raises `leases.Busy` when another process is placing."""
    seconds = runtime.settings.lease_seconds
    with leases.held(runtime.database, locks.CLUSTER, runtime.name, seconds=seconds) as lease:
        if not lease.continued:  # another process placed articles since this one last did
            runtime.forget_stories()
        crawler = runtime.crawler()
        try:
            return runtime.run(crawler.place_stories())
        finally:
            crawler.save_timings()


def fetch_images(runtime: Runtime) -> int:
    """Images dealt with; raises `leases.Busy` when another process is downloading. The admin
    area's discovery jobs run here too, under the same lease (network work, rare, one at a time)."""
    seconds = runtime.settings.lease_seconds
    with leases.held(runtime.database, locks.IMAGES, runtime.name, seconds=seconds):
        started = time.perf_counter()
        counts = runtime.run(
            fetch_pending_images(runtime.database, runtime.fetcher, runtime.robots, now=utcnow())
        )
        times = StageTimes()
        times.add(IMAGES, time.perf_counter() - started, items=counts.total)
        times.save(runtime.database, at=utcnow())
        allow = runtime.fetcher.policy.allow.as_strings()
        runtime.run(run_jobs(runtime.database, runtime.fetcher, allow=allow, clock=utcnow))
    return counts.total
