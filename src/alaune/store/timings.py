"""How long the stages of ingestion take: one `stage_timings` row per stage and batch.

The process that does the work (the embedded crawler, or a Celery worker in another machine)
keeps its stage's tally in memory (`ingest.timing.StageTimes`) and writes it here once per batch
(a crawl round, a worker task), never once per article; `/metrics` sums the last hour's rows at
scrape time (`totals`). A row says, for one stage: when the batch ended, how many items it
handled, their summed duration and the longest one. Rows older than `KEEP` are pruned
(`prune`, from `ingest.retention` and the active scheduler).

Stages: `extract` (a page's main text, metadata and blocks pulled from its HTML: one item per
page, timed in CPU seconds of the thread that extracts it), `cluster` (an article placed in its
story: fingerprint, embedding, decision and its write; one item per article, wall time),
`images` (a round of image downloads: one item per image, `seconds` the rounds' wall time and
`slowest` the longest round, since images are downloaded several at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select

from alaune.store.schema import stage_timings

EXTRACT, CLUSTER, IMAGES = "extract", "cluster", "images"
STAGES = (EXTRACT, CLUSTER, IMAGES)
#: How long rows are kept: `/metrics` reads one hour; the rest is for looking back by hand.
KEEP = timedelta(days=2)


@dataclass(frozen=True, slots=True, kw_only=True)
class StageRecord:
    """One batch of one stage."""

    stage: str
    finished_at: datetime
    items: int
    seconds: float  # summed over the items
    slowest: float  # the longest item

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"stage {self.stage!r} is not one of {STAGES}")


@dataclass(frozen=True, slots=True)
class StageCount:
    """A stage's batches since some time, summed."""

    stage: str
    items: int
    seconds: float
    slowest: float


def record(conn: Connection, records: Sequence[StageRecord]) -> None:
    """Append the batches' rows, in the caller's transaction."""
    if records:
        conn.execute(insert(stage_timings), [asdict(row) for row in records])


def totals(conn: Connection, *, since: datetime) -> dict[str, StageCount]:
    """stage → its rows finished at or after `since`, summed (stages with none left out).
    Read through the `finished_at` index: the cost follows the window's rows."""
    query = (
        select(
            stage_timings.c.stage,
            func.coalesce(func.sum(stage_timings.c["items"]), 0),  # `c.items` is a method
            func.coalesce(func.sum(stage_timings.c.seconds), 0.0),
            func.coalesce(func.max(stage_timings.c.slowest), 0.0),
        )
        .where(stage_timings.c.finished_at >= since)
        .group_by(stage_timings.c.stage)
    )
    return {
        str(stage): StageCount(str(stage), int(items), float(seconds), float(slowest))
        for stage, items, seconds, slowest in conn.execute(query).all()
    }


def prune(conn: Connection, *, before: datetime) -> int:
    """Delete the rows of batches finished before `before`; returns how many went."""
    return conn.execute(delete(stage_timings).where(stage_timings.c.finished_at < before)).rowcount
