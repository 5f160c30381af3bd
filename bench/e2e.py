"""End to end (issue 8): new articles per second, and the delay from a feed to search, at scale.

The source is `bench.scaled_outlets`: `--feeds` feeds on `--origins` loopback origins (one
outlet per origin, `--feeds / --origins` section feeds each), served by `--servers` processes
of their own, publishing `--rate` new articles per second in all from the demo corpus,
recombined by `alaune.devtools` into realistic, unique fr/ar/en reports (stories of 1–8 reports
across outlets and languages). Each server writes when each item first entered its feed.

The crawl under test runs in its own processes, on a fresh database:

- `--mode embedded` (default): the embedded crawler, as `alaune crawl` runs it (`Crawler` with
  `due_only`, the `workers.embedded.crawl_loop`, which waits `--tick` s after each round), in one
  child process, on SQLite (or `--database URL`);
- `--mode celery`: `alaune scheduler --no-registry`, `--workers` × `alaune worker --queues
  poll,pages,images --concurrency --worker-concurrency`, and the one `alaune worker --queues
  cluster`, on PostgreSQL (`--database URL`, else a database created for the run and dropped
  after) and Redis (a key prefix of the run's own, deleted after).

Settings (environment of the crawl processes): `ALAUNE_FETCH_ALLOW` = the origins (so
`origin_gap_local`, 0 s, is the politeness gap), poll intervals within [`--poll-min`,
`--poll-max`] starting at `--poll-start`, `crawl_concurrency` `--concurrency`.

This process watches the database every second: an article counts as searchable in its story
when its row is placed by clustering (`content_hash` set, `story_id`) and its search entry
exists. After `--warmup` s, it measures for `--seconds` s: the articles placed per second, and
the latency (placed − first in a feed) of the items published in that window (it keeps
watching `--drain` s more so that they can arrive; the ones still missing are reported), CPU
seconds of the crawl processes, of the servers and of PostgreSQL/Redis, load average, and the
`stage_timings` and `polls` rows of the window. Never run by CI.

    .venv/bin/python -m bench.e2e [--feeds 2000] [--mode embedded|celery] [--workers 1|2]
        [--database URL] [--seconds S]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from alaune.config import load_settings
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler, CrawlReport
from alaune.ingest.schedule import Bounds
from alaune.store import migrate, timings
from alaune.store.engine import Database, open_database
from alaune.store.outlets import sync_outlets
from alaune.store.schema import feeds, polls
from alaune.workers.embedded import crawl_loop
from bench.scaled_outlets import make_plan, registry

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
CHUNK = 500


# --- the embedded crawler, in its own process --------------------------------------------------


async def _crawl_child(tick: float, rounds_log: Path) -> None:
    settings = load_settings()
    db = open_database(settings.database_url)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    with rounds_log.open("a", encoding="utf-8") as out:
        started = [time.time()]

        def on_report(report: CrawlReport) -> None:
            now = time.time()
            out.write(
                f"{started[0]:.3f}\t{now:.3f}\t{report.feeds}\t{report.not_modified}\t"
                f"{report.added}\t{len(report.errors)}\n"
            )
            out.flush()

        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            crawler = Crawler(db, fetcher, bounds=Bounds.from_settings(settings), due_only=True)
            original = crawler.crawl_once

            async def timed(**kwargs: object) -> CrawlReport:
                started[0] = time.time()
                return await original(**kwargs)  # type: ignore[arg-type]

            crawler.crawl_once = timed  # type: ignore[method-assign]
            await crawl_loop(crawler, interval=tick, stop=stop, on_report=on_report)
    db.dispose()


def crawl_child(tick: float, rounds_log: Path, profile: Path | None) -> None:
    if profile is None:
        asyncio.run(_crawl_child(tick, rounds_log))
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        asyncio.run(_crawl_child(tick, rounds_log))
    finally:
        profiler.disable()
        profiler.dump_stats(profile)


# --- processes ---------------------------------------------------------------------------------


@dataclass
class Started:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path


@dataclass
class Run:
    args: argparse.Namespace
    directory: Path
    db_url: str
    env: dict[str, str]
    crawl: list[Started] = field(default_factory=list)
    servers: list[subprocess.Popen[str]] = field(default_factory=list)

    def start(self, name: str, *command: str) -> Started:
        log = self.directory / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [sys.executable, *command],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=ROOT,
                start_new_session=True,
            )
        started = Started(name, popen, log)
        self.crawl.append(started)
        return started

    def stop(self) -> None:
        for started in self.crawl:
            if started.popen.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(started.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for started in self.crawl:
            try:
                started.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(started.popen.pid, signal.SIGKILL)
                started.popen.wait(timeout=30)


@contextlib.contextmanager
def scaled_servers(args: argparse.Namespace, directory: Path) -> Iterator[tuple[list, list]]:
    """The server processes, and the registry of the outlets they serve."""
    per_origin = args.feeds // args.origins
    count = int(args.rate * (args.warmup + args.seconds + args.drain + 120)) + 1000
    children: list[subprocess.Popen[str]] = []
    try:
        for shard in range(args.servers):
            children.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "bench.scaled_outlets",
                        "--shard",
                        str(shard),
                        "--shards",
                        str(args.servers),
                        "--origins",
                        str(args.origins),
                        "--feeds-per-origin",
                        str(per_origin),
                        "--rate",
                        str(args.rate),
                        "--count",
                        str(count),
                        "--seed",
                        str(args.seed),
                        "--dir",
                        str(directory),
                        *(["--no-images"] if args.no_images else []),
                        "--dates",
                        args.dates,
                    ],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    cwd=ROOT,
                )
            )
        ports: dict[int, int] = {}
        for child in children:
            assert child.stdout is not None
            for line in iter(child.stdout.readline, ""):
                if line.startswith("READY"):
                    break
                index, port = line.split()
                ports[int(index)] = int(port)
            else:
                raise RuntimeError("a server process did not start")
        planned = make_plan(count, args.origins, args.seed)
        yield children, registry(planned, ports, per_origin)
    finally:
        for child in children:
            with contextlib.suppress(BrokenPipeError, OSError):
                assert child.stdin is not None
                child.stdin.close()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.terminate()
                child.wait(timeout=10)


def start_publishing(children: list[subprocess.Popen[str]], t0: float) -> None:
    for child in children:
        assert child.stdin is not None
        child.stdin.write(f"START {t0:.3f}\n")
        child.stdin.flush()


# --- CPU and load --------------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_tree(pids: list[int]) -> dict[int, float]:
    return {p: _cpu_of(p) for pid in pids for p in _descendants(pid)}


def peak_resident(pids: list[int]) -> dict[int, int]:
    """Each process's peak resident memory so far (VmHWM, bytes), its descendants included."""
    found = {}
    for pid in pids:
        for p in _descendants(pid):
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{p}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        found[p] = int(line.split()[1]) * 1024
    return found


def cpu_named(names: tuple[str, ...]) -> dict[int, float]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() in names:
                    found[int(entry.name)] = _cpu_of(int(entry.name))
    return found


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two samples, by process (one that ended meanwhile is left out)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / tick, sum(values[:8]) / tick


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- watching the database -----------------------------------------------------------------------


class Observer:
    """What was published (the servers' files) and what became searchable (the database)."""

    def __init__(self, db: Database, directory: Path) -> None:
        self.db = db
        self.directory = directory
        self.offsets: dict[Path, int] = {}
        self.published: dict[str, tuple[float, int, str]] = {}  # url → (time, story, language)
        self.stored: dict[int, tuple[str, str, float]] = {}  # id → (url, canonical, seen)
        self.pending: set[int] = set()
        self.placed: dict[int, float] = {}  # id → when it was seen placed and indexed
        self.last_id = 0
        self.pg = not db.is_sqlite

    def read_published(self) -> None:
        for path in sorted(self.directory.glob("published-*.tsv")):
            with path.open("rb") as source:
                source.seek(self.offsets.get(path, 0))
                data = source.read()
            end = data.rfind(b"\n") + 1
            self.offsets[path] = self.offsets.get(path, 0) + end
            for line in data[:end].decode("utf-8").splitlines():
                url, at, story, language = line.split("\t")
                self.published[url] = (float(at), int(story), language)

    def poll(self) -> None:
        now = time.time()
        with self.db.read() as conn:
            rows = conn.exec_driver_sql(
                "SELECT id, url, canonical_url FROM articles WHERE id > ?"
                if not self.pg
                else "SELECT id, url, canonical_url FROM articles WHERE id > %(low)s",
                (max(0, self.last_id - 1000),)
                if not self.pg
                else {"low": max(0, self.last_id - 1000)},
            ).all()
            for article_id, url, canonical in rows:
                if article_id not in self.stored:
                    self.stored[article_id] = (url, canonical, now)
                    self.pending.add(article_id)
                    self.last_id = max(self.last_id, article_id)
            waiting = sorted(self.pending)
            index_key = "article_id" if self.pg else "rowid"
            for start in range(0, len(waiting), CHUNK):
                ids = ",".join(str(i) for i in waiting[start : start + CHUNK])
                done = conn.exec_driver_sql(
                    f"SELECT a.id FROM articles a JOIN search_index s ON s.{index_key} = a.id "
                    f"WHERE a.id IN ({ids}) AND a.content_hash <> '' AND a.story_id IS NOT NULL"
                ).scalars()
                for article_id in done:
                    self.placed[int(article_id)] = now
                    self.pending.discard(int(article_id))

    def published_at(self, article_id: int) -> float | None:
        url, canonical, _ = self.stored[article_id]
        found = self.published.get(url) or self.published.get(canonical)
        return found[0] if found else None

    def stories(self) -> tuple[int, int, int]:
        """(stories with a placed article, of them with 2+ articles, copies found)."""
        with self.db.read() as conn:
            row = conn.exec_driver_sql(
                "SELECT count(DISTINCT story_id), "
                "(SELECT count(*) FROM stories WHERE article_count > 1), "
                "count(copy_of) FROM articles WHERE content_hash <> ''"
            ).one()
        return int(row[0]), int(row[1]), int(row[2])


# --- the measurement ---------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def settings_env(
    args: argparse.Namespace, db_url: str, allow: list[str], prefix: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALAUNE_")}
    return {
        **env,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),
        "ALAUNE_DATABASE_URL": db_url,
        "ALAUNE_FETCH_ALLOW": ",".join(allow),
        "ALAUNE_CRAWL_INTERVAL": str(args.poll_start),
        "ALAUNE_POLL_INTERVAL_MIN": str(args.poll_min),
        "ALAUNE_POLL_INTERVAL_MAX": str(args.poll_max),
        "ALAUNE_CRAWL_CONCURRENCY": str(args.concurrency),
        "ALAUNE_LOG_LEVEL": "warning",
        "ALAUNE_BROKER_URL": REDIS_URL,
        "ALAUNE_BROKER_PREFIX": prefix,
        "ALAUNE_SCHEDULER_TICK": str(args.scheduler_tick),
    }


def _window_rows(db: Database, since: datetime, until: datetime) -> dict[str, object]:
    with db.read() as conn:
        stages = timings.totals(conn, since=since)
        outcomes = conn.execute(
            select(polls.c.outcome, func.count(), func.avg(polls.c.duration_ms))
            .where(polls.c.at >= since, polls.c.at < until)
            .group_by(polls.c.outcome)
        ).all()
        interval = conn.execute(select(func.avg(feeds.c.poll_interval))).scalar_one()
    return {
        "stages": {k: (v.items, v.seconds, v.slowest) for k, v in stages.items()},
        "polls": {str(o): (int(n), float(ms or 0)) for o, n, ms in outcomes},
        "mean_poll_interval": float(interval or 0),
    }


def measure(args: argparse.Namespace, directory: Path, db_url: str) -> dict[str, object]:
    prefix = f"alaune-e2e-{uuid.uuid4().hex[:10]}"
    db = open_database(db_url)
    migrate.upgrade(db)
    result: dict[str, object] = {}
    with scaled_servers(args, directory) as (children, outlets):
        allow = sorted({o.homepage.split("/")[2] for o in outlets})
        with db.write() as conn:
            sync_outlets(conn, outlets, now=datetime.now(UTC))
        env = settings_env(args, db_url, allow, prefix)
        run = Run(args, directory, db_url, env)
        try:
            if args.mode == "embedded":
                command = ["-m", "bench.e2e", "--crawler-child", "--tick", str(args.tick)]
                if args.profile:
                    command += ["--profile-to", str(directory / "crawl.prof")]
                run.start("crawler", *command)
            else:
                run.start("scheduler", "-m", "alaune", "scheduler", "--no-registry")
                for n in range(args.workers):
                    run.start(
                        f"worker-{n + 1}", "-m", "alaune", "worker", "--queues",
                        "poll,pages,images", "--concurrency", str(args.worker_concurrency),
                    )  # fmt: skip
                run.start("cluster", "-m", "alaune", "worker", "--queues", "cluster")
            t0 = time.time() + 1
            start_publishing(children, t0)
            result = _observe(args, db, directory, run, children, t0)
        finally:
            run.stop()
            if args.mode == "celery":
                _clean_redis(prefix)
    if args.profile and (directory / "crawl.prof").exists():
        out = directory / "profile.txt"
        with out.open("w") as stream:
            stats = pstats.Stats(str(directory / "crawl.prof"), stream=stream)
            stats.sort_stats("tottime").print_stats(40)
            stats.sort_stats("cumulative").print_stats(60)
        result["profile"] = str(out)
    db.dispose()
    return result


def _observe(
    args: argparse.Namespace,
    db: Database,
    directory: Path,
    run: Run,
    children: list[subprocess.Popen[str]],
    t0: float,
) -> dict[str, object]:
    observer = Observer(db, directory)
    begin, end = t0 + args.warmup, t0 + args.warmup + args.seconds
    stop_at = end + args.drain
    crawl_pids = [s.popen.pid for s in run.crawl]
    server_pids = [c.pid for c in children]
    marks: dict[str, dict[str, Any]] = {}
    last_note = 0.0
    while time.time() < stop_at:
        tick = time.time()
        for started in run.crawl:
            if started.popen.poll() is not None:
                raise RuntimeError(f"{started.name} ended:\n{started.log.read_text()[-3000:]}")
        observer.read_published()
        observer.poll()
        now = time.time()
        for name, at in (("begin", begin), ("end", end)):
            if name not in marks and now >= at:
                busy, total = machine_busy()
                marks[name] = {
                    "at": now,
                    "crawl": cpu_tree(crawl_pids),
                    "servers": cpu_tree(server_pids),
                    "db": cpu_named(("postgres", "redis-server")),
                    "busy": busy,
                    "total": total,
                    "load": loadavg(),
                    "published": len(observer.published),
                    "stored": len(observer.stored),
                    "placed": len(observer.placed),
                }

        if now - last_note > 10:
            last_note = now
            print(
                f"[{now - t0:6.0f} s] published {len(observer.published)}, stored "
                f"{len(observer.stored)}, placed {len(observer.placed)}, waiting "
                f"{len(observer.pending)}; load {loadavg()}",
                file=sys.stderr,
                flush=True,
            )
        time.sleep(max(0.0, 1.0 - (time.time() - tick)))
    # Peak memory of the crawl processes over the whole run (read while they still live).
    marks["end"]["peak_resident"] = peak_resident(crawl_pids)
    # Stage times and polls of the whole run: the embedded crawler writes them per round, and
    # a round may be longer than the window.
    marks["end"]["rows"] = _window_rows(
        db, datetime.fromtimestamp(t0, UTC), datetime.fromtimestamp(time.time(), UTC)
    )
    return _results(args, observer, marks, begin, end, directory)


def _results(
    args: argparse.Namespace,
    observer: Observer,
    marks: dict[str, dict[str, Any]],
    begin: float,
    end: float,
    directory: Path,
) -> dict[str, object]:
    a, b = marks["begin"], marks["end"]
    span = float(b["at"]) - float(a["at"])
    placed_in = [i for i, t in observer.placed.items() if float(a["at"]) <= t < float(b["at"])]
    window = {u: p for u, p in observer.published.items() if begin <= p[0] < end}
    by_url: dict[str, int] = {}
    for article_id, (url, canonical, _) in observer.stored.items():
        by_url.setdefault(url, article_id)
        by_url.setdefault(canonical, article_id)
    latencies, missing, unmatched_stored = [], 0, 0
    for url, (at, _, _) in window.items():
        article_id = by_url.get(url)
        if article_id is None or article_id not in observer.placed:
            missing += 1
            continue
        latencies.append(observer.placed[article_id] - at)
    stored_to_placed = [
        observer.placed[i] - observer.stored[i][2]
        for i in observer.placed
        if (p := observer.published_at(i)) is not None and begin <= p < end
    ]
    unmatched_stored = sum(1 for i in observer.stored if observer.published_at(i) is None)
    first_seen = [
        observer.stored[i][2] - p
        for i in observer.stored
        if (p := observer.published_at(i)) is not None and begin <= p < end
    ]
    busy = float(b["busy"]) - float(a["busy"])
    total = float(b["total"]) - float(a["total"])
    stories = observer.stories()
    rounds = _rounds(directory / "rounds.tsv", float(a["at"]), float(b["at"]))
    # With `missing` items never placed, the true p95 is at least the value over all items
    # where the missing ones count as slower than any placed one.
    everyone = latencies + [float("inf")] * missing
    return {
        "mode": args.mode,
        "workers": args.workers if args.mode == "celery" else None,
        "window_s": span,
        "published_per_s": (int(b["published"]) - int(a["published"])) / span,
        "stored_per_s": (int(b["stored"]) - int(a["stored"])) / span,
        "placed_per_s": len(placed_in) / span,
        "window_items": len(window),
        "window_placed": len(latencies),
        "window_missing": missing,
        "window_placed_by_end": len(latencies) / len(window) if window else float("nan"),
        "latency_p50": _pct(everyone, 0.5),
        "latency_p95": _pct(everyone, 0.95),
        "latency_max": max(latencies) if latencies else float("nan"),
        "published_to_stored_p50": _pct(first_seen, 0.5),
        "published_to_stored_p95": _pct(first_seen, 0.95),
        "stored_to_placed_p50": _pct(stored_to_placed, 0.5),
        "stored_to_placed_p95": _pct(stored_to_placed, 0.95),
        "unmatched_stored": unmatched_stored,
        "cpu_crawl_cores": cpu_delta(a["crawl"], b["crawl"]) / span,
        "cpu_servers_cores": cpu_delta(a["servers"], b["servers"]) / span,
        "cpu_db_cores": cpu_delta(a["db"], b["db"]) / span,
        "cpu_machine_busy": busy / total if total else float("nan"),
        "load_begin": a["load"],
        "load_end": b["load"],
        "stories": stories,
        "rounds": rounds,
        "peak_resident_mb": max(b.get("peak_resident", {0: 0}).values(), default=0) / 2**20,
        **b.get("rows", {}),  # type: ignore[dict-item]
    }


def _rounds(path: Path, begin: float, end: float) -> dict[str, float]:
    if not path.exists():
        return {}
    rows = [line.split("\t") for line in path.read_text().splitlines()]
    inside = [r for r in rows if begin <= float(r[1]) < end]
    if not inside:
        return {}
    durations = [float(r[1]) - float(r[0]) for r in inside]
    return {
        "count": len(inside),
        "mean_s": sum(durations) / len(durations),
        "max_s": max(durations),
        "feeds_per_round": sum(int(r[2]) for r in inside) / len(inside),
        "added_per_round": sum(int(r[4]) for r in inside) / len(inside),
    }


def _clean_redis(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)


@contextlib.contextmanager
def pg_database(keep: bool) -> Iterator[str]:
    import psycopg

    name = f"alaune_e2e_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        if not keep:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(args: argparse.Namespace, r: dict[str, object], db_url: str) -> list[str]:
    kind = "SQLite" if db_url.startswith("sqlite") else "PostgreSQL"
    who = (
        "embedded crawler"
        if args.mode == "embedded"
        else (
            f"Celery, {args.workers} worker(s) × concurrency {args.worker_concurrency} "
            "+ 1 cluster worker + scheduler"
        )
    )
    lines = [
        f"e2e, {who}, {kind}: {args.feeds} feeds on {args.origins} origins, publishing "
        f"{r['published_per_s']:.1f} articles/s; window {r['window_s']:.0f} s after "
        f"{args.warmup:.0f} s warm-up{', pictures answered 404' if args.no_images else ''}",
        f"  placed and searchable: **{r['placed_per_s']:.1f} articles/s** (stored "
        f"{r['stored_per_s']:.1f}/s)",
        f"  latency feed → searchable in its story, {r['window_items']} items published in the "
        f"window ({r['window_missing']} not placed {args.drain:.0f} s after it): p50 "
        f"{r['latency_p50']:.1f} s, **p95 {r['latency_p95']:.1f} s**, max "
        f"{r['latency_max']:.1f} s (feed → stored p50 {r['published_to_stored_p50']:.1f} s / "
        f"p95 {r['published_to_stored_p95']:.1f} s; stored → placed p50 "
        f"{r['stored_to_placed_p50']:.1f} s / p95 {r['stored_to_placed_p95']:.1f} s)",
        f"  CPU (cores): crawl processes {r['cpu_crawl_cores']:.2f}, servers "
        f"{r['cpu_servers_cores']:.2f}, postgres+redis {r['cpu_db_cores']:.2f}; machine busy "
        f"{100 * float(r['cpu_machine_busy']):.0f}%; load {r['load_begin']} → {r['load_end']}",
        f"  peak resident memory of the largest crawl process: {r['peak_resident_mb']:.0f} MB",
        f"  (a latency of inf: over 5% (p95) or 50% (p50) of the window's items were not yet "
        f"searchable {args.drain:.0f} s after the window, i.e. above "
        f"{args.drain + args.seconds:.0f} s for the first of them)"
        if r["latency_p95"] == float("inf")
        else "  (every percentile from placed items)",
        f"  whole run: stage_timings [items, seconds, slowest]: {json.dumps(r.get('stages'))}; "
        f"polls [count, mean ms]: {json.dumps(r.get('polls'))}; "
        f"mean poll interval {float(r.get('mean_poll_interval', 0)):.1f} s; rounds "
        f"{json.dumps(r.get('rounds'))}; stories (placed, 2+ articles, copies) {r['stories']}",
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.e2e", description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--origins", type=int, default=200)
    parser.add_argument("--rate", type=float, default=80.0, help="articles published per second")
    parser.add_argument("--mode", choices=("embedded", "celery"), default="embedded")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--worker-concurrency", type=int, default=1)
    parser.add_argument("--database", default=None)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database made")
    parser.add_argument("--seconds", type=float, default=240.0, help="the measured window")
    parser.add_argument("--warmup", type=float, default=90.0)
    parser.add_argument("--drain", type=float, default=60.0)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--poll-min", type=float, default=10.0)
    parser.add_argument("--poll-max", type=float, default=30.0)
    parser.add_argument("--poll-start", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=16, help="crawl_concurrency")
    parser.add_argument("--tick", type=float, default=2.0, help="embedded: wait after a round")
    parser.add_argument("--scheduler-tick", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--dates", choices=("plan", "now"), default="plan")
    parser.add_argument(
        "--no-images", action="store_true", help="the outlets answer 404 for pictures"
    )
    parser.add_argument("--profile", action="store_true", help="embedded: cProfile the crawler")
    parser.add_argument("--json", default=None, help="also write the results here")
    parser.add_argument("--crawler-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.crawler_child:
        crawl_child(
            args.tick,
            Path(os.environ.get("E2E_DIR", ".")) / "rounds.tsv",
            Path(args.profile_to) if args.profile_to else None,
        )
        return
    with tempfile.TemporaryDirectory(prefix="alaune-e2e-") as tmp:
        directory = Path(tmp)
        os.environ["E2E_DIR"] = tmp
        with contextlib.ExitStack() as stack:
            if args.database:
                db_url = args.database
            elif args.mode == "celery":
                db_url = stack.enter_context(pg_database(args.keep))
            else:
                db_url = f"sqlite:///{directory / 'e2e.db'}"
            result = measure(args, directory, db_url)
        for line in report(args, result, db_url):
            print(line)
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()
