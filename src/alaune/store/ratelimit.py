"""Fixed-window rate counters shared by every web process (reports, logins).

`hit` counts one event for (scope, key) and says whether it is within `limit` per `period`
seconds, and if not, how long to wait. Keys are keyed hashes made by the caller, never addresses.
A counter whose window ended restarts at one. `prune` drops counters idle for a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, select, update

from alaune.store.dialect import insert_new
from alaune.store.schema import rate_counters


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds, 0 when allowed


def hit(
    conn: Connection, scope: str, key: str, *, now: datetime, period: float, limit: int
) -> Verdict:
    where = (rate_counters.c.scope == scope) & (rate_counters.c.key == key)
    row = conn.execute(
        select(rate_counters.c.started_at, rate_counters.c.count.label("hits")).where(where)
    )
    found = row.first()
    if found is None or now - found.started_at >= timedelta(seconds=period):
        if found is None and insert_new(
            conn, rate_counters, {"scope": scope, "key": key, "started_at": now, "count": 1}
        ):
            return Verdict(limit >= 1, 0 if limit >= 1 else round(period))
        conn.execute(update(rate_counters).where(where).values(started_at=now, count=1))
        return Verdict(limit >= 1, 0 if limit >= 1 else round(period))
    if found.hits >= limit:
        wait = found.started_at + timedelta(seconds=period) - now
        return Verdict(False, max(1, int(wait.total_seconds()) + 1))
    conn.execute(update(rate_counters).where(where).values(count=rate_counters.c.count + 1))
    return Verdict(True, 0)


def peek(conn: Connection, scope: str, key: str, *, now: datetime, period: float) -> int:
    """Events counted for (scope, key) in its current window, without counting one."""
    found = conn.execute(
        select(rate_counters.c.started_at, rate_counters.c.count.label("hits")).where(
            (rate_counters.c.scope == scope) & (rate_counters.c.key == key)
        )
    ).first()
    if found is None or now - found.started_at >= timedelta(seconds=period):
        return 0
    return int(found.hits)


def clear(conn: Connection, scope: str, key: str) -> None:
    conn.execute(
        delete(rate_counters).where((rate_counters.c.scope == scope) & (rate_counters.c.key == key))
    )


def prune(conn: Connection, *, now: datetime, idle: float = 86400.0) -> int:
    result = conn.execute(
        delete(rate_counters).where(rate_counters.c.started_at < now - timedelta(seconds=idle))
    )
    return int(result.rowcount or 0)
