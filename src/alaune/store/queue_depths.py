"""The broker's queue lengths, as the active scheduler last read them (scale-out mode).

The queues live in the broker (Redis or RabbitMQ), which the web processes do not talk to; the
one active scheduler reads each queue's length every tick and `save`s it here, one row per
queue, with the time of the reading, so that `/metrics` can show it and a stale reading (no
active scheduler) is visible. The embedded mode has no broker and writes nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from alaune.store.dialect import insert_new
from alaune.store.schema import queue_depths


@dataclass(frozen=True, slots=True)
class QueueDepth:
    queue: str  # the queue's short name: poll | pages | images | cluster
    depth: int  # messages waiting in it (not those a worker has taken)
    read_at: datetime


def save(conn: Connection, depths: Mapping[str, int], *, now: datetime) -> None:
    """Store each queue's length as read at `now`, replacing the previous reading."""
    for queue, depth in depths.items():
        changed = conn.execute(
            update(queue_depths)
            .where(queue_depths.c.queue == queue)
            .values(depth=depth, read_at=now)
        ).rowcount
        if not changed:
            insert_new(conn, queue_depths, {"queue": queue, "depth": depth, "read_at": now})


def latest(conn: Connection) -> list[QueueDepth]:
    """Every queue's last reading, by name."""
    query = select(queue_depths).order_by(queue_depths.c.queue)
    return [QueueDepth(row.queue, int(row.depth), row.read_at) for row in conn.execute(query)]
