"""`alaune scheduler`: one active at a time, each due feed handed out once, placement per round.

In process, two `Scheduler`s step in turn over one database (SQLite and PostgreSQL) with a
clock the test moves; what they send is recorded where the broker would be. Then, as processes
on PostgreSQL and Redis: the second scheduler waits while the first runs, takes over once the
killed first's lease runs out, and a third takes over at once from one stopped with SIGTERM.
The active scheduler reads the queues' lengths from a real Redis each tick and stores them for
`/metrics`, and prunes old stage timings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select
from starlette.testclient import TestClient
from workers_support import Process, ScaleOut

from alaune.config import load_settings
from alaune.store import deliveries, locks, queue_depths, timings
from alaune.store import feeds as feed_store
from alaune.store.engine import Database
from alaune.store.schema import feeds, outlets, task_deliveries
from alaune.web.app import create_app
from alaune.workers.app import Dispatch, make_app
from alaune.workers.depths import BrokerDepths
from alaune.workers.scheduler import Scheduler, Timing

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TIMING = Timing(tick=1, lease=10, claim=60)


@dataclass
class Sent:
    """Stands where the broker would be: what the schedulers sent."""

    polls: list[int] = field(default_factory=list)
    placements: int = 0
    image_rounds: int = 0

    def poll(self, feed_id: int, outlet_id: str) -> None:
        self.polls.append(feed_id)

    def place_stories(self, *, countdown: float | None = None) -> None:
        self.placements += 1

    def images(self, *, countdown: float | None = None) -> None:
        self.image_rounds += 1


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def at(self, seconds: float) -> None:
        self.now = T0 + timedelta(seconds=seconds)


def three_feeds(db: Database) -> list[int]:
    with db.write() as conn:
        conn.execute(
            outlets.insert().values(
                id="o",
                name="O",
                homepage="https://o.example/",
                languages="fr",
                country="MA",
                policy="excerpt",
                created_at=T0,
            )
        )
        for n in range(3):
            conn.execute(
                feeds.insert().values(outlet_id="o", url=f"https://o.example/{n}", kind="rss")
            )
        return [row.id for row in conn.execute(feeds.select().order_by(feeds.c.id))]


def polled(db: Database, feed_id: int, clock: Clock) -> None:
    """What a worker's recorded poll does to the feed: its own next poll, an hour ahead."""
    saved = feed_store.PollSaved(
        at=clock(), success=True, next_poll_at=clock() + timedelta(hours=1)
    )
    with db.write() as conn:
        feed_store.save_polls(conn, [(feed_id, saved)])


def test_one_scheduler_acts_and_each_due_feed_is_handed_out_once(db: Database) -> None:
    ids = three_feeds(db)
    clock, sent = Clock(), Sent()
    first = Scheduler(db, sent, "first", TIMING, clock=clock)
    second = Scheduler(db, sent, "second", TIMING, clock=clock)

    tick = first.step()
    assert tick.took
    assert tick.polls == 3
    assert sorted(sent.polls) == ids
    assert second.step().holder == "first"
    assert not second.holding
    clock.at(1)
    assert first.step().polls == 0  # claimed: not handed out again
    for feed_id in ids[:2]:
        polled(db, feed_id, clock)
    assert first.step().placements == 0  # the round is not done
    polled(db, ids[2], clock)
    assert first.step().placements == 1
    assert (sent.placements, sent.image_rounds) == (1, 1)

    clock.at(3)  # the first stops stepping (killed): its lease runs until 13
    assert not second.step().took
    clock.at(13)
    assert second.step().took
    assert sent.polls == ids
    clock.at(14)
    assert first.step().lost
    assert not first.holding


def test_a_lost_poll_is_handed_out_again_once_its_claim_runs_out(db: Database) -> None:
    ids = three_feeds(db)
    clock, sent = Clock(), Sent()
    only = Scheduler(db, sent, "only", TIMING, clock=clock)
    only.step()
    for feed_id in ids[1:]:
        polled(db, feed_id, clock)
    clock.at(30)
    assert only.step().placements == 0  # the first feed's poll is still out
    clock.at(60)
    tick = only.step()  # its claim ran out: the round ends, and the feed is due again
    assert tick.polls == 1
    assert sent.polls[-1] == ids[0]
    assert tick.placements == 1


@pytest.mark.postgres
def test_two_scheduler_processes_never_both_hold_the_lease(scale: ScaleOut, pg: Database) -> None:
    first = scale.scheduler("scheduler-1")
    first.wait_for("Took the scheduler lease", timeout=60)
    second = scale.scheduler("scheduler-2")
    second.wait_for("Waiting: scheduler", timeout=60)
    with pg.read() as conn:
        holder = locks.holder_of(conn, locks.SCHEDULER, now=datetime.now(UTC))
    assert holder is not None
    assert holder in second.output()

    before_kill = second.output()
    first.kill()  # its lease (3 s) runs out; the second takes over within a tick of that
    assert "Took" not in before_kill
    waited = second.wait_for("Took the scheduler lease", timeout=30)
    assert waited >= 1.5, f"took over {waited:.1f} s after the kill: before the lease ran out"

    third = scale.scheduler("scheduler-3")
    third.wait_for("Waiting: scheduler", timeout=60)
    assert second.stop() == 0  # a graceful stop releases the lease: no wait for it to run out
    with pg.read() as conn:
        assert locks.holder_of(conn, locks.SCHEDULER, now=datetime.now(UTC)) in (
            None,
            name_of(third),
        )
    third.wait_for("Took the scheduler lease", timeout=30)
    assert "Scheduler stopped" in second.output()


def name_of(scheduler: Process) -> str:
    """The name a scheduler process gives itself (its first line: "Scheduler NAME: …")."""
    first = scheduler.output().splitlines()[0]
    return first.removeprefix("Scheduler ").split(":", 1)[0]


def _metrics(db: Database) -> dict[tuple[str, str], float]:
    """`/metrics` of a site over `db`: (name, queue label) → value, for the queue families."""
    app = create_app(load_settings(env={}), db, cache_probe_interval=0.0)
    body = TestClient(app, client=("127.0.0.1", 40000)).get("/metrics").text
    return {
        (sample.name, sample.labels.get("queue", "")): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
        if sample.name.startswith("alaune_queue_depth")
    }


def test_the_active_scheduler_stores_the_queue_depths_read_from_redis(
    db: Database, redis_url: str, prefix: str
) -> None:
    settings = dataclasses.replace(
        load_settings(env={}), broker_url=redis_url, broker_prefix=prefix
    )
    app = make_app(settings)
    ids = three_feeds(db)
    clock = Clock()
    active = Scheduler(db, Dispatch(app), "active", TIMING, clock=clock)
    standby = Scheduler(db, Dispatch(app), "standby", TIMING, clock=clock)
    assert isinstance(active.depths, BrokerDepths)  # found through the Celery app it sends with

    assert active.step().polls == 3  # three poll tasks now wait in Redis, nobody consumes them
    # The list kombu keeps for the queue, under the installation's key prefix (docs/scale.md).
    assert redis.Redis.from_url(redis_url).llen(f"{prefix}:{prefix}.poll") == len(ids)
    with db.read() as conn:
        stored = {row.queue: (row.depth, row.read_at) for row in queue_depths.latest(conn)}
    assert stored == {
        "poll": (3, T0),
        "pages": (0, T0),
        "images": (0, T0),
        "cluster": (0, T0),
    }
    assert _metrics(db) == {
        ("alaune_queue_depth", "poll"): 3,
        ("alaune_queue_depth", "pages"): 0,
        ("alaune_queue_depth", "images"): 0,
        ("alaune_queue_depth", "cluster"): 0,
        ("alaune_queue_depth_read_timestamp_seconds", "poll"): T0.timestamp(),
        ("alaune_queue_depth_read_timestamp_seconds", "pages"): T0.timestamp(),
        ("alaune_queue_depth_read_timestamp_seconds", "images"): T0.timestamp(),
        ("alaune_queue_depth_read_timestamp_seconds", "cluster"): T0.timestamp(),
    }

    for feed_id in ids:
        polled(db, feed_id, clock)
    clock.at(2)
    assert active.step().placements == 1  # the round is done: placement and images sent
    clock.at(3)
    assert not standby.step().took  # a standby reads nothing: the reading stays the active's
    with db.read() as conn:
        stored = {row.queue: (row.depth, row.read_at) for row in queue_depths.latest(conn)}
    at = T0 + timedelta(seconds=2)
    assert stored == {"poll": (3, at), "pages": (0, at), "images": (1, at), "cluster": (1, at)}


def test_an_unreadable_broker_does_not_stop_the_scheduler_which_prunes_old_timings(
    db: Database,
) -> None:
    def broken() -> dict[str, int]:
        raise ConnectionError("the broker is down")

    with db.write() as conn:
        timings.record(
            conn,
            [
                timings.StageRecord(
                    stage="cluster", finished_at=T0 - days, items=1, seconds=0.1, slowest=0.1
                )
                for days in (timedelta(days=3), timedelta(hours=1))
            ],
        )
        deliveries.begin(conn, "lost-for-good", task="alaune.poll_feed", now=T0 - timedelta(days=3))
        deliveries.begin(conn, "running", task="alaune.store_pages", now=T0 - timedelta(hours=1))
    ids = three_feeds(db)
    sent = Sent()
    only = Scheduler(db, sent, "only", TIMING, clock=Clock(), depths=broken)
    assert only.step().polls == 3
    assert sorted(sent.polls) == ids
    with db.read() as conn:
        assert queue_depths.latest(conn) == []
        left = timings.totals(conn, since=T0 - timedelta(days=30))
    assert left == {"cluster": timings.StageCount("cluster", 1, 0.1, 0.1)}
    with db.read() as conn:  # counts of tasks lost for good go too; a recent one stays
        assert list(conn.execute(select(task_deliveries.c.task_id)).scalars()) == ["running"]
    assert Scheduler(db, sent, "fake", TIMING).depths is None  # a sender without a broker
