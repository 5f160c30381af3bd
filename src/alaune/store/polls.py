"""The history of polls: one row per poll of a feed, what health and the benchmarks read.

`record_polls` appends rows (many at once: a crawl batches the bookkeeping of its 304s);
`errors_by_kind` counts recent failures per outlet and kind; `prune_polls` drops history older
than the retention setting. This module stores and counts; it must not decide what an outcome
means for scheduling (that is `alaune.ingest.schedule`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from alaune.store.schema import feeds, polls

#: What a poll came to: new listing read, 304, a failure, or a 429/503 asking for time.
OUTCOMES = ("ok", "not_modified", "error", "deferred")


@dataclass(frozen=True, slots=True, kw_only=True)
class PollRecord:
    feed_id: int
    at: datetime
    outcome: str
    error_kind: str | None = None
    http_status: int | None = None
    items: int = 0
    new_items: int = 0
    duration_ms: int = 0

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"poll outcome {self.outcome!r} is not one of {OUTCOMES}")


def record_polls(conn: Connection, records: Sequence[PollRecord]) -> None:
    if records:
        conn.execute(insert(polls), [asdict(record) for record in records])


def recent_polls(conn: Connection, feed_id: int, *, limit: int = 20) -> list[PollRecord]:
    """A feed's latest polls, newest first."""
    query = (
        select(polls)
        .where(polls.c.feed_id == feed_id)
        .order_by(polls.c.at.desc(), polls.c.id.desc())
        .limit(limit)
    )
    rows = conn.execute(query).mappings()
    return [PollRecord(**{k: v for k, v in row.items() if k != "id"}) for row in rows]


def errors_by_kind(conn: Connection, *, since: datetime) -> dict[str, dict[str, int]]:
    """outlet id → error kind → failed or deferred polls since `since`."""
    query = (
        select(feeds.c.outlet_id, polls.c.error_kind, func.count())
        .join(feeds, feeds.c.id == polls.c.feed_id)
        .where(polls.c.at >= since, polls.c.error_kind.is_not(None))
        .group_by(feeds.c.outlet_id, polls.c.error_kind)
    )
    counts: dict[str, dict[str, int]] = {}
    for outlet_id, kind, count in conn.execute(query):
        counts.setdefault(outlet_id, {})[kind] = int(count)
    return counts


def prune_polls(conn: Connection, *, before: datetime) -> int:
    """Delete poll history older than `before`; returns how many rows went."""
    return conn.execute(delete(polls).where(polls.c.at < before)).rowcount
