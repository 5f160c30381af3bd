"""Dead letters: worker tasks that failed after their last retry, kept for an operator.

`record` stores the task's name, its arguments as JSON, the last error and how many attempts
were made, in the caller's transaction; `recent` reads them back, newest first. Nothing here
retries or replays a task: that is the workers' and the operator's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from alaune.store.schema import dead_letters

MAX_ERROR = 4000
MAX_PAYLOAD = 100_000


@dataclass(frozen=True, slots=True)
class DeadLetter:
    id: int
    task: str
    payload: Any  # the JSON the task was given
    error: str
    attempts: int
    failed_at: datetime


def record(
    conn: Connection, *, task: str, payload: Any, error: str, attempts: int, now: datetime
) -> int:
    """Store one dead letter; returns its id. `payload` must be JSON-serializable."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    if len(text) > MAX_PAYLOAD:  # keep the row readable; the task name and error still say what
        text = json.dumps({"truncated": text[:MAX_PAYLOAD]}, ensure_ascii=False)
    row_id = conn.execute(
        insert(dead_letters)
        .values(
            task=task[:64],
            payload=text,
            error=error[:MAX_ERROR],
            attempts=attempts,
            failed_at=now,
        )
        .returning(dead_letters.c.id)
    ).scalar_one()
    return int(row_id)


def recent(conn: Connection, *, limit: int = 50) -> list[DeadLetter]:
    """The latest dead letters, newest first."""
    query = select(dead_letters).order_by(dead_letters.c.id.desc()).limit(limit)
    return [
        DeadLetter(
            id=row.id,
            task=row.task,
            payload=json.loads(row.payload),
            error=row.error,
            attempts=row.attempts,
            failed_at=row.failed_at,
        )
        for row in conn.execute(query)
    ]
