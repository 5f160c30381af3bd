"""Deliveries of worker tasks that have not finished: how a task that kills its worker is caught.

A task is acknowledged only after it returns (`acks_late`) and handed back when its worker
process dies (`reject_on_worker_lost`), so a task whose own work kills the process (a page or an
image that crashes a C library, memory blown by one document) would otherwise be delivered, and
kill a worker, forever. Each delivery is counted here before the task runs (`begin`) and the
count is dropped once it has finished in any way, success or exception (`finish`): only deliveries
cut short by a dying process accumulate. The workers' wrapper (workers/app.py) buries a task as a
dead letter once `begin` counts more than `task_deliveries_max`.

Nothing here knows Celery; the caller's transaction is used.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from alaune.store.dialect import insert_new
from alaune.store.schema import task_deliveries


def begin(conn: Connection, task_id: str, *, task: str, now: datetime) -> int:
    """Count one more delivery of `task_id`; returns how many there have been, this one
    included, since it last finished."""
    values = {"task_id": task_id, "task": task, "deliveries": 1, "first_at": now, "last_at": now}
    if insert_new(conn, task_deliveries, values):
        return 1
    conn.execute(
        update(task_deliveries)
        .where(task_deliveries.c.task_id == task_id)
        .values(deliveries=task_deliveries.c.deliveries + 1, last_at=now)
    )
    count = conn.execute(
        select(task_deliveries.c.deliveries).where(task_deliveries.c.task_id == task_id)
    ).scalar_one()
    return int(count)


def finish(conn: Connection, task_id: str) -> None:
    """The task finished (returned or raised): its unfinished deliveries are forgotten."""
    conn.execute(delete(task_deliveries).where(task_deliveries.c.task_id == task_id))


def prune(conn: Connection, *, before: datetime) -> int:
    """Forget counts last touched before `before` (a task lost for good never finishes)."""
    result = conn.execute(delete(task_deliveries).where(task_deliveries.c.last_at < before))
    return int(result.rowcount or 0)
