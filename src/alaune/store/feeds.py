"""Feed state: validators for conditional GET, the outcome of the last poll, the schedule.

Validators (ETag, Last-Modified) and the next poll time are saved by `save_poll` (or the older
`record_success`), which ingestion calls only after the articles the response listed are
committed, so a crash between the two cannot make alaune skip articles it never stored
(SECURITY.md promise 1). `list_feeds` selects what a crawl polls: every feed, or the due feeds of
outlets that are not paused. This module stores what it is given; when to poll is decided by
`alaune.ingest.schedule`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Connection, bindparam, case, or_, select, update

from alaune.store.schema import feeds, outlets

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
    error_count: int  # consecutive hard failures
    next_poll_at: datetime | None = None
    poll_interval: float | None = None
    last_new_at: datetime | None = None
    status: str = "ok"


@dataclass(frozen=True, slots=True, kw_only=True)
class PollSaved:
    """A feed's state after a poll, as ingestion decided it."""

    at: datetime
    success: bool
    new_items: int = 0
    error_kind: str | None = None
    error: str | None = None
    failures: int = 0
    status: str = "ok"
    interval: float | None = None
    next_poll_at: datetime
    #: (etag, last_modified) to store, or None to keep the stored ones.
    validators: tuple[str | None, str | None] | None = None


def list_feeds(
    conn: Connection,
    *,
    outlet_ids: set[str] | None = None,
    due_at: datetime | None = None,
    active_only: bool = False,
) -> list[FeedState]:
    """Feeds by id; `due_at` keeps those never scheduled or due by then, `active_only` drops
    the feeds of paused outlets."""
    query = select(feeds).order_by(feeds.c.id)
    if outlet_ids is not None:
        query = query.where(feeds.c.outlet_id.in_(sorted(outlet_ids)))
    if due_at is not None:
        query = query.where(or_(feeds.c.next_poll_at.is_(None), feeds.c.next_poll_at <= due_at))
    if active_only:
        paused = select(outlets.c.id).where(outlets.c.paused.is_(True))
        query = query.where(feeds.c.outlet_id.not_in(paused.scalar_subquery()))
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
            next_poll_at=row.next_poll_at,
            poll_interval=row.poll_interval,
            last_new_at=row.last_new_at,
            status=row.status,
        )
        for row in conn.execute(query)
    ]


def save_poll(conn: Connection, feed_id: int, saved: PollSaved) -> None:
    """Store a feed's state after a poll; call it after the poll's articles are committed."""
    save_polls(conn, [(feed_id, saved)])


def save_polls(conn: Connection, batch: Sequence[tuple[int, PollSaved]]) -> None:
    """`save_poll` for many feeds in one statement (executemany): a poll round's bookkeeping
    costs one round trip, not one per feed. Columns a poll leaves alone keep their value."""
    if batch:
        conn.execute(_SAVE_POLL, [_poll_params(feed_id, saved) for feed_id, saved in batch])


def _keep_unless(flag: str, value: str, column: Any) -> Any:
    return case((bindparam(flag, type_=Boolean), bindparam(value, type_=column.type)), else_=column)


# One statement for every kind of poll: CASE keeps what a poll does not change (the last
# success of a failed poll, the validators of a 304) so that a batch shares one SQL text.
_SAVE_POLL = (
    update(feeds)
    .where(feeds.c.id == bindparam("b_id"))
    .values(
        last_polled_at=bindparam("b_at"),
        error_count=bindparam("b_failures"),
        status=bindparam("b_status"),
        poll_interval=bindparam("b_interval"),
        next_poll_at=bindparam("b_next"),
        last_error_kind=bindparam("b_error_kind"),
        last_error=bindparam("b_error"),
        last_success_at=_keep_unless("b_success", "b_at2", feeds.c.last_success_at),
        last_new_at=_keep_unless("b_new", "b_at3", feeds.c.last_new_at),
        etag=_keep_unless("b_validate", "b_etag", feeds.c.etag),
        last_modified=_keep_unless("b_validate2", "b_last_modified", feeds.c.last_modified),
    )
)


def _poll_params(feed_id: int, saved: PollSaved) -> dict[str, object]:
    etag, last_modified = saved.validators or (None, None)
    return {
        "b_id": feed_id,
        "b_at": saved.at,
        "b_at2": saved.at,
        "b_at3": saved.at,
        "b_failures": saved.failures,
        "b_status": saved.status,
        "b_interval": saved.interval,
        "b_next": saved.next_poll_at,
        "b_error_kind": None if saved.success else saved.error_kind,
        "b_error": None if saved.success else (saved.error or "")[:MAX_ERROR_LENGTH],
        "b_success": saved.success,
        "b_new": saved.new_items > 0,
        "b_validate": saved.validators is not None,
        "b_validate2": saved.validators is not None,
        "b_etag": etag,
        "b_last_modified": last_modified,
    }


def forget_validators(conn: Connection, feed_id: int) -> None:
    """Drop a feed's ETag and Last-Modified, so its next poll reads the whole listing again."""
    conn.execute(update(feeds).where(feeds.c.id == feed_id).values(etag=None, last_modified=None))


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
