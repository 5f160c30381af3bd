"""SECURITY.md promise 1 and H1: a crawl killed at any point loses and duplicates nothing.

A real `alaune crawl --once --demo` process is SIGKILLed while it stores articles; then a
second crawl runs. No article may be stored twice, every article must be stored in the end, and
a feed whose ETag was saved must have all of its articles already stored when it was saved.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from fault_support import free_port_range

from alaune.demo.corpus import Corpus


def alaune(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "alaune", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path, timeout=10) as conn:
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT canonical_url) FROM articles"
        ).fetchone()
    return int(total), int(distinct)


def test_h1_sigkill_mid_crawl_then_recrawl(tmp_path: Path, corpus: Corpus) -> None:
    path = tmp_path / "h1.db"
    database = f"sqlite:///{path}"
    assert alaune("--database", database, "db", "upgrade").wait(timeout=60) == 0
    port = str(free_port_range(len(corpus.outlets)))
    crawler = alaune("--database", database, "crawl", "--once", "--demo", "--outlet-port", port)
    deadline = time.monotonic() + 120
    while counts(path)[0] < 5:
        assert crawler.poll() is None, "the crawl ended before it could be killed"
        assert time.monotonic() < deadline, "the crawl stored nothing"
        time.sleep(0.01)
    crawler.send_signal(signal.SIGKILL)
    crawler.wait(timeout=30)
    killed_at, _ = counts(path)
    assert killed_at < len(corpus.articles), "killed too late to test anything"

    with sqlite3.connect(path) as conn:
        saved = conn.execute("SELECT outlet_id FROM feeds WHERE etag IS NOT NULL").fetchall()
        for (outlet_id,) in saved:
            (stored,) = conn.execute(
                "SELECT count(*) FROM articles WHERE outlet_id = ?", (outlet_id,)
            ).fetchone()
            assert stored == len(corpus.articles_of(outlet_id)), f"{outlet_id}: ETag saved early"

    again = alaune("--database", database, "crawl", "--once", "--demo", "--outlet-port", port)
    assert again.wait(timeout=120) == 0
    assert counts(path) == (len(corpus.articles), len(corpus.articles))
