"""The crawler against a loopback site: polls recorded, schedules saved, due feeds only, paused
outlets skipped, errors named and counted per outlet, failing then recovered (promise 6, H6).

The crawler's clock is fake and its jitter fixed, so every next poll time is exact; nothing
here waits for wall-clock time.
"""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from feed_site import FeedSite, Page, article, rss
from ingest_support import Clock, crawler_for, feed_state, outlet, stored_urls
from sqlalchemy import func, select, update

from alaune.store import polls
from alaune.store.engine import Database
from alaune.store.schema import articles
from alaune.store.schema import outlets as outlets_table


def serve_two_articles(site: FeedSite) -> str:
    site.routes["/feed.xml"] = rss(
        (site.url("/a"), "a", "Le barrage de Tanger"), (site.url("/b"), "b", "Le port de Tanger")
    )
    site.routes["/a"] = article("Le barrage de Tanger")
    site.routes["/b"] = article("Le port de Tanger")
    return site.url("/feed.xml")


async def test_the_registrys_poll_interval_starts_and_floors_the_schedule(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    """An outlet whose entry says `poll_interval = 3600` is polled hourly from the start, and
    new items never bring it below that (the learned default would start at 900 s)."""
    feed_url = serve_two_articles(site)
    hinted = dataclasses.replace(outlet("hourly", feed_url), poll_interval=3600.0)
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([hinted])
        await crawler.crawl_once()
        first = feed_state(db, feed_url)
        site.routes["/feed.xml"] = rss((site.url("/c"), "c", "Le train de Tanger"))
        site.routes["/c"] = article("Le train de Tanger")
        clock.advance(3600)
        await crawler.crawl_once()  # every item new: would halve a learned interval
    assert first.next_poll_at == first.last_polled_at + timedelta(seconds=3600)
    second = feed_state(db, feed_url)
    assert second.poll_interval == 3600
    assert second.next_poll_at == clock.now + timedelta(seconds=3600)


async def test_a_long_round_places_stored_articles_before_it_ends(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    """With thousands of feeds a round lasts minutes: what is stored is placed in its story
    every `place_every` seconds meanwhile, not only once the slowest feed has answered."""
    fast_feed = serve_two_articles(site)
    placed_while_slow: list[int] = []

    def slow_feed() -> Page:
        time.sleep(2.0)  # the other outlet's articles are stored, then placed, meanwhile
        with db.read() as conn:
            query = select(func.count()).where(articles.c.content_hash != "")
            placed_while_slow.append(conn.execute(query).scalar_one())
        return rss()

    site.routes["/slow.xml"] = slow_feed
    async with crawler_for(db, clock, site.addr, place_every=0.2) as crawler:
        crawler.register([outlet("fast", fast_feed), outlet("slow", site.url("/slow.xml"))])
        report = await crawler.crawl_once()
    assert report.added == 2
    assert placed_while_slow == [2]


async def test_each_poll_is_recorded_and_the_next_one_scheduled(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    feed_url = serve_two_articles(site)
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([outlet("echo", feed_url)])
        first = await crawler.crawl_once()
        clock.advance(60)
        second = await crawler.crawl_once()  # --once polls every feed, due or not
    assert (first.added, second.not_modified) == (2, 1)
    state = feed_state(db, feed_url)
    assert state.poll_interval == 900 * 1.25  # a 304 stretches the learned interval
    assert state.next_poll_at == clock.now + timedelta(seconds=1125)
    assert (state.status, state.error_count, state.last_new_at) == (
        "ok",
        0,
        clock.now - timedelta(seconds=60),
    )
    with db.read() as conn:
        history = polls.recent_polls(conn, state.id)
    assert [(p.outcome, p.http_status, p.items, p.new_items) for p in history] == [
        ("not_modified", 304, 0, 0),
        ("ok", 200, 2, 2),
    ]
    assert site.hits["/robots.txt"] == 1  # cached for the origin


async def test_the_loop_polls_only_due_feeds(db: Database, site: FeedSite, clock: Clock) -> None:
    feed_url = serve_two_articles(site)
    async with crawler_for(db, clock, site.addr, due_only=True) as crawler:
        crawler.register([outlet("echo", feed_url)])
        assert (await crawler.crawl_once()).feeds == 1  # never polled: due at once
        clock.advance(899)
        assert (await crawler.crawl_once()).feeds == 0
        clock.advance(1)
        assert (await crawler.crawl_once()).feeds == 1
        assert (await crawler.crawl_once(due_only=False)).feeds == 1  # crawl --once
    assert site.hits["/feed.xml"] == 3


async def test_paused_outlets_are_never_polled(db: Database, site: FeedSite, clock: Clock) -> None:
    feed_url = serve_two_articles(site)
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([outlet("echo", feed_url), outlet("other", site.url("/other.xml"))])
        with db.write() as conn:
            conn.execute(
                update(outlets_table).where(outlets_table.c.id == "echo").values(paused=True)
            )
        report = await crawler.crawl_once()
    assert report.feeds == 1
    assert site.hits["/feed.xml"] == 0
    assert feed_state(db, feed_url).last_polled_at is None


def refuse_dns(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real = socket.getaddrinfo

    def fake(host: object, *args: object, **kwargs: object) -> object:
        if host == name:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: name → (feed URL given the site and a closed port, expected kind)
KINDS: dict[str, tuple[Callable[[FeedSite, int], str], str]] = {
    "http_status_404": (lambda s, p: s.url("/missing.xml"), "http_status"),
    "not_a_feed": (lambda s, p: s.url("/home"), "not_a_feed"),
    "parse_error": (lambda s, p: s.url("/broken.json"), "parse_error"),
    "robots": (lambda s, p: s.url("/private/feed.xml"), "robots"),
    "dns": (lambda s, p: f"http://nowhere.invalid:{s.port}/feed.xml", "dns"),
    "connect": (lambda s, p: f"http://127.0.0.1:{p}/feed.xml", "connect"),
    "tls": (lambda s, p: f"https://127.0.0.1:{s.port}/feed.xml", "tls"),
    "refused_address": (lambda s, p: "http://127.0.0.2:9/feed.xml", "refused_address"),
}


@pytest.mark.parametrize(("url_of", "kind"), KINDS.values(), ids=KINDS.keys())
async def test_each_failure_is_named_and_counted_on_its_outlet(
    db: Database,
    site: FeedSite,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    url_of: Callable[[FeedSite, int], str],
    kind: str,
) -> None:
    refuse_dns(monkeypatch, "nowhere.invalid")
    port = closed_port()
    site.routes["/home"] = article("Accueil")
    site.routes["/broken.json"] = Page(
        b'{"version": "https://jsonfeed.org/version/1.1", "items": 5'
    )
    site.routes["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private\n", "text/plain")
    good = serve_two_articles(site)
    url = url_of(site, port)
    async with crawler_for(db, clock, site.addr, f"127.0.0.1:{port}") as crawler:
        crawler.register([outlet("good", good), outlet("bad", url)])
        report = await crawler.crawl_once()
    assert [(u, k) for u, k, _ in report.errors] == [(url, kind)]
    assert report.added == 2  # the other outlet is unaffected
    bad = feed_state(db, url)
    assert (bad.last_error_kind, bad.error_count, bad.status) == (kind, 1, "ok")
    with db.read() as conn:
        assert polls.errors_by_kind(conn, since=clock.now) == {"bad": {kind: 1}}


async def test_h6_failing_after_repeated_failures_then_recovered_on_first_success(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    """50 failures of several kinds: backoff grows to the cap, status `failing` after 5, the
    feed keeps being polled; the first success resets it."""
    feed_url = site.url("/feed.xml")
    answers = [
        Page(b"gone", "text/plain", 404),
        Page(b"<html>home</html>"),
        Page(b"err", status=500),
    ]
    failures = 0

    def flaky() -> Page:
        return answers[failures % len(answers)]

    site.routes["/feed.xml"] = flaky
    delays = []
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([outlet("flaky", feed_url)])
        for failures in range(50):  # noqa: B007 - `flaky` reads it
            await crawler.crawl_once(due_only=True)
            state = feed_state(db, feed_url)
            assert state.next_poll_at is not None
            delays.append((state.next_poll_at - clock.now).total_seconds())
            clock.now = state.next_poll_at
        assert (state.status, state.error_count) == ("failing", 50)
        assert site.hits["/feed.xml"] == 50  # never dropped
        serve_two_articles(site)
        report = await crawler.crawl_once(due_only=True)
    assert delays[:5] == pytest.approx([1710.0, 3420.0, 6840.0, 13680.0, 20520.0])
    assert max(delays) <= 21600
    assert report.added == 2
    recovered = feed_state(db, feed_url)
    assert (recovered.status, recovered.error_count, recovered.last_error_kind) == ("ok", 0, None)


async def test_validators_wait_until_every_item_is_settled(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    """Promise 1: a page that fails transiently keeps the feed's old validators, so the next
    poll reads the whole feed again and stores the missing article."""
    feed_url = serve_two_articles(site)
    site.routes["/b"] = Page(b"busy", "text/plain", 503)
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([outlet("echo", feed_url)])
        first = await crawler.crawl_once()
        assert feed_state(db, feed_url).etag is None
        site.routes["/b"] = article("Le port de Tanger")
        second = await crawler.crawl_once()
    assert (first.added, second.added, second.known) == (1, 1, 1)
    assert site.conditional["/feed.xml"] == 0  # no If-None-Match: the whole feed was re-read
    assert feed_state(db, feed_url).etag is not None
    assert len(stored_urls(db)) == 2


async def test_json_log_lines_of_a_poll_name_its_outlet_and_feed(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    import io
    import json
    import logging

    from alaune import logs

    root, ours = logging.getLogger(), logging.getLogger("alaune")
    handlers, levels = list(root.handlers), (root.level, ours.level)
    stream = io.StringIO()
    logs.configure(level="debug", fmt="json", stream=stream)
    try:
        feed_url = serve_two_articles(site)
        async with crawler_for(db, clock, site.addr) as crawler:
            crawler.register([outlet("echo", feed_url)])
            await crawler.crawl_once()
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(levels[0])
        ours.setLevel(levels[1])
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    polled = [line for line in lines if str(line.get("message", "")).startswith("poll ok")]
    assert polled, lines
    assert polled[0]["outlet_id"] == "echo"
    assert isinstance(polled[0]["feed_id"], int)
