"""Clustering throughput and memory with a full open window (issue 5).

Fills a `StoryEngine` with N generated articles (10,000 and 100,000: stories of 1–8 reports,
texts of 120–250 words drawn from a 20,000-word vocabulary with 8 names and 5 figures each,
embeddings drawn around each story's direction, all inside the quiet period so that nothing
closes), then times new articles
one at a time through dedupe + embed (the real encoder, one BLAS thread) + assign + commit, as
ingestion places them: the demo corpus's real reports, so that the encoder sees real text.
Memory per windowed article is the growth of the process's resident set while filling,
divided by N (an upper bound: freed temporaries stay resident), next to the engine's own count
of what it holds; the engine keeps no per-article vector, each story keeps one centroid row.

    .venv/bin/python -m bench.clustering [N ...]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from alaune.cluster.embeddings import embed, limit_blas_threads
from alaune.demo.corpus import Corpus, load_corpus
from alaune.ingest.story_engine import Report, StoryEngine

SIZES = (10_000, 100_000)
MEASURED = 300
_NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def _vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyzéèàç"
    return ["".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(20_000)]


def _text(rng: random.Random, words: list[str]) -> str:
    """Words, a few capitalized names and figures: what features and dedupe read."""
    body = rng.choices(words, k=rng.randint(120, 250))
    for _ in range(8):
        body.insert(rng.randrange(len(body)), rng.choice(words[:2000]).capitalize())
    for _ in range(5):
        body.insert(rng.randrange(len(body)), f"{rng.randint(10, 9999)},{rng.randint(1, 9)}")
    return " ".join(body)


def _fill(engine: StoryEngine, n: int, rng: random.Random, words: list[str]) -> None:
    np_rng = np.random.default_rng(1)
    ref = 0
    while ref < n:
        direction = np_rng.standard_normal(512).astype(np.float32)
        start = _NOW - timedelta(minutes=rng.randint(180, 24 * 60))
        for _ in range(min(rng.randint(1, 8), n - ref)):
            ref += 1
            vector = direction + 0.5 * np_rng.standard_normal(512).astype(np.float32)
            published = start + timedelta(minutes=rng.randint(0, 150))
            text = _text(rng, words)
            report = Report(ref, " ".join(text.split()[:8]), "", text, published, "fr", "o")
            plan = engine.plan(report, now=_NOW, vector=vector / np.linalg.norm(vector))
            engine.commit(plan, now=_NOW, new_story_id=ref)  # ids are unique, as in the database


def _measure(n: int, corpus: Corpus) -> list[str]:
    rng = random.Random(n)
    words = _vocabulary(rng)
    engine = StoryEngine()
    before = _rss_bytes()
    start = time.perf_counter()
    _fill(engine, n, rng, words)
    fill_s = time.perf_counter() - start
    per_article = (_rss_bytes() - before) / n
    stories = len(engine.window)
    vectors = engine.window.vector_nbytes() / n
    # The timed articles are real fr/ar/en reports (the demo corpus): random words would cost
    # the encoder 3× more per text than real titles and leads do.
    new = [
        Report(10_000_000 + i, a.title, a.lead, corpus.expected_text(a.key), _NOW, a.language, "o")
        for i, a in enumerate(corpus.articles[:MEASURED])
    ]
    embed(["warm up"])
    start, cpu = time.perf_counter(), time.process_time()
    for i, report in enumerate(new):
        plan = engine.plan(report, now=_NOW)  # embeds: the real encoder, one text at a time
        engine.commit(plan, now=_NOW, new_story_id=20_000_000 + i)
    rate = len(new) / (time.perf_counter() - start)
    # Per CPU-second too: on a shared machine the wall-clock rate also measures the neighbours.
    cpu_rate = len(new) / (time.process_time() - cpu)
    return [
        f"clustering, {n:,} articles ({stories:,} stories) in the open window: "
        f"{rate:.0f} articles/s through dedupe + embed + assign (1 core; "
        f"{cpu_rate:.0f} per CPU-second)",
        f"clustering, {n:,} articles in the window: {per_article:,.0f} B resident per windowed "
        f"article, {(per_article - vectors):,.0f} B besides the story vectors (engine estimate "
        f"{(engine.nbytes() - vectors * n) / n:,.0f} B besides them; filled in {fill_s:.0f} s)",
    ]


def run(sizes: tuple[int, ...] = SIZES) -> list[str]:
    limit_blas_threads()
    corpus = load_corpus()
    lines: list[str] = []
    for n in sizes:
        lines.extend(_measure(n, corpus))
    return lines


if __name__ == "__main__":
    for line in run(tuple(int(a) for a in sys.argv[1:]) or SIZES):
        print(line)
