"""Work the web process asks of the crawler, which alone may use the network.

The admin area `enqueue`s a job (discover an outlet's feeds from a homepage, poll an outlet now);
the crawler `take`s queued jobs oldest first, marks them running, and `finish`es each with its
outcome, which the admin area shows. A job left `running` by a killed crawler is taken again
after `stale_after` seconds: jobs are idempotent (discovery writes a registry entry by id; a poll
is a poll).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from alaune.store.schema import jobs

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
DISCOVER, POLL = "discover", "poll"


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    payload: dict[str, Any]
    status: str
    result: str
    requested_by: str
    created_at: datetime
    finished_at: datetime | None


def enqueue(
    conn: Connection, kind: str, payload: dict[str, Any], *, requested_by: str, now: datetime
) -> int:
    return int(
        conn.execute(
            insert(jobs)
            .values(
                kind=kind,
                payload=json.dumps(payload, sort_keys=True),
                requested_by=requested_by,
                created_at=now,
            )
            .returning(jobs.c.id)
        ).scalar_one()
    )


def take(
    conn: Connection, *, now: datetime, limit: int = 10, stale_after: float = 600
) -> list[Job]:
    """Queued jobs (and running ones abandoned for `stale_after` s), now marked running."""
    stale = now - timedelta(seconds=stale_after)
    query = (
        select(jobs)
        .where(
            or_(
                jobs.c.status == QUEUED,
                and_(jobs.c.status == RUNNING, jobs.c.finished_at < stale),
            )
        )
        .order_by(jobs.c.id)
        .limit(limit)
    )
    taken = [_job(row) for row in conn.execute(query)]
    if taken:
        # `finished_at` of a running job is when it was taken: how staleness is told.
        conn.execute(
            update(jobs)
            .where(jobs.c.id.in_([job.id for job in taken]))
            .values(status=RUNNING, finished_at=now)
        )
    return taken


def finish(conn: Connection, job_id: int, *, ok: bool, result: str, now: datetime) -> None:
    conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id)
        .values(status=DONE if ok else FAILED, result=result[:2000], finished_at=now)
    )


def recent(conn: Connection, *, limit: int = 20) -> list[Job]:
    query = select(jobs).order_by(jobs.c.id.desc()).limit(limit)
    return [_job(row) for row in conn.execute(query)]


def _job(row: Any) -> Job:
    try:
        payload = json.loads(row.payload)
    except ValueError:
        payload = {}
    return Job(
        id=row.id,
        kind=row.kind,
        payload=payload if isinstance(payload, dict) else {},
        status=row.status,
        result=row.result,
        requested_by=row.requested_by,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )
