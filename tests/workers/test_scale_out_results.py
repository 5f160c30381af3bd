"""Issue 8, item 2: the scale-out mode gives the embedded mode's results.

The demo outlets are crawled twice: once by the embedded crawl (`alaune crawl --once`'s code)
into SQLite, once by `alaune scheduler` and two `alaune worker` processes into PostgreSQL
through Redis. Both must store the same articles (canonical URLs), see the same wire copies
and fold them into the same stories. Meanwhile a malformed task is retried, then recorded as a
dead letter without disturbing the crawl, and the workers stop gracefully on SIGTERM. The
workers' tasks write their extraction, clustering and image times for `/metrics`, and the
scheduler the queues' lengths.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from workers_support import (
    Outcome,
    ScaleOut,
    counts,
    dispatch,
    embedded_crawl,
    register_demo,
    wait_until,
)

from alaune.config import Settings
from alaune.demo.corpus import Corpus, load_corpus
from alaune.demo.server import DemoOutlets
from alaune.store import dead_letters, queue_depths, timings
from alaune.store.engine import Database
from alaune.workers.queues import TASKS


@pytest.mark.postgres
def test_two_workers_on_postgresql_store_what_the_embedded_crawl_stores(
    scale: ScaleOut,
    pg: Database,
    sqlite_db: Database,
    demo: DemoOutlets,
    demo_settings: Settings,
) -> None:
    corpus: Corpus = load_corpus()
    register_demo(pg, demo, scale)
    scale.settings.update({"ALAUNE_TASK_RETRIES": "1", "ALAUNE_BROKER_VISIBILITY_TIMEOUT": "120"})
    workers = [
        scale.worker("worker-1", "poll,pages,images"),
        scale.worker("worker-2", "poll,pages,images,cluster"),
    ]
    scheduler = scale.scheduler()
    dispatch(scale).pages({"not": "a listing"})

    report = embedded_crawl(sqlite_db, demo, demo_settings)  # meanwhile, in this process
    assert report.added == len(corpus.articles)
    expected = Outcome.of(sqlite_db)

    total = len(corpus.articles)
    wait_until(lambda: counts(pg) == (total, total, total), timeout=150, what="the crawl")
    assert Outcome.of(pg).urls == expected.urls
    assert Outcome.of(pg).copies == expected.copies
    assert Outcome.of(pg).stories == expected.stories

    def timed() -> dict[str, timings.StageCount]:
        with pg.read() as conn:
            return timings.totals(conn, since=datetime.now(UTC) - timedelta(hours=1))

    def all_timed() -> bool:
        found = timed()
        return all(stage in found for stage in timings.STAGES) and (found["cluster"].items == total)

    wait_until(all_timed, timeout=60, what="the stage timings")
    found = timed()
    assert found["extract"].items >= total  # a redelivered listing may extract a page again
    for count in found.values():
        assert count.items > 0
        assert 0 < count.slowest <= count.seconds
    with pg.read() as conn:
        depths = {row.queue: row for row in queue_depths.latest(conn)}
    assert sorted(depths) == ["cluster", "images", "pages", "poll"]
    assert all(row.read_at > datetime.now(UTC) - timedelta(minutes=5) for row in depths.values())

    wait_until(lambda: _dead(pg) != [], timeout=30, what="the dead letter")
    (letter,) = _dead(pg)
    assert (letter.task, letter.attempts) == (TASKS["pages"], 2)
    assert letter.payload["args"] == [{"not": "a listing"}]
    assert "KeyError" in letter.error

    for process in workers:
        assert process.stop() == 0, process.output()
        assert "stopped" in process.output()
    assert scheduler.stop() == 0, scheduler.output()
    assert "Handed 9 feeds to the workers." in scheduler.output()


def _dead(db: Database) -> list[dead_letters.DeadLetter]:
    with db.read() as conn:
        return dead_letters.recent(conn)
