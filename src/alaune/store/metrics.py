"""What the operator's `/metrics` reads from the database at scrape time, in one `Snapshot`.

Every count here is answered from an index or a small table, so that a scrape stays cheap at a
million articles and tens of millions of polls: feeds, jobs, dead letters and stories are small
or indexed by status; images are counted through their `status` and `needs_review` indexes. The
last hour of polls and of new articles is found by bisecting the primary key (rows are appended
in time order: a poll is recorded, an article first seen, as it happens), then read as one range
of ids, so its cost follows the hour's rows, never the table's. "Stored articles" is the one
count that grows with the corpus. The workers' stage timings of the last hour are read through
their table's time index (store.timings: a few rows per crawl round or worker task), and the
broker's queue depths are the scheduler's last reading (store.queue_depths: one row per queue).
Read-only; this module must not write nor know the web.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, ColumnElement, Connection, Table, func, select

from alaune.store import queue_depths as depth_store
from alaune.store import timings
from alaune.store.polls import PAGE_OUTCOMES
from alaune.store.queue_depths import QueueDepth
from alaune.store.schema import articles, dead_letters, feeds, images, jobs, outlets, polls, stories

WINDOW = timedelta(hours=1)
SLACK = timedelta(minutes=10)  # how far out of time order rows may be written


@dataclass(frozen=True, slots=True)
class PollCount:
    outcome: str  # ok | not_modified | error
    error_kind: str  # "" unless the outcome is an error
    polls: int
    seconds: float  # their summed duration
    slowest: float  # the longest one, in seconds


@dataclass(frozen=True, slots=True)
class Snapshot:
    articles: int  # stored now
    articles_last_hour: int  # first seen within WINDOW
    outlets: int
    stories: dict[str, int]  # by status: open | closed | merged
    feeds: dict[str, int]  # by status: ok | failing
    feed_errors: dict[str, int]  # feeds whose last poll failed, by its error kind
    polls_last_hour: list[PollCount]
    images: dict[str, int]  # by status: pending | stored | rejected
    images_awaiting_review: int
    jobs: dict[str, int]  # by status: queued | running | done | failed
    dead_letters: int
    stages_last_hour: dict[str, timings.StageCount]  # by stage: extract | cluster | images
    queue_depths: list[QueueDepth]  # the broker's queues (scale-out; empty in embedded mode)


def snapshot(conn: Connection, *, now: datetime) -> Snapshot:
    """Every number of the snapshot, as of `now`."""
    since = now - WINDOW
    return Snapshot(
        articles=_count(conn, articles),
        articles_last_hour=_recent_articles(conn, since),
        outlets=_count(conn, outlets),
        stories=_by(conn, stories.c.status),
        feeds=_by(conn, feeds.c.status),
        feed_errors=_by(conn, feeds.c.last_error_kind, feeds.c.last_error_kind.is_not(None)),
        polls_last_hour=_recent_polls(conn, since),
        images=_by(conn, images.c.status),
        images_awaiting_review=_count(conn, images, images.c.needs_review.is_(True)),
        jobs=_by(conn, jobs.c.status),
        dead_letters=_count(conn, dead_letters),
        stages_last_hour=timings.totals(conn, since=since),
        queue_depths=depth_store.latest(conn),
    )


def _count(conn: Connection, table: Table, *where: ColumnElement[bool]) -> int:
    query = select(func.count()).select_from(table)
    for condition in where:
        query = query.where(condition)
    return int(conn.execute(query).scalar_one())


def _by(conn: Connection, column: Column[str], *where: ColumnElement[bool]) -> dict[str, int]:
    query = select(column, func.count()).group_by(column)
    for condition in where:
        query = query.where(condition)
    return {str(key): int(n) for key, n in conn.execute(query).all()}


def _recent_articles(conn: Connection, since: datetime) -> int:
    start = first_id_since(conn, articles.c.id, articles.c.first_seen_at, since)
    if start is None:
        return 0
    query = select(func.count()).where(articles.c.id >= start, articles.c.first_seen_at >= since)
    return int(conn.execute(query).scalar_one())


def _recent_polls(conn: Connection, since: datetime) -> list[PollCount]:
    start = first_id_since(conn, polls.c.id, polls.c.at, since)
    if start is None:
        return []
    kind = func.coalesce(polls.c.error_kind, "")
    query = (
        select(
            polls.c.outcome,
            kind,
            func.count(),
            func.coalesce(func.sum(polls.c.duration_ms), 0),
            func.coalesce(func.max(polls.c.duration_ms), 0),
        )
        # Page tallies share the table (store.polls.PAGE_OUTCOMES) but are not polls.
        .where(polls.c.id >= start, polls.c.at >= since, polls.c.outcome.not_in(PAGE_OUTCOMES))
        .group_by(polls.c.outcome, kind)
        .order_by(polls.c.outcome, kind)
    )
    return [
        PollCount(outcome, error_kind, int(n), int(total) / 1000, int(slowest) / 1000)
        for outcome, error_kind, n, total, slowest in conn.execute(query).all()
    ]


def first_id_since(
    conn: Connection, id_: Column[int], at: Column[datetime], since: datetime
) -> int | None:
    """An id from which every row at or after `since` is found (None: there is none).

    Bisects the id range with one primary-key lookup per step (about 25 at 30 million rows),
    assuming times grow with ids. Rows are written up to a batch late (polls) or in a
    different order than they were timed, so the bisection looks for `since - SLACK`; the
    caller filters on the time itself, so nothing is counted that is outside the window.
    """
    low, high = conn.execute(select(func.min(id_), func.max(id_))).one()
    if high is None:
        return None
    early = since - SLACK

    def reached(candidate: int) -> bool:
        row = conn.execute(select(at).where(id_ >= candidate).order_by(id_).limit(1)).first()
        return row is not None and row[0] >= early

    if not reached(high):
        return None
    return _bisect(int(low), int(high), reached)


def _bisect(low: int, high: int, reached: Callable[[int], bool]) -> int:
    """The smallest value in [low, high] for which `reached` holds (it holds at `high`)."""
    while low < high:
        middle = (low + high) // 2
        if reached(middle):
            high = middle
        else:
            low = middle + 1
    return low
