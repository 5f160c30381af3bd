"""Running the scale-out mode in tests: `alaune scheduler` and `alaune worker` subprocesses on
PostgreSQL and Redis, each test on its own Redis key prefix, and what a crawl left behind.

`ScaleOut` starts the processes (each in its own session, so that a kill reaches its children,
output to a file) and stops whatever is left at the end. `Outcome` reads the results a test
compares: canonical URLs, wire-copy pairs and the story partition, all by canonical URL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from alaune.config import Settings, load_settings
from alaune.demo.server import DemoOutlets
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler, CrawlReport
from alaune.store import outlets as outlet_store
from alaune.store.engine import Database
from alaune.store.schema import articles
from alaune.workers.app import Dispatch, make_app

#: Short timings so that a test sees a takeover or a redelivery in seconds, not minutes.
FAST = {
    "ALAUNE_SCHEDULER_TICK": "0.5",
    "ALAUNE_LEASE_SECONDS": "3",
    "ALAUNE_SCHEDULER_CLAIM": "30",
    "ALAUNE_LOG_LEVEL": "warning",
}


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, text: str, *, timeout: float) -> float:
        """Seconds until `text` appears in the output (fails if the process ends first)."""
        started = time.monotonic()
        wait_until(
            lambda: text in self.output(),
            timeout=timeout,
            what=f"{self.name}: {text!r}",
            alive=self,
        )
        return time.monotonic() - started

    def kill(self) -> None:
        """SIGKILL the process and its children (the prefork pool)."""
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, *, timeout: float = 60) -> int:
        """SIGTERM (a graceful stop), then its exit code."""
        os.killpg(self.popen.pid, signal.SIGTERM)
        return self.popen.wait(timeout=timeout)


@dataclass
class ScaleOut:
    database_url: str
    broker_url: str
    prefix: str
    directory: Path
    settings: dict[str, str] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("ALAUNE_")}
        return {
            **env,
            "PYTHONUNBUFFERED": "1",
            "ALAUNE_DATABASE_URL": self.database_url,
            "ALAUNE_BROKER_URL": self.broker_url,
            "ALAUNE_BROKER_PREFIX": self.prefix,
            **FAST,
            **self.settings,
        }

    def start(self, name: str, *args: str) -> Process:
        log = self.directory / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [sys.executable, "-m", "alaune", *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env(),
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def worker(self, name: str, queues: str, concurrency: int = 1) -> Process:
        return self.start(name, "worker", "--queues", queues, "--concurrency", str(concurrency))

    def scheduler(self, name: str = "scheduler") -> Process:
        return self.start(name, "scheduler", "--no-registry")

    def close(self) -> None:
        for process in self.processes:
            if process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait(timeout=30)


def wait_until(
    done: Callable[[], bool], *, timeout: float, what: str, alive: Process | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if alive is not None and alive.popen.poll() is not None:
            raise AssertionError(
                f"{alive.name} ended ({alive.popen.returncode}):\n{alive.output()}"
            )
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


def counts(db: Database) -> tuple[int, int, int]:
    """(articles, distinct canonical URLs, articles placed in a story)."""
    query = select(
        func.count(),
        func.count(articles.c.canonical_url.distinct()),
        func.count().filter(articles.c.content_hash != ""),
    )
    with db.read() as conn:
        total, distinct, placed = conn.execute(query).one()
    return int(total), int(distinct), int(placed)


@dataclass(frozen=True)
class Outcome:
    """What a crawl stored, by canonical URL (ids differ between databases)."""

    urls: frozenset[str]
    copies: frozenset[tuple[str, str]]  # (copy, original)
    stories: frozenset[frozenset[str]]

    @classmethod
    def of(cls, db: Database) -> Outcome:
        query = select(
            articles.c.id, articles.c.canonical_url, articles.c.story_id, articles.c.copy_of
        )
        with db.read() as conn:
            rows = conn.execute(query).all()
        url_of = {row.id: row.canonical_url for row in rows}
        stories: dict[int, set[str]] = {}
        for row in rows:
            stories.setdefault(row.story_id, set()).add(row.canonical_url)
        return cls(
            urls=frozenset(url_of.values()),
            copies=frozenset(
                (row.canonical_url, url_of[row.copy_of]) for row in rows if row.copy_of
            ),
            stories=frozenset(frozenset(urls) for urls in stories.values()),
        )


def embedded_crawl(db: Database, demo: DemoOutlets, settings: Settings) -> CrawlReport:
    """`alaune crawl --once` over the demo outlets, in this process."""

    async def run() -> CrawlReport:
        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            crawler = Crawler(db, fetcher)
            crawler.register(demo.registry())
            return await crawler.crawl_once()

    return asyncio.run(run())


def register_demo(db: Database, demo: DemoOutlets, scale: ScaleOut) -> None:
    """The demo outlets in the database, and the workers allowed to fetch them."""
    with db.write() as conn:
        outlet_store.sync_outlets(conn, demo.registry(), now=demo.started_at)
    scale.settings["ALAUNE_FETCH_ALLOW"] = ",".join(demo.allow)


def dispatch(scale: ScaleOut) -> Dispatch:
    """Sends tasks to the test's own queues, as the scheduler and the workers do."""
    settings = dataclasses.replace(
        load_settings(env={}), broker_url=scale.broker_url, broker_prefix=scale.prefix
    )
    return Dispatch(make_app(settings))
