"""Timing the stages of ingestion for `/metrics`, in memory, then one row per stage and batch.

`StageTimes` adds up, per stage (store.timings: `extract`, `cluster`, `images`), how many items
were handled, their summed duration and the longest one; `save` writes what it holds as one
`stage_timings` row per stage, in one transaction, and starts over. The crawler saves after each
round of polls, a worker after each task: never a write per article. A failed write is logged
and dropped (counting must never fail the work it counts).

`TimedExecutor` is what `items.Articles` extracts pages on (its `executor`): a thread pool, shared
by the process, that times each call into a `StageTimes`. The web process never sees these
tallies: the crawl runs in another process, or on other machines.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from alaune.store import timings
from alaune.store.engine import Database

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(slots=True)
class _Tally:
    items: int = 0
    seconds: float = 0.0
    slowest: float = 0.0


class StageTimes:
    """Per-stage tallies not yet written; safe to add to from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tallies: dict[str, _Tally] = {}

    def add(self, stage: str, seconds: float, *, items: int = 1) -> None:
        """`items` handled in `seconds` (one item, unless told: then `seconds` is the batch's,
        and counts as its longest)."""
        with self._lock:
            tally = self._tallies.setdefault(stage, _Tally())
            tally.items += items
            tally.seconds += seconds
            tally.slowest = max(tally.slowest, seconds)

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        """Time the block as one item of `stage` (raising or not)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - started)

    def take(self, *, at: datetime) -> list[timings.StageRecord]:
        """The tallies as rows finished `at` (stages that handled nothing left out); empties."""
        with self._lock:
            tallies, self._tallies = self._tallies, {}
        return [
            timings.StageRecord(
                stage=stage,
                finished_at=at,
                items=tally.items,
                seconds=tally.seconds,
                slowest=tally.slowest,
            )
            for stage, tally in sorted(tallies.items())
            if tally.items > 0
        ]

    def save(self, db: Database, *, at: datetime) -> int:
        """Write the tallies (one row per stage, one transaction); returns rows written."""
        records = self.take(at=at)
        if not records:
            return 0
        try:
            with db.write() as conn:
                timings.record(conn, records)
        except SQLAlchemyError as exc:
            log.warning("stage timings of %d stages not recorded: %s", len(records), exc)
            return 0
        return len(records)


class TimedExecutor(Executor):
    """Runs each call on the process's shared thread pool, timing it as one item of `stage`.

    The time is the CPU time of the thread that ran it: pages are extracted several at once
    while the event loop fetches others, so a call's wall time is mostly waiting for the GIL
    (about 35 ms a page on the demo's crawl, for 5 ms of extraction).
    """

    def __init__(self, times: StageTimes, stage: str) -> None:
        self.times = times
        self.stage = stage

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        def timed() -> T:
            started = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.times.add(self.stage, time.thread_time() - started)

        return _threads().submit(timed)


_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _threads() -> ThreadPoolExecutor:
    """This process's pool (sized as asyncio's default one); a forked child opens its own."""
    pid = os.getpid()
    with _pools_lock:
        pool = _pools.get(pid)
        if pool is None:
            pool = ThreadPoolExecutor(thread_name_prefix="alaune-extract")
            _pools.clear()  # a child drops the parent's, whose threads it does not have
            _pools[pid] = pool
        return pool
