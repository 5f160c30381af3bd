"""Feed parsing speed: feeds per second on one core, for a generated 50-item RSS 2.0 feed.

Measured in the same run, on the same bytes:
- alaune's parser (`parse_document`: charset decision, entity repair, the backend, then every
  item cleaned — plain-text titles, nh3-sanitized summaries and contents, dates, URL checks),
  with the default backend (feedparser-rs when installed) and with feedparser forced;
- plain feedparser (`feedparser.parse` on the bytes, its own sanitizer on, as most readers use it);
- plain feedparser-rs, when installed, with and without its own sanitizer, each time also reading
  every entry's title, link, id, summary and date: feedparser-rs converts Rust values to Python
  objects lazily, on first access, so a parse that reads nothing costs a third of one that does.

DESIGN.md's target: ≥ 1,000 feeds/s/core with sanitized output. Each feed is a fresh document
(dates and titles vary per copy) so no cache flatters the numbers. Run alone:
`.venv/bin/python -m bench.parse_feeds`. Each line gives feeds per second of wall time and per
second of the process's CPU time: on a shared machine the second is the steadier of the two (it
leaves out time spent waiting for a core, not the slowdown of sharing one).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import feedparser

from alaune.parse import parse_document
from alaune.parse.backend import feedparser_rs

ITEMS = 50
NOW = datetime(2026, 12, 1, tzinfo=UTC)
BASE = "https://www.lematin.example/rss/economie.xml"


def feed(variant: int) -> bytes:
    """A realistic 50-item French news feed: entities, HTML summaries, images, categories."""
    items = "".join(_item(variant, n) for n in range(ITEMS))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>Le Matin — Économie {variant}</title><link>https://www.lematin.example/</link>"
        f"<description>Actualité économique</description>{items}</channel></rss>"
    ).encode()


def _item(variant: int, n: int) -> str:
    minute = (variant + n) % 60
    return (
        f"<item><title>Bank Al-Maghrib maintient son taux directeur à 2,75 % ({variant}-{n}) "
        f"&amp; l’inflation recule</title>"
        f"<link>https://www.lematin.example/economie/article-{variant}-{n}.html?utm_source=rss</link>"
        f'<guid isPermaLink="false">lematin-{variant}-{n}</guid>'
        f"<pubDate>Tue, 24 Nov 2026 10:{minute:02d}:00 +0100</pubDate>"
        "<dc:creator>Rédaction économie</dc:creator><category>Économie</category>"
        "<category>Maroc</category>"
        "<description>&lt;p&gt;Le conseil de Bank Al-Maghrib a décidé de &lt;b&gt;maintenir"
        "&lt;/b&gt; son taux directeur, estimant que l’inflation devrait rester modérée. "
        '&lt;a href="https://www.lematin.example/economie/"&gt;Lire la suite&lt;/a&gt;&lt;/p&gt;'
        "</description>"
        f'<media:content url="https://img.lematin.example/{variant}/{n}.jpg" medium="image"/>'
        "</item>"
    )


def _read(parsed: Any) -> list[tuple[object, ...]]:
    return [
        (e.get("title"), e.get("link"), e.get("id"), e.get("summary"), e.get("published_parsed"))
        for e in parsed.entries
    ]


def _rate(
    parse: Callable[[bytes], object], docs: list[bytes], seconds: float
) -> tuple[float, float]:
    """Feeds per second of wall time, and per second of this process's CPU time."""
    parse(docs[0])  # warm-up: imports, caches of compiled patterns
    done, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        parse(docs[done % len(docs)])
        done += 1
    return done / (time.perf_counter() - start), done / (time.process_time() - cpu)


def run(seconds: float = 3.0) -> list[str]:
    docs = [feed(v) for v in range(200)]
    size = len(docs[0]) // 1024
    runs: list[tuple[str, Callable[[bytes], object]]] = [
        ("alaune (default backend, sanitized)", lambda d: parse_document(d, now=NOW, url=BASE)),
        (
            "alaune (feedparser backend, sanitized)",
            lambda d: parse_document(d, now=NOW, url=BASE, backend="feedparser"),
        ),
        (
            "feedparser 6 alone (its sanitizer on, fields read)",
            lambda d: _read(feedparser.parse(d)),
        ),
    ]
    if feedparser_rs is not None:
        rs = feedparser_rs
        runs += [
            ("feedparser-rs alone (its sanitizer on, fields read)", lambda d: _read(rs.parse(d))),
            (
                "feedparser-rs alone (sanitizer off, fields read)",
                lambda d: _read(rs.parse(d, sanitize_html=False)),
            ),
            (
                "feedparser-rs alone (sanitizer off, nothing read)",
                lambda d: rs.parse(d, sanitize_html=False),
            ),
        ]
    lines = []
    for label, parse in runs:
        budget = seconds if "feedparser 6" not in label and "feedparser backend" not in label else 2
        rate, per_cpu = _rate(parse, docs, budget)
        lines.append(
            f"feed parsing, {label}: {rate:,.0f} feeds/s/core, {per_cpu:,.0f} per CPU-second "
            f"({ITEMS} items, {size} KiB)"
        )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
