"""The site under load on loopback: cached pages (req/s, p50/p99) and search (p50/p99).

Builds a database from the demo outlets (a crawl on loopback, then the search index), starts
`alaune serve` on it in its own process (one uvicorn worker, as shipped), and drives it with a
small asyncio HTTP/1.1 keep-alive client: `CONNECTIONS` connections over a mix of cached pages,
feeds and API documents in the three UI languages, then searches whose every URL is new (a
`n=` parameter the site ignores), so each one runs the query and renders its page.
Run: `.venv/bin/python -m bench.web` (or `make bench`). Never run by CI.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from alaune.config import load_settings
from alaune.demo.server import DemoOutlets
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler
from alaune.store import migrate, search
from alaune.store.engine import open_database

CONNECTIONS = 64
CACHED_SECONDS = 10.0
SEARCH_REQUESTS = 400
SEARCH_CONNECTIONS = 8
SEARCH_WORDS = [
    "maroc",
    "barrage",
    "élections",
    "مدرسة",
    "الرباط",
    "port",
    "football",
    "pluies",
    "ميناء",
    "festival",
    "rabat",
    "inflation",
    "train",
    "الماء",
    "tanger",
    "santé",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _crawl(db_url: str, demo: DemoOutlets) -> int:
    settings = dataclasses.replace(load_settings(env={}), fetch_allow=list(demo.allow))
    db = open_database(db_url)
    migrate.upgrade(db)
    async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
        crawler = Crawler(db, fetcher)
        crawler.register(demo.registry())
        await crawler.crawl_once()
    with db.write() as conn:
        count = search.reindex_all(conn)
    db.dispose()
    return count


class Client:
    """One keep-alive HTTP/1.1 connection; `get` returns (status, body length)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            "Accept-Encoding: gzip\r\nUser-Agent: alaune-bench\r\n\r\n"
        )
        self.writer.write(request.encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _load(
    port: int, paths: list[str], *, connections: int, until: float, limit: int | None = None
) -> tuple[list[float], int]:
    """Latencies (s) of requests made by `connections` clients cycling through `paths`."""
    latencies: list[float] = []
    errors = 0
    issued = 0

    async def worker(offset: int) -> None:
        nonlocal errors, issued
        client = Client(port)
        i = offset
        while time.perf_counter() < until and (limit is None or issued < limit):
            issued += 1
            start = time.perf_counter()
            status = await client.get(paths[i % len(paths)])
            latencies.append(time.perf_counter() - start)
            errors += status != 200
            i += connections
        client.close()

    await asyncio.gather(*(worker(n) for n in range(connections)))
    return latencies, errors


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _pages(port: int) -> list[str]:
    import json
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/stories?limit=5") as r:
        stories = [s["id"] for s in json.load(r)["items"]]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/articles?limit=5") as r:
        found = [a["id"] for a in json.load(r)["items"]]
    paths = ["/", "/ar/", "/en/", "/index.rss", "/api/v1/stories", "/outlets", "/sitemap.xml"]
    for prefix in ("", "/ar", "/en"):
        paths += [f"{prefix}/stories/{i}" for i in stories] + [
            f"{prefix}/articles/{i}" for i in found
        ]
    return paths


def _serve(db_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ALAUNE_DATABASE_URL": db_url}
    command = [sys.executable, "-m", "alaune", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the site did not start")


async def _measure(port: int) -> list[str]:
    paths = _pages(port)
    _warm, _ = await _load(
        port, paths, connections=4, until=time.perf_counter() + 60, limit=len(paths) * 2
    )
    start = time.perf_counter()
    cached, errors = await _load(port, paths, connections=CONNECTIONS, until=start + CACHED_SECONDS)
    elapsed = time.perf_counter() - start
    searches = [
        "/search?" + urllib.parse.urlencode({"q": SEARCH_WORDS[n % len(SEARCH_WORDS)], "n": n})
        for n in range(SEARCH_REQUESTS)
    ]
    timed, search_errors = await _load(
        port,
        searches,
        connections=SEARCH_CONNECTIONS,
        until=time.perf_counter() + 120,
        limit=SEARCH_REQUESTS,
    )
    return [
        f"cached pages ({len(paths)} URLs: pages in fr/ar/en, RSS, API, sitemap; gzip), "
        f"{CONNECTIONS} connections, {elapsed:.1f} s: {len(cached) / elapsed:,.0f} req/s, "
        f"p50 {_pct(cached, 0.5):.1f} ms, p99 {_pct(cached, 0.99):.1f} ms, {errors} non-200",
        f"search pages (uncached: every URL new), {SEARCH_CONNECTIONS} connections, "
        f"{len(timed)} requests: p50 {_pct(timed, 0.5):.1f} ms, p99 {_pct(timed, 0.99):.1f} ms, "
        f"{search_errors} non-200",
    ]


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        with DemoOutlets() as demo:
            articles = asyncio.run(_crawl(db_url, demo))
        port = _free_port()
        server = _serve(db_url, port)
        try:
            lines = asyncio.run(_measure(port))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return [f"web, demo corpus ({articles} articles, SQLite, one uvicorn worker):", *lines]


if __name__ == "__main__":
    for line in run():
        print(line)
