"""One worker process's resources, opened on its first task and kept for its lifetime.

Celery's prefork pool runs each task synchronously in a child process; alaune's pipeline is
asyncio. `Runtime` gives each child one event loop, one database engine (opened after the fork,
never inherited), one `Fetcher` (its politeness gaps and connection pool live across tasks),
one robots.txt cache and one clustering model. `Runtime.current(settings)` opens it in the
calling process, or returns the one already open there. It must not know about Celery.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Coroutine
from typing import Any, ClassVar, TypeVar

from alaune.config import Settings
from alaune.fetch import Fetcher, FetchPolicy, RobotsCache
from alaune.ingest.pipeline import Crawler
from alaune.ingest.schedule import Bounds
from alaune.ingest.stories import StoryModel
from alaune.store.engine import Database, open_database

T = TypeVar("T")

#: Connections per worker process: the pipeline writes from one thread, re-extraction and the
#: clustering window's load from one more (see docs/scale.md for the budget).
POOL_SIZE, POOL_OVERFLOW = 2, 2


def process_name() -> str:
    """Who this process is, for leases: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"


class Runtime:
    """The event loop, database, fetcher, robots cache and story model of one process."""

    _open: ClassVar[dict[int, Runtime]] = {}

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.name = process_name()
        self.loop = asyncio.new_event_loop()
        self.database: Database = open_database(
            settings.database_url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW
        )
        self.fetcher = Fetcher(FetchPolicy.from_settings(settings))
        self.robots = RobotsCache(self.fetcher)
        self.stories = StoryModel()

    @classmethod
    def current(cls, settings: Settings) -> Runtime:
        """This process's runtime, opened on first use (a forked child opens its own)."""
        pid = os.getpid()
        if pid not in cls._open:
            cls._open = {pid: cls(settings)}  # a child drops the parent's (never closes it)
        return cls._open[pid]

    @classmethod
    def close_current(cls) -> None:
        runtime = cls._open.pop(os.getpid(), None)
        if runtime is not None:
            runtime.close()

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(work)

    def crawler(self) -> Crawler:
        """A crawler for one task: shared fetcher, robots cache and story model, but its own
        site-template cache, read from the database afresh (another process may have learned)."""
        return Crawler(
            self.database,
            self.fetcher,
            bounds=Bounds.from_settings(self.settings),
            robots=self.robots,
            stories=self.stories,
        )

    def forget_stories(self) -> None:
        """Drop the in-memory story window: another process placed articles meanwhile."""
        self.stories = StoryModel()

    def close(self) -> None:
        try:
            self.run(self.fetcher.aclose())
        finally:
            self.loop.close()
            self.database.dispose()
