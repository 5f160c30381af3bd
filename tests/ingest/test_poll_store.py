"""The store side of polling: a feed's state after each kind of poll, which feeds are due, and
the poll history, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from ingest_support import outlet
from sqlalchemy import update

from alaune.store import feeds, outlets, polls
from alaune.store.engine import Database
from alaune.store.schema import outlets as outlets_table

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def one_feed(db: Database) -> int:
    with db.write() as conn:
        outlets.sync_outlets(conn, [outlet("echo", "https://echo.example/rss.xml")], now=T0)
    with db.read() as conn:
        return feeds.list_feeds(conn)[0].id


def state(db: Database) -> feeds.FeedState:
    with db.read() as conn:
        return feeds.list_feeds(conn)[0]


def save(db: Database, feed_id: int, **fields: object) -> feeds.FeedState:
    values: dict[str, object] = {"at": T0, "success": True, "next_poll_at": T0, **fields}
    with db.write() as conn:
        feeds.save_poll(conn, feed_id, feeds.PollSaved(**values))  # type: ignore[arg-type]
    return state(db)


def test_a_poll_changes_only_what_it_knows(db: Database) -> None:
    feed_id = one_feed(db)
    later = T0 + timedelta(hours=1)
    first = save(db, feed_id, new_items=3, validators=('"v1"', "Sun, 29 Nov 2026"), interval=900.0)
    assert (first.etag, first.last_success_at, first.last_new_at) == ('"v1"', T0, T0)
    failed = save(
        db, feed_id, at=later, success=False, error_kind="timeout", error="x" * 5000, failures=1
    )
    assert (failed.etag, failed.last_success_at, failed.last_new_at) == ('"v1"', T0, T0)
    assert (failed.last_error_kind, failed.error_count, failed.last_polled_at) == (
        "timeout",
        1,
        later,
    )
    not_modified = save(db, feed_id, at=later, next_poll_at=later, interval=1125.0)
    assert (not_modified.etag, not_modified.last_error_kind, not_modified.error_count) == (
        '"v1"',
        None,
        0,
    )
    assert (not_modified.last_success_at, not_modified.poll_interval) == (later, 1125.0)
    cleared = save(db, feed_id, validators=(None, None))
    assert (cleared.etag, cleared.last_modified) == (None, None)


def test_due_feeds_and_paused_outlets(db: Database) -> None:
    feed_id = one_feed(db)
    with db.read() as conn:
        assert len(feeds.list_feeds(conn, due_at=T0)) == 1  # never polled: due
    save(db, feed_id, next_poll_at=T0 + timedelta(minutes=15))
    with db.read() as conn:
        assert feeds.list_feeds(conn, due_at=T0 + timedelta(minutes=14)) == []
        assert len(feeds.list_feeds(conn, due_at=T0 + timedelta(minutes=15))) == 1
    with db.write() as conn:
        conn.execute(update(outlets_table).values(paused=True))
    with db.read() as conn:
        assert feeds.list_feeds(conn, active_only=True) == []
        assert len(feeds.list_feeds(conn)) == 1


def test_poll_history(db: Database) -> None:
    feed_id = one_feed(db)
    records = [
        polls.PollRecord(feed_id=feed_id, at=T0, outcome="ok", items=20, new_items=20),
        polls.PollRecord(feed_id=feed_id, at=T0 + timedelta(minutes=15), outcome="not_modified"),
        polls.PollRecord(
            feed_id=feed_id,
            at=T0 + timedelta(minutes=30),
            outcome="deferred",
            error_kind="http_status",
            http_status=503,
        ),
        polls.PollRecord(
            feed_id=feed_id, at=T0 + timedelta(hours=1), outcome="error", error_kind="timeout"
        ),
    ]
    with db.write() as conn:
        polls.record_polls(conn, records)
    with db.read() as conn:
        assert polls.recent_polls(conn, feed_id, limit=2) == records[::-1][:2]
        assert polls.errors_by_kind(conn, since=T0) == {"echo": {"http_status": 1, "timeout": 1}}
        assert polls.errors_by_kind(conn, since=T0 + timedelta(minutes=45)) == {
            "echo": {"timeout": 1}
        }
    with db.write() as conn:
        assert polls.prune_polls(conn, before=T0 + timedelta(minutes=20)) == 2
    with pytest.raises(ValueError, match="outcome"):
        polls.PollRecord(feed_id=feed_id, at=T0, outcome="maybe")
