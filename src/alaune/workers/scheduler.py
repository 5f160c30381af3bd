"""The scheduler of the scale-out mode: one process hands the due feeds to the workers.

Each tick, in one transaction, `Scheduler.step` takes or renews the `scheduler` lease and, only
if it holds it, claims the feeds that are due (`store.locks.claim_feeds`: their next poll moves
`scheduler_claim` seconds ahead until the poll records the real one); then it sends one poll
task per claimed feed. Claiming inside the lease's transaction fences a scheduler that lost its
lease, and a claim is exclusive, so no feed is handed out twice, even across a takeover.

The feeds claimed in one tick are a round. When every feed of a round has its poll recorded (or
its claim ran out: the task was lost, and the feed is due again), the scheduler asks for the
stories to be placed and the images fetched, as the embedded crawl does after each round: so
placement sees a whole round, oldest article first. With no round in flight and articles never
placed (after a takeover, a lost task), it asks for a placement at most once a lease length.

While it holds the lease, the scheduler also reads the broker's queue lengths each tick
(`depths.BrokerDepths`) and stores them with the time of the reading (store.queue_depths), for
`/metrics`; and once an hour it prunes the stage timings older than `store.timings.KEEP` and the
delivery counts of tasks lost for good (store.deliveries). A failure of either is logged and
does not stop the handing out.

A stopped scheduler releases its lease, so another takes over at its next tick; a killed one's
lease runs out after `lease_seconds`. It must not poll, store or place anything itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from alaune.config import Settings
from alaune.errors import ConfigError
from alaune.store import deliveries, locks, timings
from alaune.store import feeds as feed_store
from alaune.store import queue_depths as depth_store
from alaune.store import stories as story_store
from alaune.store.engine import Database
from alaune.workers.depths import BrokerDepths
from alaune.workers.leases import utcnow

log = logging.getLogger(__name__)

#: Reads the broker's queue lengths: short queue name → tasks waiting.
DepthReader = Callable[[], Mapping[str, int]]
PRUNE_EVERY = timedelta(hours=1)  # how often the active scheduler prunes old stage timings
DELIVERIES_KEEP = timedelta(days=2)  # far beyond any visibility timeout or time limit


class Sender(Protocol):
    """Where the scheduler sends work (`app.Dispatch`)."""

    def poll(self, feed_id: int, outlet_id: str) -> None: ...

    def place_stories(self, *, countdown: float | None = None) -> None: ...

    def images(self, *, countdown: float | None = None) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Timing:
    tick: float  # seconds between two steps
    lease: float  # seconds the lease lasts
    claim: float  # seconds a handed-out feed stays off the due list

    def __post_init__(self) -> None:
        if not 0 < self.tick < self.lease / 2:
            raise ConfigError(
                f"scheduler_tick ({self.tick:g} s) must be under half of lease_seconds "
                f"({self.lease:g} s), so that the lease is renewed before it runs out"
            )
        if self.claim <= self.tick:
            raise ConfigError("scheduler_claim must be longer than scheduler_tick")

    @classmethod
    def from_settings(cls, settings: Settings) -> Timing:
        return cls(
            tick=settings.scheduler_tick,
            lease=settings.lease_seconds,
            claim=settings.scheduler_claim,
        )


@dataclass(slots=True)
class Round:
    until: datetime  # the claim on its feeds
    feeds: set[int]  # those whose poll is not recorded yet


@dataclass(frozen=True, slots=True)
class Tick:
    """What one step did."""

    holder: str | None  # who holds the lease after the step (None: unknown)
    took: bool = False  # this scheduler took the lease at this step
    lost: bool = False  # this scheduler had the lease and lost it
    polls: int = 0  # feeds handed to the workers
    placements: int = 0  # placements asked for (0 or 1)


@dataclass
class Scheduler:
    database: Database
    sender: Sender
    name: str
    timing: Timing
    clock: Callable[[], datetime] = utcnow
    holding: bool = False
    rounds: list[Round] = field(default_factory=list)
    last_placement: datetime | None = None
    #: None: read them through the sender's Celery app, if it has one (`app.Dispatch`).
    depths: DepthReader | None = None
    last_prune: datetime | None = None

    def __post_init__(self) -> None:
        if self.depths is None:
            self.depths = BrokerDepths.of(self.sender)

    def step(self) -> Tick:
        now = self.clock()
        until = now + timedelta(seconds=self.timing.claim)
        with self.database.write() as conn:
            lease = locks.acquire(
                conn, locks.SCHEDULER, self.name, now=now, seconds=self.timing.lease
            )
            due = self._claim(conn, now, until) if lease else []
            holder = self.name if lease else locks.holder_of(conn, locks.SCHEDULER, now=now)
        took, lost = lease is not None and not self.holding, lease is None and self.holding
        self.holding = lease is not None
        if took:  # whatever a previous holder left in flight is placed by the backlog check
            self.rounds, self.last_placement = [], None
        if lease is None:
            return Tick(holder, lost=lost)
        self._hand_out(due, until)
        placements = self._place_if_done(now)
        self._bookkeeping(now)
        return Tick(holder, took=took, polls=len(due), placements=placements)

    def _claim(
        self, conn: Connection, now: datetime, until: datetime
    ) -> list[feed_store.FeedState]:
        due = feed_store.list_feeds(conn, due_at=now, active_only=True)
        claimed = set(locks.claim_feeds(conn, [feed.id for feed in due], now=now, until=until))
        return [feed for feed in due if feed.id in claimed]

    def _hand_out(self, due: list[feed_store.FeedState], until: datetime) -> None:
        """Send the claimed feeds' polls; they are a round. If sending fails half-way, the
        claims run out and the feeds are handed out again."""
        for feed in due:
            self.sender.poll(feed.id, feed.outlet_id)
        if due:
            self.rounds.append(Round(until, {feed.id for feed in due}))

    def _place_if_done(self, now: datetime) -> int:
        """Ask for a placement when a round is done, or when articles wait with none open."""
        with self.database.read() as conn:
            for round_ in self.rounds:
                alive = now < round_.until
                round_.feeds = (
                    locks.still_claimed(conn, round_.feeds, until=round_.until) if alive else set()
                )
            done = any(not round_.feeds for round_ in self.rounds)
            self.rounds = [round_ for round_ in self.rounds if round_.feeds]
            idle = (
                not self.rounds
                and self._backlog_due(now)
                and story_store.unclustered(conn, limit=1)
            )
        if not (done or idle):
            return 0
        self.sender.place_stories()
        self.sender.images()
        self.last_placement = now
        return 1

    def _bookkeeping(self, now: datetime) -> None:
        """Store the queues' lengths; prune old stage timings once an hour. For `/metrics`:
        a failure is logged, never raised."""
        prune = self.last_prune is None or now - self.last_prune >= PRUNE_EVERY
        try:
            read = self.depths() if self.depths is not None else None
        except Exception as exc:  # kombu raises the transport's own errors
            log.warning("could not read the broker's queue lengths: %s", exc)
            read = None
        if read is None and not prune:
            return
        try:
            with self.database.write() as conn:
                if read is not None:
                    depth_store.save(conn, read, now=self.clock())
                if prune:
                    timings.prune(conn, before=now - timings.KEEP)
                    # Counts of tasks lost for good (never finished, never delivered again).
                    deliveries.prune(conn, before=now - DELIVERIES_KEEP)
        except SQLAlchemyError:
            log.exception("could not store the queue lengths or prune the stage timings")
            return
        if prune:
            self.last_prune = now

    def _backlog_due(self, now: datetime) -> bool:
        if self.last_placement is None:
            return True
        return now - self.last_placement >= timedelta(seconds=self.timing.lease)

    def release(self) -> None:
        """Give the lease up now (on a clean stop), so that another scheduler takes over."""
        if not self.holding:
            return
        with self.database.write() as conn:
            locks.release(conn, locks.SCHEDULER, self.name, now=self.clock())
        self.holding = False

    def run(self, stop: threading.Event, on_tick: Callable[[Tick], None]) -> None:
        """Step every tick until `stop` is set, then release the lease."""
        try:
            while True:
                try:
                    on_tick(self.step())
                except Exception:  # the database or the broker may be back at the next tick
                    log.exception("scheduler step failed; trying again in %g s", self.timing.tick)
                if stop.wait(self.timing.tick):
                    return
        finally:
            try:
                self.release()
            except Exception:
                log.exception("could not release the scheduler lease; it runs out by itself")
