"""Holding a lease for the length of a task: taken at the start, renewed by a thread, released.

`held(database, name, holder, seconds=…)` is a context manager: it yields the `Lease` (whose
`continued` tells whether this process held it last, so in-memory state is still current) or
raises `Busy` when another process holds it. While the block runs, a daemon thread renews the
lease every third of its length, so a long task keeps it and a killed process loses it within
one length. It must not decide what the lease protects.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from alaune.errors import AlauneError
from alaune.store import locks
from alaune.store.engine import Database

log = logging.getLogger(__name__)


class Busy(AlauneError):
    """Another process holds the lease."""


def utcnow() -> datetime:
    return datetime.now(UTC)


@contextmanager
def held(
    database: Database,
    name: str,
    holder: str,
    *,
    seconds: float,
    clock: Callable[[], datetime] = utcnow,
) -> Iterator[locks.Lease]:
    with database.write() as conn:
        lease = locks.acquire(conn, name, holder, now=clock(), seconds=seconds)
    if lease is None:
        raise Busy(f"the {name} lease is held by another process")
    stop = threading.Event()
    renewer = threading.Thread(
        target=_renew,
        args=(database, name, holder, seconds, clock, stop),
        name=f"lease-{name}",
        daemon=True,
    )
    renewer.start()
    try:
        yield lease
    finally:
        stop.set()
        renewer.join()
        with database.write() as conn:
            locks.release(conn, name, holder, now=clock())


def _renew(
    database: Database,
    name: str,
    holder: str,
    seconds: float,
    clock: Callable[[], datetime],
    stop: threading.Event,
) -> None:
    while not stop.wait(seconds / 3):
        try:
            with database.write() as conn:
                renewed = locks.acquire(conn, name, holder, now=clock(), seconds=seconds)
        except Exception:  # the database may come back before the lease runs out
            log.exception("could not renew the %s lease", name)
            continue
        if renewed is None or not renewed.continued:
            log.error("lost the %s lease to another process", name)
            return
