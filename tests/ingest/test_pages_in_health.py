"""Article pages in a crawl: robots.txt asked on every redirect hop, and what became of the
pages (tried, stored, failed by kind) kept per outlet and shown by `alaune sources health`.

Two loopback `FeedSite`s are two origins; each test asserts what the second one saw, so that
"not fetched" means no request for the path reached it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from click.testing import CliRunner
from feed_site import FeedSite, Page, article, rss
from ingest_support import T0, Clock, crawler_for, outlet, stored_urls
from sqlalchemy import Connection, select

from alaune.cli.context import CliContext
from alaune.cli.sources_health import health
from alaune.ingest.items import CrawlReport
from alaune.model import FeedItem
from alaune.store import feeds, polls
from alaune.store import outlets as outlet_store
from alaune.store.engine import Database
from alaune.store.health import outlet_health
from alaune.store.polls import PageTally
from alaune.store.schema import polls as polls_table

DISALLOW_PRIVATE = Page(b"User-agent: *\nDisallow: /private/\n", "text/plain")


def redirect(location: str) -> Page:
    return Page(b"", "text/plain", 302, (("Location", location),))


def page_rows(conn: Connection) -> list[tuple[Any, ...]]:
    """(feed id, outcome, error kind, items, new items) of every page tally row."""
    query = (
        select(
            polls_table.c.feed_id,
            polls_table.c.outcome,
            polls_table.c.error_kind,
            polls_table.c["items"],
            polls_table.c.new_items,
        )
        .where(polls_table.c.outcome.in_(polls.PAGE_OUTCOMES))
        .order_by(polls_table.c.feed_id, polls_table.c.outcome, polls_table.c.error_kind)
    )
    return [tuple(row) for row in conn.execute(query)]


def failing_site(site: FeedSite) -> None:
    """One good article and three pages that fail: a 404, a 503 and a page with no text."""
    site.routes["/feed.xml"] = rss(
        (site.url("/good"), "good", "Le barrage"),
        (site.url("/gone"), "gone", "Le port"),
        (site.url("/busy"), "busy", "Le train"),
        (site.url("/empty"), "empty", "La route"),
    )
    site.routes["/good"] = article("Le barrage")
    site.routes["/busy"] = Page(b"busy", "text/plain", 503)
    site.routes["/empty"] = Page(b"<html><body></body></html>")


# --- robots.txt on redirect hops ------------------------------------------------------------


async def test_a_page_redirected_to_a_disallowed_origin_is_not_fetched(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    with FeedSite() as other:
        other.routes["/robots.txt"] = DISALLOW_PRIVATE
        other.routes["/private/a"] = article("Le barrage")
        site.routes["/feed.xml"] = rss((site.url("/a"), "a", "Le barrage"))
        site.routes["/a"] = redirect(other.url("/private/a"))
        async with crawler_for(db, clock, site.addr, other.addr) as crawler:
            crawler.register([outlet("echo", site.url("/feed.xml"))])
            report = await crawler.crawl_once()
    assert other.hits == {"/robots.txt": 1}  # B saw its robots.txt and nothing else
    assert [(url, kind) for url, kind, _ in report.errors] == [(site.url("/a"), "robots")]
    assert report.errors[0][2].startswith(f"redirect 1 to {other.url('/private/a')}: ")
    assert (report.added, stored_urls(db)) == (0, {})
    with db.read() as conn:
        (row,) = outlet_health(conn, now=clock.now)
    assert row.pages == PageTally(tried=1, stored=0, failed={"robots": 1})
    assert (row.status, row.errors) == ("ok", {})  # the poll itself went well


async def test_a_feed_redirected_to_a_disallowed_origin_is_a_robots_failure(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    with FeedSite() as other:
        other.routes["/robots.txt"] = DISALLOW_PRIVATE
        other.routes["/private/feed.xml"] = rss((other.url("/b"), "b", "Le port"))
        site.routes["/feed.xml"] = redirect(other.url("/private/feed.xml"))
        async with crawler_for(db, clock, site.addr, other.addr) as crawler:
            crawler.register([outlet("echo", site.url("/feed.xml"))])
            report = await crawler.crawl_once()
    assert other.hits == {"/robots.txt": 1}
    assert [(url, kind) for url, kind, _ in report.errors] == [(site.url("/feed.xml"), "robots")]
    with db.read() as conn:
        (row,) = outlet_health(conn, now=clock.now)
    assert (row.status, row.error_kind, row.errors) == ("error", "robots", {"robots": 1})
    assert row.pages == PageTally()


# --- pages in health ------------------------------------------------------------------------


async def test_page_failures_are_counted_per_outlet_by_kind(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    failing_site(site)
    site.routes["/quiet.xml"] = rss((site.url("/good"), "good", "Le barrage"))
    registry = [outlet("echo", site.url("/feed.xml")), outlet("quiet", site.url("/quiet.xml"))]
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register(registry)
        await crawler.crawl_once(outlet_ids={"echo"})
        clock.advance(60)
        # The 503 left the listing unsettled: the next poll tries every failed page again.
        await crawler.crawl_once()
    with db.read() as conn:
        rows = {row.outlet_id: row for row in outlet_health(conn, now=clock.now)}
        later = outlet_health(conn, now=clock.now + timedelta(days=8))
    echo = rows["echo"]
    assert echo.pages == PageTally(tried=7, stored=1, failed={"http_status": 4, "parse_error": 2})
    assert echo.pages.fetched == 1
    assert (echo.status, echo.errors) == ("ok", {})  # page failures are not failed polls
    assert rows["quiet"].pages == PageTally()  # its one item was stored already: none tried
    assert all(row.pages == PageTally() for row in later)  # outside the window


async def test_pages_are_tallied_under_the_feed_that_listed_them(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    failing_site(site)
    listing = outlet("echo", site.url("/other.xml"), site.url("/feed.xml"))
    items = [FeedItem(url=site.url(path), guid=path) for path in ("/good", "/gone", "/empty")]
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([listing])
        with db.read() as conn:
            listed = {f.url: f.id for f in feeds.list_feeds(conn)}[site.url("/feed.xml")]
        done = await crawler.articles.ingest(items, listing, CrawlReport(), feed_id=listed)
    assert done == (1, True)  # a 404 and a page without text are failures for good
    with db.read() as conn:
        assert page_rows(conn) == [
            (listed, "page_error", "http_status", 1, 0),
            (listed, "page_error", "parse_error", 1, 0),
            (listed, "pages", None, 3, 1),
        ]
        assert polls.recent_polls(conn, listed) == []  # tallies are not polls


def test_a_tally_without_its_feed_goes_under_the_outlets_first_feed(db: Database) -> None:
    registry = [
        outlet("echo", "https://echo.example/a.xml", "https://echo.example/b.xml"),
        outlet("bare"),
    ]
    with db.write() as conn:
        outlet_store.sync_outlets(conn, registry, now=T0)
    tally = PageTally(tried=3, stored=1, failed={"timeout": 2})
    with db.write() as conn:
        assert polls.record_pages(conn, outlet_id="echo", feed_id=None, at=T0, tally=tally)
        assert not polls.record_pages(conn, outlet_id="bare", feed_id=None, at=T0, tally=tally)
        nothing = PageTally()
        assert not polls.record_pages(conn, outlet_id="echo", feed_id=None, at=T0, tally=nothing)
    with db.read() as conn:
        first = min(f.id for f in feeds.list_feeds(conn))
        assert {row[0] for row in page_rows(conn)} == {first}
        assert polls.page_tallies(conn, since=T0) == {"echo": tally}
        assert polls.page_tallies(conn, since=T0 + timedelta(seconds=1)) == {}


async def test_health_command_shows_pages_and_their_failures(
    sqlite_db: Database, site: FeedSite, clock: Clock
) -> None:
    failing_site(site)
    async with crawler_for(sqlite_db, clock, site.addr) as crawler:
        crawler.register([outlet("echo", site.url("/feed.xml"))])
        await crawler.crawl_once()
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    context = CliContext(config_file=None, overrides={"database_url": url})
    runner = CliRunner()
    table = runner.invoke(health, ["--days", "365"], obj=context)
    assert table.exit_code == 0, table.output
    header, row = table.stdout.splitlines()[:2]
    pages_at = header.index("pages")
    assert row[pages_at:].split()[0] == "1/4"  # pages fetched / tried
    assert "Pages failed:\n  echo: http_status ×2, parse_error ×1\n" in table.stdout
    as_json = runner.invoke(health, ["--json", "--days", "365"], obj=context)
    (record,) = map(json.loads, as_json.stdout.splitlines())
    assert record["pages"] == {
        "tried": 4,
        "fetched": 1,
        "stored": 1,
        "failed": {"http_status": 2, "parse_error": 1},
    }
    assert record["errors"] == {}
