"""The `locks` table's leases and the feed claims, on SQLite and PostgreSQL (issue 8).

Two holders are never both told they hold one lease: not in turn (a lease runs until it
expires or is released), and not at once (eight threads racing on PostgreSQL). A feed claimed
for polling cannot be claimed again until its claim runs out.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from alaune.store import dead_letters, locks
from alaune.store.engine import Database
from alaune.store.schema import feeds, outlets
from alaune.store.schema import locks as locks_table

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def acquire(db: Database, holder: str, seconds: float) -> locks.Lease | None:
    with db.write() as conn:
        return locks.acquire(conn, "role", holder, now=at(seconds), seconds=10)


def test_a_lease_is_held_until_it_expires_or_is_released(db: Database) -> None:
    first = acquire(db, "a", 0)
    assert first is not None
    assert first.previous is None
    assert acquire(db, "b", 5) is None  # a's lease runs until 10
    renewed = acquire(db, "a", 5)
    assert renewed is not None
    assert renewed.continued
    assert acquire(db, "b", 14.9) is None
    taken = acquire(db, "b", 15)
    assert taken is not None
    assert taken.previous == "a"
    assert not taken.continued
    assert acquire(db, "a", 16) is None  # a lost it: its renewal fails
    with db.write() as conn:
        assert not locks.release(conn, "role", "a", now=at(17))  # not a's to release
        assert locks.release(conn, "role", "b", now=at(17))
        assert locks.holder_of(conn, "role", now=at(17)) is None
    back = acquire(db, "b", 18)  # released, then taken back by its last holder
    assert back is not None
    assert back.continued
    with db.write() as conn:
        locks.release(conn, "role", "b", now=at(19))
    other = acquire(db, "a", 19)  # released: free at once for another
    assert other is not None
    assert other.previous == "b"


def _feeds(db: Database, count: int) -> list[int]:
    with db.write() as conn:
        conn.execute(
            outlets.insert().values(
                id="o",
                name="O",
                homepage="https://o.example/",
                languages="fr",
                country="MA",
                policy="excerpt",
                created_at=T0,
            )
        )
        for n in range(count):
            conn.execute(
                feeds.insert().values(outlet_id="o", url=f"https://o.example/{n}", kind="rss")
            )
        return [row.id for row in conn.execute(feeds.select().order_by(feeds.c.id))]


def test_a_claimed_feed_is_not_claimed_again_until_its_claim_runs_out(db: Database) -> None:
    ids = _feeds(db, 3)
    with db.write() as conn:
        assert locks.claim_feeds(conn, ids[:2], now=at(0), until=at(60)) == ids[:2]
        assert locks.claim_feeds(conn, ids, now=at(1), until=at(61)) == ids[2:]
        # a recorded poll sets the feed's own next poll: no longer claimed
        conn.execute(feeds.update().where(feeds.c.id == ids[0]).values(next_poll_at=at(900)))
        assert locks.still_claimed(conn, ids[:2], until=at(60)) == {ids[1]}
        assert locks.claim_feeds(conn, ids, now=at(60), until=at(120)) == [ids[1]]


def test_dead_letters_keep_the_task_its_arguments_and_the_error(db: Database) -> None:
    with db.write() as conn:
        dead_letters.record(
            conn,
            task="alaune.poll_feed",
            payload={"args": [3, "o"]},
            error="StoreError: down",
            attempts=6,
            now=T0,
        )
    with db.read() as conn:
        (letter,) = dead_letters.recent(conn)
    assert (letter.task, letter.payload, letter.attempts) == (
        "alaune.poll_feed",
        {"args": [3, "o"]},
        6,
    )
    assert letter.error == "StoreError: down"
    assert letter.failed_at == T0


@pytest.mark.postgres
@pytest.mark.parametrize("race", range(3))
def test_racing_processes_never_hold_one_lease_at_once(postgres_db: Database, race: int) -> None:
    """Eight threads take, renew and take over a 20 ms lease, from its first row on: every
    grant to another holder comes after the previous holder's lease ran out."""
    with postgres_db.write() as conn:
        conn.execute(delete(locks_table))
    grants: list[tuple[datetime, datetime, str]] = []
    start = threading.Barrier(8)

    def contend(holder: str) -> None:
        start.wait()
        for _ in range(25):
            now = datetime.now(UTC)
            with postgres_db.write() as conn:
                lease = locks.acquire(conn, "race", holder, now=now, seconds=0.02)
            if lease is not None:
                grants.append((now, lease.expires_at, holder))
            time.sleep(random.uniform(0, 0.03))  # now and then, let the lease run out

    threads = [threading.Thread(target=contend, args=(f"h{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    grants.sort()
    assert len({holder for _, _, holder in grants}) > 1, "the race never changed hands"
    for (_, until, holder), (granted, _, other) in itertools.pairwise(grants):
        if other != holder:
            assert granted >= until, f"{other} was granted the lease while {holder} held it"
