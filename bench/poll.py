"""Polling benchmarks (issue 3): conditional polls per second, and a 10,000-feed schedule.

1. **Conditional polls on loopback.** `SERVERS` copies of the demo outlets run in their own
   processes (`python -m alaune.demo`), one origin per outlet. Each feed's validators are seeded
   from one plain GET (so extraction is not measured), then the real `Crawler` polls every feed
   `ROUNDS` times: robots.txt check (cached), conditional GET answered 304, scheduling decision,
   and the batched bookkeeping in SQLite. The fetcher alone is measured on the same feeds.
2. **10,000 feeds over 15 minutes, simulated.** A real run would take hours of wall-clock time
   and thousands of real origins, so it runs on a virtual clock: an asyncio loop whose time
   jumps to the next timer when nothing is ready. The code under test is the real politeness
   (`fetch.limits.Slots` + `fetch.politeness.OriginGaps`, 5 s per origin, 8 requests in flight)
   and the real pure scheduler (`ingest.schedule.decide`, bounds 300–900 s so that every feed
   is due every 15 minutes); requests are simulated with a deterministic latency of 50 ms–2 s.
"""

from __future__ import annotations

import asyncio
import dataclasses
import heapq
import itertools
import random
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alaune.config import load_settings
from alaune.demo.urls import FEED_PATHS
from alaune.fetch import Fetcher, FetchPolicy, Response
from alaune.fetch.limits import Slots
from alaune.fetch.politeness import OriginGaps
from alaune.ingest.pipeline import Crawler
from alaune.ingest.schedule import Bounds, FeedSchedule, Outcome, decide
from alaune.model import FeedRef, Outlet
from alaune.store import feeds, migrate
from alaune.store.engine import open_database

SERVERS = 8  # demo processes; 9+ outlets each, one origin per outlet
ROUNDS = 20
CONCURRENCIES = (8, 32)  # the default setting, and one sized for many small answers
FIRST_PORT = 42_000

# --- 1. conditional polls on loopback --------------------------------------------------------


@contextmanager
def demo_processes(count: int) -> Iterator[list[Outlet]]:
    """`count` demo servers in child processes; their outlets as registry entries."""
    kinds = {path: kind for kind, path in FEED_PATHS.items()}
    registry: list[Outlet] = []
    with ExitStack() as stack:
        for n in range(count):
            base = _free_ports(FIRST_PORT + 100 * n, 50)
            child = subprocess.Popen(
                [sys.executable, "-m", "alaune.demo", "--base-port", str(base)],
                stdout=subprocess.PIPE,
                text=True,
            )
            stack.callback(child.wait)
            stack.callback(child.terminate)
            assert child.stdout is not None
            for i, line in enumerate(iter(child.stdout.readline, "")):
                if line.startswith("Serving"):
                    break
                name, feed_url, _ = line.rstrip("\n").split("\t")
                path = "/" + feed_url.split("/", 3)[3]
                feed = FeedRef(feed_url, kinds[path])
                outlet_id = f"o{n}-{i}"
                registry.append(Outlet(outlet_id, name, feed_url, ("fr",), feeds=(feed,)))
            else:
                raise RuntimeError(f"the demo outlets on ports {base}+ did not start")
        yield registry


def _free_ports(start: int, size: int) -> int:
    """The first port from `start` on that begins `size` free ports."""
    for base in range(start, 65_000 - size, 1_000):
        sockets = []
        try:
            for port in range(base, base + size):
                sockets.append(socket.socket())
                sockets[-1].bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
        return base
    raise RuntimeError("no free range of ports")


async def _conditional_polls(db_url: str, registry: list[Outlet], concurrency: int) -> list[str]:
    allow = sorted({o.feeds[0].url.split("/")[2] for o in registry})
    settings = dataclasses.replace(
        load_settings(env={}), fetch_allow=allow, crawl_concurrency=concurrency
    )
    db = open_database(db_url)
    migrate.upgrade(db)
    async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
        crawler = Crawler(db, fetcher, bounds=Bounds.from_settings(settings))
        crawler.register(registry)
        with db.read() as conn:
            states = feeds.list_feeds(conn)
        seeded = await asyncio.gather(*(fetcher.get(f.url) for f in states))
        with db.write() as conn:
            for state, response in zip(states, seeded, strict=True):
                feeds.record_success(
                    conn,
                    state.id,
                    etag=response.etag,
                    last_modified=response.last_modified,
                    at=datetime.now(UTC),
                )
        await crawler.crawl_once()  # warms robots.txt and connections
        start = time.perf_counter()
        not_modified = 0
        for _ in range(ROUNDS):
            not_modified += (await crawler.crawl_once()).not_modified
        crawl_s = time.perf_counter() - start
        validators = [(f.url, r.etag) for f, r in zip(states, seeded, strict=True)]
        start = time.perf_counter()
        fetched = 0
        for _ in range(ROUNDS):
            answers = await asyncio.gather(*(fetcher.get(u, etag=e) for u, e in validators))
            fetched += sum(a.status == 304 for a in answers)
        fetch_s = time.perf_counter() - start
    db.dispose()
    where = f"{len(allow)} origins, crawl_concurrency {concurrency}"
    return [
        f"conditional polls through the crawler ({where}): {not_modified} × 304 in "
        f"{crawl_s:.2f} s = **{not_modified / crawl_s:.0f} polls/s** (robots check, conditional "
        "GET, schedule decision, poll history and feed state in SQLite)",
        f"conditional GETs through the fetcher alone ({where}): {fetched} × 304 in "
        f"{fetch_s:.2f} s = {fetched / fetch_s:.0f} requests/s",
    ]


def conditional_polls() -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as tmp, demo_processes(SERVERS) as registry:
        for n, concurrency in enumerate(CONCURRENCIES):
            db_url = f"sqlite:///{Path(tmp) / f'poll{n}.db'}"
            lines += asyncio.run(_conditional_polls(db_url, registry, concurrency))
    return lines


class _NotModified(Fetcher):
    """A fetcher stub answering every feed with a 304 at once: the crawler's own cost."""

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        check_redirects: object = None,  # the real fetcher's robots hook; nothing redirects here
    ) -> Response:
        if url.endswith("/robots.txt"):
            return Response(url, 200, {}, b"User-agent: *\nDisallow: /private\n")
        return Response(url, 304, {"etag": '"v1"', "cache-control": "max-age=60"}, b"")


async def _crawler_overhead(db_url: str, count: int = 500) -> list[str]:
    db = open_database(db_url)
    migrate.upgrade(db)
    async with _NotModified(FetchPolicy()) as fetcher:
        crawler = Crawler(db, fetcher)
        crawler.register(
            [
                Outlet(f"o{i}", f"O{i}", f"https://o{i}.example/", ("fr",),
                       feeds=(FeedRef(f"https://o{i}.example/rss.xml", "rss"),))
                for i in range(count)
            ]
        )  # fmt: skip
        await crawler.crawl_once()
        start = time.perf_counter()
        for _ in range(ROUNDS):
            await crawler.crawl_once()
        elapsed = time.perf_counter() - start
    db.dispose()
    polls = ROUNDS * count
    return [
        f"the crawler's own cost per 304 (a fetcher stub answering at once): {polls} polls in "
        f"{elapsed:.2f} s = {polls / elapsed:.0f} polls/s, {1000 * elapsed / polls:.2f} ms each"
    ]


def crawler_overhead() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(_crawler_overhead(f"sqlite:///{Path(tmp) / 'stub.db'}"))


# --- 2. 10,000 feeds on a virtual clock ------------------------------------------------------


class _JumpingSelector(selectors.BaseSelector):
    """Polls the real selector (for the loop's own wake-up pipe) and, when nothing is ready,
    moves the virtual clock to the next timer instead of waiting for it."""

    def __init__(self, loop: VirtualLoop) -> None:
        self._inner = selectors.DefaultSelector()
        self._loop = loop

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.register(fileobj, events, data)

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        return self._inner.unregister(fileobj)

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = self._inner.select(0)
        if not ready and timeout:
            self._loop.now += timeout
        return ready

    def close(self) -> None:
        self._inner.close()

    def get_map(self) -> Mapping[Any, selectors.SelectorKey]:
        return self._inner.get_map()


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self.now = 0.0
        super().__init__(selector=_JumpingSelector(self))

    def time(self) -> float:
        return self.now


#: (origins, feeds per origin): 10,000 feeds on 1,610 origins, the largest with 100 feeds.
REGISTRY = [(10, 100), (100, 30), (1500, 4)]
GAP = 5.0
CONCURRENCY = 8
WINDOW = 900.0  # the target: every feed once per 15 minutes
DURATION = 4 * WINDOW  # one virtual hour
TICK = 30.0  # how often the loop looks for due feeds, as `alaune crawl` does
T0 = datetime(2026, 11, 29, tzinfo=UTC)


async def _simulate() -> dict[str, float]:
    loop = asyncio.get_running_loop()
    rng = random.Random(3)
    gaps = OriginGaps(default=GAP, clock=loop.time)
    slots = Slots(total=CONCURRENCY, per_origin=2, gaps=gaps)
    bounds = Bounds(start=WINDOW, minimum=300, maximum=WINDOW)
    feeds_of = [
        (f"o{o}-{s}", f) for s, (n, k) in enumerate(REGISTRY) for o in range(n) for f in range(k)
    ]
    due: list[tuple[float, int]] = [(0.0, i) for i in range(len(feeds_of))]
    heapq.heapify(due)
    schedule = [FeedSchedule() for _ in feeds_of]
    starts: dict[str, list[float]] = defaultdict(list)
    lateness: list[float] = []
    polls_at: list[float] = []
    robots_done: set[str] = set()
    last_poll: list[float | None] = [None] * len(feeds_of)
    between: list[float] = []  # time between two polls of one feed
    steady: list[float] = []  # lateness of polls due after the first window
    in_flight = peak = 0

    async def request(origin: str) -> float:
        """One simulated request; returns when it started (after the gap and a slot)."""
        nonlocal in_flight, peak
        async with asyncio.timeout(30) as deadline, slots.hold(("https", origin, 443), deadline):
            started = loop.time()
            starts[origin].append(started)
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.05 + min(1.95, rng.expovariate(1 / 0.2)))
            in_flight -= 1
        return started

    async def poll(index: int, due_at: float) -> None:
        origin = feeds_of[index][0]
        if origin not in robots_done:  # robots.txt once per origin, through the same gaps
            robots_done.add(origin)
            await request(origin)
        started = await request(origin)
        lateness.append(started - due_at)
        if due_at >= WINDOW:
            steady.append(started - due_at)
        if last_poll[index] is not None:
            between.append(started - last_poll[index])
        last_poll[index] = started
        polls_at.append(started)
        new = rng.random() < 0.1
        outcome = Outcome(  # as the crawler does: the poll's time is when it started
            at=T0 + timedelta(seconds=started),
            result="ok" if new else "not_modified",
            items=20,
            new_items=2 if new else 0,
        )
        decision = decide(bounds, schedule[index], outcome, u=rng.random())
        schedule[index] = decision.schedule
        heapq.heappush(due, (started + decision.delay, index))

    tasks: set[asyncio.Task[None]] = set()
    while loop.time() < DURATION:
        now = loop.time()
        while due and due[0][0] <= now:
            when, index = heapq.heappop(due)
            task = asyncio.create_task(poll(index, when))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.sleep(TICK)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    min_gap = min(
        (b - a for times in starts.values() for a, b in itertools.pairwise(times)),
        default=float("inf"),
    )
    per_window = [
        sum(1 for t in polls_at if k * WINDOW <= t < (k + 1) * WINDOW)
        for k in range(int(DURATION // WINDOW))
    ]
    ordered = sorted(lateness)
    return {
        "feeds": len(feeds_of),
        "origins": len({o for o, _ in feeds_of}),
        "polls": len(polls_at),
        "min_window": min(per_window),
        "max_window": max(per_window),
        "min_gap": min_gap,
        "peak": peak,
        "late_p50": statistics.median(ordered),
        "late_p99": ordered[int(0.99 * (len(ordered) - 1))],
        "late_max": ordered[-1],
        "between_max": max(between),
        "late_after_first": max(steady),
    }


def simulated_registry() -> list[str]:
    loop = VirtualLoop()
    started = time.perf_counter()
    try:
        r = loop.run_until_complete(_simulate())
    finally:
        loop.close()
    wall = time.perf_counter() - started
    return [
        f"simulated registry: {r['feeds']:.0f} feeds on {r['origins']:.0f} origins, "
        f"{DURATION / 3600:g} virtual hours in {wall:.1f} s of wall-clock time: "
        f"{r['polls']:.0f} polls, **{r['min_window']:.0f}–{r['max_window']:.0f} polls per "
        f"15-minute window**",
        f"smallest gap between two requests to one origin: **{r['min_gap']:.2f} s** "
        f"(target ≥ {GAP:g} s); requests in flight at most {r['peak']:.0f} "
        f"(limit {CONCURRENCY})",
        f"lateness of a poll behind its due time (tick {TICK:g} s): median {r['late_p50']:.0f} s, "
        f"p99 {r['late_p99']:.0f} s, max {r['late_max']:.0f} s (the first round, when all "
        f"{r['feeds']:.0f} are due at once); for polls due after the first 15 minutes, at most "
        f"{r['late_after_first']:.0f} s",
        f"longest time between two polls of one feed: **{r['between_max']:.0f} s** "
        f"(target ≤ {WINDOW:g} s, plus the lateness above)",
    ]


def run() -> list[str]:
    return simulated_registry() + conditional_polls() + crawler_overhead()


if __name__ == "__main__":
    for line in run():
        print(line)
