"""One crawl: poll the feeds (every one, or the due ones), store new articles, schedule the next.

A poll checks robots.txt, sends the saved validators, parses the listing, hands its items to
`items.Articles` and then records the poll (a `polls` row) and the feed's new state and next
poll time, as decided by the pure `schedule.decide`. Failures are named by `kinds` and counted
per outlet; none stops the other feeds.

Promise 1 (SECURITY.md): each article is stored in its own short transaction, keyed on its
canonical URL, and a feed's validators and schedule are saved only after every item the
response listed is stored or has failed for good. A crawl killed at any point therefore neither
loses nor duplicates an article: the next crawl re-reads the feed and skips what is stored. The
bookkeeping of polls that stored nothing (304s, failures) is written in batches, which a crash
can only lose, never make wrong: such a feed is simply polled again.

The time spent extracting pages, placing articles in stories and fetching images is tallied in
`timings` (`ingest.timing`) and written by `save_timings`, once per round, for `/metrics`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from alaune import logs
from alaune.errors import FetchError, ParseError
from alaune.fetch import Fetcher, Response, RobotsCache
from alaune.ingest import schedule
from alaune.ingest.freshness import fresh_for
from alaune.ingest.images import fetch_images
from alaune.ingest.items import Articles, CrawlReport
from alaune.ingest.kinds import TRANSIENT_KINDS, is_transient, listing_error_kind
from alaune.ingest.listing import read_listing
from alaune.ingest.stories import StoryModel, attach_to_story
from alaune.ingest.timing import StageTimes, TimedExecutor
from alaune.model import FeedItem, Outlet
from alaune.store import feeds as feed_store
from alaune.store import outlets as outlet_store
from alaune.store import polls as poll_store
from alaune.store import stories as story_store
from alaune.store.engine import Database
from alaune.store.timings import CLUSTER, EXTRACT, IMAGES

log = logging.getLogger(__name__)

__all__ = [
    "FEED_ACCEPT",
    "TRANSIENT_KINDS",
    "CrawlReport",
    "Crawler",
    "Listing",
    "ProgressFn",
    "is_transient",
    "utcnow",
]

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
#: Polls whose bookkeeping waits for one write transaction (they stored no article).
BATCH = 64

ProgressFn = Callable[[int, int], None]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """A feed's listing as read by `Crawler.read_feed`: what storing its items and recording
    the poll need, as plain data (in scale-out it crosses from the poll task to the pages task).
    """

    started: datetime
    items: tuple[FeedItem, ...]
    status: int
    etag: str | None
    last_modified: str | None
    fresh_for: float | None  # seconds the response says it stays current (`freshness`)


def _fresh(response: Response, at: datetime) -> float | None:
    return fresh_for(response.headers, response.body, now=at)


@dataclass(frozen=True, slots=True)
class _Failure:
    kind: str
    message: str
    status: int | None = None
    retry_after: float | None = None


class Crawler:
    """Polls the feeds of the outlets in the database, through one `Fetcher`.

    `due_only` makes `crawl_once` poll only the feeds whose next poll time has come (the crawl
    loop); otherwise it polls every feed. Feeds of paused outlets are never polled. `rand`
    gives the scheduler's jitter; `clock` the time. Stored articles are placed in stories at
    the end of each round, and every `place_every` seconds while a long round still polls.
    """

    def __init__(
        self,
        db: Database,
        fetcher: Fetcher,
        *,
        clock: Callable[[], datetime] = utcnow,
        progress: ProgressFn | None = None,
        bounds: schedule.Bounds | None = None,
        robots: RobotsCache | None = None,
        due_only: bool = False,
        rand: Callable[[], float] = random.random,
        stories: StoryModel | None = None,
        place_every: float = 30.0,
    ) -> None:
        self.db = db
        self.place_every = place_every
        self.fetcher = fetcher
        self.clock = clock
        self.progress = progress or (lambda done, total: None)
        self.bounds = bounds or schedule.Bounds()
        self.robots = robots or RobotsCache(fetcher)
        self.due_only = due_only
        self.rand = rand
        # Stage times for `/metrics`, written by `save_timings`; pages are extracted on a pool
        # that times each one.
        self.timings = StageTimes()
        self.articles = Articles(
            db, fetcher, self.robots, clock, executor=TimedExecutor(self.timings, EXTRACT)
        )
        # One clustering model per crawler: it holds the open stories' window in memory.
        self.stories = stories or StoryModel()
        self._pending: list[tuple[int, feed_store.PollSaved, poll_store.PollRecord]] = []

    def register(self, registry: Sequence[Outlet]) -> int:
        """Make the database agree with `registry`; returns how many outlets are new."""
        with self.db.write() as conn:
            return outlet_store.sync_outlets(conn, registry, now=self.clock())

    async def place_stories(self) -> int:
        """Fold every stored article no story holds yet into its story, oldest first.

        Run after each round of polls rather than per article: pages arrive in any order, and
        online clustering is fairest in publication order (the order `alaune eval` scores). It
        also places what a crash or an upgrade left unplaced, since it reads the database.
        """
        with self.db.read() as conn:
            backlog = story_store.unclustered(conn)
        for article_id in backlog:
            with self.timings.timing(CLUSTER):
                await attach_to_story(self.db, article_id, now=self.clock(), model=self.stories)
        return len(backlog)

    async def _place_while_polling(self, round_done: asyncio.Event) -> None:
        """Place what is stored every `place_every` s while a long round still polls, so that
        an article waits seconds for its story, not the whole round (minutes with thousands
        of feeds). A round shorter than that places once, at its end, as before."""
        while not round_done.is_set():
            try:
                await asyncio.wait_for(round_done.wait(), timeout=self.place_every)
            except TimeoutError:
                try:
                    await self.place_stories()
                except Exception:  # the round's own placement at its end will try again
                    log.exception("placing stories during the round failed")

    def save_timings(self) -> int:
        """Write the stage times tallied since the last call (one row per stage)."""
        return self.timings.save(self.db, at=self.clock())

    async def crawl_once(
        self, *, outlet_ids: set[str] | None = None, due_only: bool | None = None
    ) -> CrawlReport:
        """Poll every feed (or, with `due_only`, the due ones) of the outlets not paused."""
        due = self.due_only if due_only is None else due_only
        with self.db.read() as conn:
            feeds = feed_store.list_feeds(
                conn, outlet_ids=outlet_ids, due_at=self.clock() if due else None, active_only=True
            )
            outlets = {o.id: o for o in outlet_store.list_outlets(conn)}
        report = CrawlReport(feeds=len(feeds))
        done = 0
        self.progress(done, len(feeds))

        async def one(feed: feed_store.FeedState) -> None:
            nonlocal done
            await self._poll(feed, outlet_store.outlet_from_row(outlets[feed.outlet_id]), report)
            done += 1
            self.progress(done, len(feeds))

        round_done = asyncio.Event()
        placer = asyncio.create_task(self._place_while_polling(round_done))
        try:
            await asyncio.gather(*(one(feed) for feed in feeds))
        finally:
            round_done.set()
            await placer
            self.flush()
        await self.place_stories()
        started = time.perf_counter()
        images = await fetch_images(self.db, self.fetcher, self.robots, now=self.clock())
        self.timings.add(IMAGES, time.perf_counter() - started, items=images.total)
        self.save_timings()
        return report

    async def _poll(self, feed: feed_store.FeedState, outlet: Outlet, report: CrawlReport) -> None:
        # Every line logged during this poll (each runs in its own task) names its outlet and
        # feed in JSON logs (`log_format = "json"`).
        with logs.bind(outlet_id=outlet.id, feed_id=feed.id):
            listing = await self.read_feed(feed, outlet, report)
            if listing is not None:
                await self.store_listing(feed, outlet, listing, report)

    async def read_feed(
        self, feed: feed_store.FeedState, outlet: Outlet, report: CrawlReport
    ) -> Listing | None:
        """The first half of a poll: robots.txt, the conditional GET, the parsed listing.

        None when the poll ends there (a 304 or a failure, already recorded: call `flush`).
        Scale-out workers run the two halves as two tasks; `crawl_once` runs them in a row.
        """
        started = self.clock()
        response: Response | None = None
        try:
            await self.robots.check(feed.url)
            response = await self.fetcher.get(
                feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT
            )
            if response.not_modified:
                report.not_modified += 1
                self._record(
                    feed,
                    started,
                    "not_modified",
                    status=response.status,
                    fresh=_fresh(response, started),
                    hint=outlet.poll_interval,
                )
                return None
            items = await read_listing(
                response,
                kind=feed.kind,
                outlet=outlet,
                fetcher=self.fetcher,
                robots=self.robots,
                now=started,
            )
        except FetchError as exc:
            failure = _Failure(exc.kind, str(exc), exc.status, exc.retry_after)
            self._failed(feed, started, failure, report, outlet.poll_interval)
            return None
        except ParseError as exc:
            assert response is not None  # parsing comes after a response
            kind = listing_error_kind(exc, response.content_type, response.body, listing=feed.kind)
            failure = _Failure(kind, str(exc), response.status)
            self._failed(feed, started, failure, report, outlet.poll_interval)
            return None
        return Listing(
            started=started,
            items=tuple(items),
            status=response.status,
            etag=response.etag,
            last_modified=response.last_modified,
            fresh_for=_fresh(response, started),
        )

    async def store_listing(
        self, feed: feed_store.FeedState, outlet: Outlet, listing: Listing, report: CrawlReport
    ) -> None:
        """The second half of a poll: store the listing's new articles, then record the poll,
        with the response's validators only if every item is settled (promise 1)."""
        report.items += len(listing.items)
        new, settled = await self.articles.ingest(
            listing.items, outlet, report, listing=feed.kind, feed_id=feed.id
        )
        # Unsettled items keep the old validators: the next poll must list them again.
        validators = (listing.etag, listing.last_modified) if settled else None
        self._record(
            feed,
            listing.started,
            "ok",
            status=listing.status,
            fresh=listing.fresh_for,
            items=len(listing.items),
            new=new,
            validators=validators,
            hint=outlet.poll_interval,
        )

    def _failed(
        self,
        feed: feed_store.FeedState,
        at: datetime,
        failure: _Failure,
        report: CrawlReport,
        hint: float | None,
    ) -> None:
        report.errors.append((feed.url, failure.kind, failure.message))
        report.deferred += failure.status in schedule.DEFERRING_STATUSES
        self._record(feed, at, "error", failure=failure, hint=hint)

    def _record(
        self,
        feed: feed_store.FeedState,
        at: datetime,
        result: schedule.Result,
        *,
        status: int | None = None,
        fresh: float | None = None,
        failure: _Failure | None = None,
        items: int = 0,
        new: int = 0,
        validators: tuple[str | None, str | None] | None = None,
        hint: float | None = None,
    ) -> None:
        """Decide the next poll and store it with the poll's history row; `hint` is the
        outlet's `poll_interval` from its registry entry."""
        status = failure.status if failure else status
        log.debug(
            "poll %s: %d items, %d new%s",
            result,
            items,
            new,
            f" ({failure.kind}: {failure.message})" if failure else "",
        )
        outcome = schedule.Outcome(
            at=at,
            result=result,
            items=items,
            new_items=new,
            http_status=status,
            retry_after=failure.retry_after if failure else None,
            fresh_for=fresh,
        )
        state = schedule.FeedSchedule(feed.poll_interval, feed.error_count, feed.status, hint)
        decision = schedule.decide(self.bounds, state, outcome, u=self.rand())
        deferred = schedule.is_deferral(outcome)
        saved = feed_store.PollSaved(
            at=at,
            success=result != "error",
            new_items=new,
            error_kind=failure.kind if failure else None,
            error=failure.message if failure else None,
            failures=decision.schedule.failures,
            status=decision.schedule.status,
            interval=decision.schedule.interval,
            next_poll_at=decision.next_poll_at,
            validators=validators,
        )
        record = poll_store.PollRecord(
            feed_id=feed.id,
            at=at,
            outcome="deferred" if deferred else result,
            error_kind=saved.error_kind,
            http_status=outcome.http_status,
            items=items,
            new_items=new,
            duration_ms=max(0, int((self.clock() - at).total_seconds() * 1000)),
        )
        self._pending.append((feed.id, saved, record))
        if result == "ok" or len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the polls recorded but not yet written (304s and failures are batched)."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        with self.db.write() as conn:
            feed_store.save_polls(conn, [(feed_id, saved) for feed_id, saved, _ in pending])
            poll_store.record_polls(conn, [record for _, _, record in pending])
