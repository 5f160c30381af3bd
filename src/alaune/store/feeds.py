"""Feed state: validators for conditional GET, and the outcome of the last poll.

Validators (ETag, Last-Modified) are saved by `record_success`, which ingestion calls in the same
transaction as the articles the response listed, so a crash between the two cannot make alaune
skip articles it never stored (SECURITY.md promise 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from alaune.store.schema import feeds

MAX_ERROR_LENGTH = 1000


@dataclass(frozen=True, slots=True)
class FeedState:
    id: int
    outlet_id: str
    url: str
    kind: str
    etag: str | None
    last_modified: str | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_error_kind: str | None
    error_count: int


def list_feeds(conn: Connection, *, outlet_ids: set[str] | None = None) -> list[FeedState]:
    query = select(feeds).order_by(feeds.c.id)
    if outlet_ids is not None:
        query = query.where(feeds.c.outlet_id.in_(sorted(outlet_ids)))
    return [
        FeedState(
            id=row.id,
            outlet_id=row.outlet_id,
            url=row.url,
            kind=row.kind,
            etag=row.etag,
            last_modified=row.last_modified,
            last_polled_at=row.last_polled_at,
            last_success_at=row.last_success_at,
            last_error_kind=row.last_error_kind,
            error_count=row.error_count,
        )
        for row in conn.execute(query)
    ]


def record_success(
    conn: Connection, feed_id: int, *, etag: str | None, last_modified: str | None, at: datetime
) -> None:
    conn.execute(
        update(feeds)
        .where(feeds.c.id == feed_id)
        .values(
            etag=etag,
            last_modified=last_modified,
            last_polled_at=at,
            last_success_at=at,
            last_error_kind=None,
            last_error=None,
            error_count=0,
        )
    )


def record_not_modified(conn: Connection, feed_id: int, *, at: datetime) -> None:
    conn.execute(
        update(feeds)
        .where(feeds.c.id == feed_id)
        .values(last_polled_at=at, last_success_at=at, last_error_kind=None, error_count=0)
    )


def record_error(conn: Connection, feed_id: int, *, kind: str, message: str, at: datetime) -> None:
    conn.execute(
        update(feeds)
        .where(feeds.c.id == feed_id)
        .values(
            last_polled_at=at,
            last_error_kind=kind,
            last_error=message[:MAX_ERROR_LENGTH],
            error_count=feeds.c.error_count + 1,
        )
    )
