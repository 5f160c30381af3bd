"""Stage timings and queue depths, what `/metrics` reads of the workers (issue 8).

On SQLite and PostgreSQL: the tallies a crawler keeps in memory written as one row per stage,
the last hour summed, rows past two days pruned by retention, the queues' last readings. The
timed executor runs real extractions on its threads.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import func, select

from alaune.extract import extract
from alaune.ingest.retention import RetentionPolicy, prune
from alaune.ingest.timing import StageTimes, TimedExecutor
from alaune.store import queue_depths, timings
from alaune.store.engine import Database
from alaune.store.schema import stage_timings

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _row(
    stage: str, minutes_ago: float, items: int, seconds: float, slowest: float
) -> timings.StageRecord:
    return timings.StageRecord(
        stage=stage,
        finished_at=NOW - timedelta(minutes=minutes_ago),
        items=items,
        seconds=seconds,
        slowest=slowest,
    )


def _rows(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(stage_timings)).scalar_one())


def test_the_last_hour_is_summed_by_stage(db: Database) -> None:
    with db.write() as conn:
        timings.record(
            conn,
            [
                _row("extract", 90, 50, 5.0, 0.5),  # before the hour
                _row("extract", 30, 10, 0.25, 0.125),
                _row("extract", 5, 20, 0.5, 0.0625),
                _row("cluster", 10, 7, 1.5, 0.75),
            ],
        )
    with db.read() as conn:
        found = timings.totals(conn, since=NOW - timedelta(hours=1))
    assert found == {
        "extract": timings.StageCount("extract", 30, 0.75, 0.125),
        "cluster": timings.StageCount("cluster", 7, 1.5, 0.75),
    }


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="not one of"):
        timings.StageRecord(stage="fetch", finished_at=NOW, items=1, seconds=0.0, slowest=0.0)


def test_tallies_are_written_once_per_stage_and_batch(db: Database) -> None:
    times = StageTimes()
    assert times.save(db, at=NOW) == 0  # nothing tallied: nothing written
    for seconds in (0.5, 0.25, 1.0):
        times.add("cluster", seconds)
    times.add("images", 3.0, items=12)
    times.add("extract", 0.0, items=0)  # a round that found nothing to do
    assert times.save(db, at=NOW) == 2
    assert times.save(db, at=NOW) == 0  # taken: the next batch starts from nothing
    with db.read() as conn:
        found = timings.totals(conn, since=NOW)
    assert found == {
        "cluster": timings.StageCount("cluster", 3, 1.75, 1.0),
        "images": timings.StageCount("images", 12, 3.0, 3.0),
    }
    assert _rows(db) == 2


def _page(n: int) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraphe {k} de l'article {n} : le conseil municipal a voté le budget, après un "
        "long débat sur les transports et les écoles du quartier.</p>"
        for k in range(30)
    )
    return (
        f"<html><head><title>Article {n}</title></head><body><nav>Accueil</nav>"
        f"<article><h1>Article {n}</h1>{paragraphs}</article></body></html>"
    ).encode()


def test_the_timed_executor_times_each_extraction_in_cpu_seconds() -> None:
    pages = [_page(n) for n in range(6)]
    times = StageTimes()
    executor = TimedExecutor(times, timings.EXTRACT)

    async def extract_all() -> list[object]:
        loop = asyncio.get_running_loop()
        calls = [
            loop.run_in_executor(executor, partial(extract, html, url="https://x.example/a"))
            for html in pages
        ]
        return await asyncio.gather(*calls)

    found = asyncio.run(extract_all())
    assert len(found) == 6
    (row,) = times.take(at=NOW)
    assert (row.stage, row.items) == ("extract", 6)
    assert 0 < row.slowest <= row.seconds


def test_retention_prunes_stage_timings_older_than_two_days(db: Database) -> None:
    with db.write() as conn:
        timings.record(
            conn,
            [
                _row("extract", 60 * 24 * 3, 1, 0.1, 0.1),
                _row("cluster", 60 * 49, 1, 0.1, 0.1),
                _row("cluster", 60 * 47, 1, 0.1, 0.1),
                _row("images", 5, 1, 0.1, 0.1),
            ],
        )
    pruned = prune(db, RetentionPolicy(), now=NOW)
    assert pruned.stage_timings == 2
    assert _rows(db) == 2


def test_a_queue_reading_replaces_the_previous_one(db: Database) -> None:
    with db.write() as conn:
        queue_depths.save(conn, {"poll": 3, "pages": 0}, now=NOW - timedelta(seconds=5))
        queue_depths.save(conn, {"poll": 1, "cluster": 2}, now=NOW)
    with db.read() as conn:
        found = queue_depths.latest(conn)
    assert found == [
        queue_depths.QueueDepth("cluster", 2, NOW),
        queue_depths.QueueDepth("pages", 0, NOW - timedelta(seconds=5)),
        queue_depths.QueueDepth("poll", 1, NOW),
    ]
