"""Leases in the `locks` table, and claims on the feeds handed to the workers (issue 8).

A lease keeps one process in a role (the scheduler; the worker placing stories; the one
downloading images): `acquire` takes a free or expired lease, or renews the caller's own, and
returns None when another holder's lease is still running; `release` ends the caller's lease at
once (another process may take it) while remembering who held it last, so that a process taking
its own lease back knows nobody held it in between. Every change is a compare-and-set on the row
it read, so two processes can never both be told they hold one lease, on SQLite or PostgreSQL.
Times are the callers' (machines' clocks must agree to well within a lease).

`claim_feeds` moves the next poll of due feeds to a time in the future in the same transaction
as the scheduler's lease renewal, so that a feed already handed out is not handed out again
until its poll is recorded (which sets its real next poll) or the claim runs out.

This module stores and compares; it must not decide how long a lease lasts or who should hold it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from alaune.store.schema import feeds, locks

#: The lease names alaune uses.
SCHEDULER, CLUSTER, IMAGES = "scheduler", "cluster", "images"


@dataclass(frozen=True, slots=True)
class Lease:
    """A lease the caller now holds. `previous` is who held it before this call (None: nobody
    ever did); `previous == holder` means the caller held it without interruption."""

    name: str
    holder: str
    expires_at: datetime
    previous: str | None

    @property
    def continued(self) -> bool:
        return self.previous == self.holder


def acquire(
    conn: Connection, name: str, holder: str, *, now: datetime, seconds: float
) -> Lease | None:
    """Take or renew the lease `name` for `seconds` from `now`; None if another holds it."""
    until = now + timedelta(seconds=seconds)
    query = select(locks.c.holder, locks.c.expires_at).where(locks.c.name == name)
    row = conn.execute(query.with_for_update()).first()
    if row is None:
        return Lease(name, holder, until, None) if _create(conn, name, holder, until) else None
    if row.holder != holder and row.expires_at > now:
        return None
    taken = conn.execute(
        update(locks)
        .where(
            locks.c.name == name,
            locks.c.holder == row.holder,
            locks.c.expires_at == row.expires_at,
        )
        .values(holder=holder, expires_at=until)
    ).rowcount
    return Lease(name, holder, until, row.holder) if taken else None


def _create(conn: Connection, name: str, holder: str, until: datetime) -> bool:
    """Insert the lease's first row; False when a racing process inserted it first.

    A savepoint and the primary key decide, on both databases (rowcount of an INSERT … ON
    CONFLICT DO NOTHING is -1 on PostgreSQL through SQLAlchemy 2.1: it cannot tell).
    """
    try:
        with conn.begin_nested():
            conn.execute(insert(locks).values(name=name, holder=holder, expires_at=until))
    except IntegrityError:
        return False
    return True


def release(conn: Connection, name: str, holder: str, *, now: datetime) -> bool:
    """End the caller's lease now (if it still holds it); True when it did."""
    ended = conn.execute(
        update(locks)
        .where(locks.c.name == name, locks.c.holder == holder, locks.c.expires_at > now)
        .values(expires_at=now)
    ).rowcount
    return bool(ended)


def holder_of(conn: Connection, name: str, *, now: datetime) -> str | None:
    """Who holds the lease `name` at `now`, or None when it is free or expired."""
    row = conn.execute(
        select(locks.c.holder).where(locks.c.name == name, locks.c.expires_at > now)
    ).first()
    return None if row is None else str(row.holder)


def claim_feeds(
    conn: Connection, feed_ids: Collection[int], *, now: datetime, until: datetime
) -> list[int]:
    """Of `feed_ids`, claim those still due at `now` (next poll not after it) until `until`;
    returns the ids claimed, which no other claim in the meantime can return."""
    if not feed_ids:
        return []
    claimed = conn.execute(
        update(feeds)
        .where(feeds.c.id.in_(sorted(feed_ids)))
        .where(or_(feeds.c.next_poll_at.is_(None), feeds.c.next_poll_at <= now))
        .values(next_poll_at=until)
        .returning(feeds.c.id)
    )
    return sorted(int(feed_id) for feed_id in claimed.scalars())


def still_claimed(conn: Connection, feed_ids: Collection[int], *, until: datetime) -> set[int]:
    """Of `feed_ids` claimed until `until`, those whose poll is not recorded yet (a recorded
    poll sets the feed's own next poll time)."""
    if not feed_ids:
        return set()
    query = select(feeds.c.id).where(
        feeds.c.id.in_(sorted(feed_ids)), feeds.c.next_poll_at == until
    )
    return {int(feed_id) for feed_id in conn.execute(query).scalars()}
