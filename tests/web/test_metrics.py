"""`/metrics`: request latency by route, what the database holds, and who may read it.

On SQLite and PostgreSQL (the `db` fixture): real requests through the whole site, real rows
written with the store's own functions, and the Prometheus text parsed back. A crawl of the demo
outlets, as `alaune crawl --once` runs it, must show up as extraction, clustering and image
times.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from newsroom_support import EXCERPT, FULL, HERALD, OUTLETS, Newsroom
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert, text
from starlette.testclient import TestClient

from alaune.config import load_settings
from alaune.demo.corpus import load_corpus
from alaune.demo.server import DemoOutlets
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler
from alaune.model import FeedRef
from alaune.store import feeds, images, outlets, polls, queue_depths, timings
from alaune.store.engine import Database
from alaune.store.metrics import first_id_since, snapshot
from alaune.store.schema import jobs
from alaune.store.schema import polls as polls_table
from alaune.web.app import create_app

NOW = datetime.now(UTC).replace(microsecond=0)
LOOPBACK = ("127.0.0.1", 40000)


def _site(db: Database, client: tuple[str, int] = LOOPBACK, **settings: object) -> TestClient:
    app = create_app(load_settings(env={}, overrides=settings), db, cache_probe_interval=0.0)
    return TestClient(app, client=client, raise_server_exceptions=False)


def _samples(body: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


def _value(body: str, name: str, **labels: str) -> float | None:
    return _samples(body).get((name, frozenset(labels.items())))


def _requests(body: str, route: str, status: str, cache: str) -> float:
    name = "alaune_http_request_duration_seconds_count"
    return _value(body, name, route=route, status=status, cache=cache) or 0.0


def _feeds_with_history(db: Database) -> list[int]:
    """Two feeds: polls two hours ago and within the hour, one feed now failing on DNS."""
    with_feeds = [
        dataclasses.replace(o, feeds=(FeedRef(f"{o.homepage}feed", "rss"),))
        for o in (FULL, EXCERPT)
    ]
    with db.write() as conn:
        outlets.sync_outlets(conn, [*with_feeds, HERALD], now=NOW)
        ids = [f.id for f in feeds.list_feeds(conn)]
        old = [polls.PollRecord(feed_id=i, at=NOW - timedelta(hours=2), outcome="ok") for i in ids]
        recent = [
            polls.PollRecord(feed_id=ids[0], at=NOW - timedelta(minutes=30), outcome="ok"),
            polls.PollRecord(
                feed_id=ids[0], at=NOW - timedelta(minutes=20), outcome="not_modified"
            ),
            polls.PollRecord(
                feed_id=ids[1],
                at=NOW - timedelta(minutes=10),
                outcome="error",
                error_kind="dns",
                duration_ms=1500,
            ),
            polls.PollRecord(
                feed_id=ids[1],
                at=NOW - timedelta(minutes=5),
                outcome="error",
                error_kind="dns",
                duration_ms=500,
            ),
        ]
        polls.record_polls(conn, old + recent)
        feeds.record_error(conn, ids[1], kind="dns", message="no such host", at=NOW)
    return ids


def _queues(db: Database) -> None:
    with db.write() as conn:
        for n in range(3):
            images.queue(conn, f"https://e.example/img/{n}.jpg", now=NOW)
        conn.execute(
            insert(jobs),
            [
                {"kind": "poll_outlet", "status": "queued", "created_at": NOW},
                {"kind": "poll_outlet", "status": "queued", "created_at": NOW},
                {"kind": "discover", "status": "done", "created_at": NOW},
            ],
        )


def test_the_snapshot_counts_what_the_database_holds(db: Database, newsroom: Newsroom) -> None:
    newsroom.add(FULL, first_seen_at=NOW - timedelta(minutes=5))
    newsroom.add(HERALD, first_seen_at=NOW - timedelta(minutes=1))
    newsroom.add(EXCERPT, first_seen_at=NOW - timedelta(hours=3))
    _feeds_with_history(db)
    _queues(db)
    with db.read() as conn:
        taken = snapshot(conn, now=NOW)
    assert taken.articles == 3
    assert taken.outlets == len(OUTLETS)
    assert taken.feeds == {"ok": 2}
    assert taken.feed_errors == {"dns": 1}
    assert taken.images == {"pending": 3}
    assert taken.jobs == {"queued": 2, "done": 1}
    assert taken.dead_letters == 0
    recent = {
        (p.outcome, p.error_kind): (p.polls, p.seconds, p.slowest) for p in taken.polls_last_hour
    }
    assert recent == {
        ("error", "dns"): (2, 2.0, 1.5),
        ("not_modified", ""): (1, 0.0, 0.0),
        ("ok", ""): (1, 0.0, 0.0),
    }


def test_articles_of_the_last_hour_are_found_by_bisecting_ids(
    db: Database, newsroom: Newsroom
) -> None:
    """Articles appended in time order; some deleted, so the ids have holes."""
    added = [
        newsroom.add(FULL, first_seen_at=NOW - timedelta(minutes=180 - 10 * n)) for n in range(18)
    ]
    with db.write() as conn:
        conn.execute(text("DELETE FROM search_index"))
        for article_id in added[9:12]:
            conn.execute(text("DELETE FROM articles WHERE id = :id"), {"id": article_id})
    with db.read() as conn:
        # first seen 180, 170, …, 10 minutes ago (90-70 deleted): the hour has 60 … 10
        assert snapshot(conn, now=NOW).articles_last_hour == 6
        assert snapshot(conn, now=NOW + timedelta(hours=5)).articles_last_hour == 0
        ids = polls_table.c.id
        assert first_id_since(conn, ids, polls_table.c.at, NOW) is None  # no polls at all


def test_requests_are_timed_by_route_status_and_cache(db: Database, newsroom: Newsroom) -> None:
    newsroom.add(FULL)
    site = _site(db)
    before = site.get("/metrics").text
    for path in ("/", "/", "/ar/", "/api/v1/stories", "/stories/999999", "/no/such/page"):
        site.get(path)
    after = site.get("/metrics").text
    grew = {
        key: _requests(after, *key) - _requests(before, *key)
        for key in [
            ("home", "2xx", "miss"),
            ("home", "2xx", "hit"),
            ("api:list_stories", "2xx", "miss"),
            ("story", "4xx", "none"),
            ("unmatched", "4xx", "none"),
        ]
    }
    assert grew == {
        ("home", "2xx", "miss"): 2,  # "/" then "/ar/": the cache keys on the path as requested
        ("home", "2xx", "hit"): 1,
        ("api:list_stories", "2xx", "miss"): 1,
        ("story", "4xx", "none"): 1,
        ("unmatched", "4xx", "none"): 1,
    }


def test_database_gauges_and_headers(db: Database, newsroom: Newsroom) -> None:
    newsroom.add(FULL, first_seen_at=NOW - timedelta(minutes=2))
    _feeds_with_history(db)
    _queues(db)
    response = _site(db).get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    assert response.headers["cache-control"] == "no-store"
    assert "x-alaune-cache" not in response.headers  # never kept by the page cache
    body = response.text
    assert _value(body, "alaune_database_up") == 1
    assert _value(body, "alaune_articles") == 1
    assert _value(body, "alaune_articles_last_hour") == 1
    assert _value(body, "alaune_feeds", status="ok") == 2
    assert _value(body, "alaune_feed_errors", kind="dns") == 1
    assert _value(body, "alaune_polls_last_hour", outcome="error", kind="dns") == 2
    assert _value(body, "alaune_poll_seconds_last_hour", outcome="error", kind="dns") == 2.0
    assert _value(body, "alaune_images", status="pending") == 3
    assert _value(body, "alaune_jobs", status="queued") == 2
    assert _value(body, "alaune_db_pool_checked_out") is not None


def test_a_database_that_cannot_answer_gives_up_zero(db: Database) -> None:
    site = _site(db)
    with db.write() as conn:
        conn.execute(text("DROP TABLE dead_letters"))
    try:
        body = site.get("/metrics").text
        assert _value(body, "alaune_database_up") == 0
        assert _value(body, "alaune_articles") is None
        assert "alaune_http_request_duration_seconds" in body
    finally:
        from alaune.store.schema import dead_letters

        with db.write() as conn:
            dead_letters.create(conn)


@pytest.mark.parametrize(
    ("peer", "headers", "settings", "status"),
    [
        pytest.param("127.0.0.1", {}, {}, 200, id="loopback"),
        pytest.param("::1", {}, {}, 200, id="loopback-v6"),
        pytest.param("203.0.113.7", {}, {}, 403, id="anyone-else"),
        pytest.param("10.1.2.3", {}, {"metrics_allow": "10.0.0.0/8"}, 200, id="allowed-network"),
        pytest.param(
            "127.0.0.1",
            {"x-forwarded-for": "203.0.113.7"},
            {},
            403,
            id="untrusted-local-proxy-forwarding-a-reader",
        ),
        pytest.param(
            "127.0.0.1", {"x-real-ip": "127.0.0.1"}, {}, 403, id="forwarded-by-other-header"
        ),
        pytest.param(
            "10.0.0.1",
            {"x-forwarded-for": "203.0.113.7"},
            {"trusted_proxies": "10.0.0.1"},
            403,
            id="reader-through-trusted-proxy",
        ),
        pytest.param(
            "10.0.0.1",
            {"x-forwarded-for": "127.0.0.1, 192.168.5.5"},
            {"trusted_proxies": "10.0.0.1", "metrics_allow": "192.168.0.0/16"},
            200,
            id="allowed-client-through-trusted-proxy",
        ),
    ],
)
def test_who_may_read_metrics(
    sqlite_db: Database, peer: str, headers: dict[str, str], settings: dict[str, str], status: int
) -> None:
    response = _site(sqlite_db, (peer, 40000), **settings).get("/metrics", headers=headers)
    assert response.status_code == status
    assert response.headers["cache-control"] == "no-store"


def test_metrics_is_not_served_from_the_page_cache(sqlite_db: Database) -> None:
    site = _site(sqlite_db)
    first = _value(site.get("/metrics").text, "alaune_web_process_requests")
    second = _value(site.get("/metrics").text, "alaune_web_process_requests")
    assert first is not None
    assert second == first + 1


def test_rows_written_a_little_out_of_order_are_still_counted(db: Database) -> None:
    """A poll timed 61 minutes ago but written last (a batch) is left out of the hour; the
    four earlier rows of the hour are all still found."""
    ids = _feeds_with_history(db)
    late = polls.PollRecord(feed_id=ids[0], at=NOW - timedelta(minutes=61), outcome="ok")
    with db.write() as conn:
        polls.record_polls(conn, [late])
    with db.read() as conn:
        recent = snapshot(conn, now=NOW).polls_last_hour
    assert sum(p.polls for p in recent) == 4


def test_stage_times_of_the_last_hour_and_queue_depths(db: Database) -> None:
    old = NOW - timedelta(hours=2)
    recent = NOW - timedelta(minutes=3)
    with db.write() as conn:
        timings.record(
            conn,
            [
                timings.StageRecord(
                    stage="extract", finished_at=old, items=90, seconds=9.0, slowest=2.0
                ),
                timings.StageRecord(
                    stage="extract", finished_at=recent, items=40, seconds=0.25, slowest=0.125
                ),
                timings.StageRecord(
                    stage="cluster", finished_at=recent, items=8, seconds=1.5, slowest=0.5
                ),
            ],
        )
    site = _site(db)
    body = site.get("/metrics").text
    assert _value(body, "alaune_stage_items_last_hour", stage="extract") == 40
    assert _value(body, "alaune_stage_seconds_last_hour", stage="extract") == 0.25
    assert _value(body, "alaune_stage_slowest_seconds_last_hour", stage="extract") == 0.125
    assert _value(body, "alaune_stage_items_last_hour", stage="cluster") == 8
    assert _value(body, "alaune_stage_seconds_last_hour", stage="cluster") == 1.5
    # A stage that did nothing in the hour reads 0, not nothing: an alert can see it stall.
    assert _value(body, "alaune_stage_items_last_hour", stage="images") == 0
    assert _value(body, "alaune_stage_seconds_last_hour", stage="images") == 0
    # The embedded mode has no broker: no queue depth at all (its queue is `alaune_jobs`).
    assert "alaune_queue_depth" not in body

    read_at = NOW - timedelta(seconds=20)
    with db.write() as conn:
        queue_depths.save(conn, {"poll": 12, "pages": 3, "images": 0, "cluster": 1}, now=read_at)
    body = _site(db).get("/metrics").text  # a new site: the snapshot is kept for 5 s
    depths = {q: _value(body, "alaune_queue_depth", queue=q) for q in ("poll", "pages", "cluster")}
    assert depths == {"poll": 12, "pages": 3, "cluster": 1}
    assert _value(body, "alaune_queue_depth", queue="images") == 0
    stamp = _value(body, "alaune_queue_depth_read_timestamp_seconds", queue="poll")
    assert stamp == read_at.timestamp()


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoOutlets]:
    with DemoOutlets() as running:
        yield running


def _crawl_demo(db: Database, demo: DemoOutlets) -> None:
    """`alaune crawl --once` over the demo outlets, with the real clock."""
    settings = dataclasses.replace(load_settings(env={}), fetch_allow=list(demo.allow))

    async def run() -> None:
        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            crawler = Crawler(db, fetcher)
            crawler.register(demo.registry())
            await crawler.crawl_once()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


def test_a_crawl_of_the_demo_shows_its_extraction_clustering_and_image_times(
    db: Database, demo: DemoOutlets
) -> None:
    site = _site(db)
    before = site.get("/metrics").text
    assert _value(before, "alaune_stage_items_last_hour", stage="extract") == 0
    _crawl_demo(db, demo)
    body = _site(db).get("/metrics").text
    total = len(load_corpus().articles)
    assert _value(body, "alaune_articles_last_hour") == total
    items = {s: _value(body, "alaune_stage_items_last_hour", stage=s) for s in timings.STAGES}
    assert items["extract"] == total  # every page extracted once
    assert items["cluster"] == total  # every article placed once
    assert (items["images"] or 0) > 100  # the lead and inline pictures
    for stage in timings.STAGES:
        seconds = _value(body, "alaune_stage_seconds_last_hour", stage=stage) or 0.0
        slowest = _value(body, "alaune_stage_slowest_seconds_last_hour", stage=stage) or 0.0
        assert 0 < slowest <= seconds, stage
    with db.read() as conn:  # one row per stage for the crawl round, not one per article
        rows = conn.execute(text("SELECT stage FROM stage_timings ORDER BY stage")).scalars()
        assert list(rows) == ["cluster", "extract", "images"]
