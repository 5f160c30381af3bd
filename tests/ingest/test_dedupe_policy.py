"""SECURITY H2 and H6 through the crawler: one row per canonical URL, a moved article updated in
place, a reused GUID kept apart, and removed articles never coming back.

The deterministic policy is documented in `alaune.ingest.identity`; the pure table cases are
in test_identity.py.
"""

from __future__ import annotations

from feed_site import FeedSite, article, rss
from ingest_support import Clock, crawler_for, feed_state, outlet, stored_urls
from sqlalchemy import select

from alaune.store import feeds, tombstones
from alaune.store.engine import Database
from alaune.store.schema import articles


def article_id(db: Database, canonical: str) -> int:
    with db.read() as conn:
        query = select(articles.c.id).where(articles.c.canonical_url == canonical)
        return int(conn.execute(query).scalar_one())


async def test_same_article_via_two_feeds_and_tracking_spellings_is_stored_once(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    host = f"localhost:{site.port}"
    site.routes["/a"] = article("Le barrage de Tanger")
    site.routes["/one.xml"] = rss(
        (f"http://LOCALHOST:{site.port}/a?utm_source=rss&utm_medium=feed#haut", "x1", "Barrage")
    )
    site.routes["/two.xml"] = rss((f"http://{host}/a?fbclid=abc", "y9", "Le barrage"))
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([outlet("one", site.url("/one.xml")), outlet("two", site.url("/two.xml"))])
        report = await crawler.crawl_once()
    assert list(stored_urls(db)) == [f"http://{host}/a"]
    # Both feeds are polled at once and may both fetch the page; the unique key keeps one row.
    assert report.added == 1
    assert site.hits["/a"] <= 2


async def test_same_guid_new_url_moves_the_article_instead_of_inserting(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    site.routes["/maroc/barrage"] = article("Le barrage de Tanger se remplit")
    site.routes["/feed.xml"] = rss(
        (site.url("/maroc/barrage"), "guid-1", "Le barrage de Tanger se remplit")
    )
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([outlet("echo", site.url("/feed.xml"))])
        await crawler.crawl_once()
        before = article_id(db, site.url("/maroc/barrage"))
        # The outlet corrects the slug and the title; the GUID stays.
        site.routes["/feed.xml"] = rss(
            (site.url("/regions/barrage-tanger"), "guid-1", "Le barrage de Tanger se remplit enfin")
        )
        moved = await crawler.crawl_once()
        # A feed listing both spellings must not bring the old one back.
        site.routes["/feed.xml"] = rss(
            (site.url("/maroc/barrage"), "guid-1", "Le barrage de Tanger se remplit"),
            (site.url("/regions/barrage-tanger"), "guid-1", "Le barrage de Tanger se remplit"),
        )
        again = await crawler.crawl_once()
    assert stored_urls(db) == {
        site.url("/regions/barrage-tanger"): site.url("/regions/barrage-tanger")
    }
    assert article_id(db, site.url("/regions/barrage-tanger")) == before
    assert (moved.moved, moved.added, again.added) == (1, 0, 0)
    assert site.hits["/regions/barrage-tanger"] == 0  # a move fetches nothing
    with db.read() as conn:
        reason = tombstones.reason_for(conn, site.url("/maroc/barrage"))
    assert reason == f"moved to {site.url('/regions/barrage-tanger')}"


async def test_guid_reused_for_a_different_article_inserts_a_new_one(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    site.routes["/maroc/barrage"] = article("Le barrage de Tanger se remplit")
    site.routes["/sport/derby"] = article("Derby: le Raja bat le Wydad")
    site.routes["/feed.xml"] = rss((site.url("/maroc/barrage"), "1", "Le barrage de Tanger"))
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([outlet("echo", site.url("/feed.xml"))])
        await crawler.crawl_once()
        site.routes["/feed.xml"] = rss(
            (site.url("/sport/derby"), "1", "Derby: le Raja bat le Wydad")
        )
        report = await crawler.crawl_once()
    assert (report.added, report.moved) == (1, 0)
    assert set(stored_urls(db)) == {site.url("/maroc/barrage"), site.url("/sport/derby")}


async def test_h6_a_removed_article_is_never_ingested_again(
    db: Database, site: FeedSite, clock: Clock
) -> None:
    site.routes["/feed.xml"] = rss(
        (site.url("/a"), "a", "Le barrage de Tanger"), (site.url("/b"), "b", "Le port de Tanger")
    )
    site.routes["/a"] = article("Le barrage de Tanger")
    site.routes["/b"] = article("Le port de Tanger")
    feed_url = site.url("/feed.xml")
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register([outlet("echo", feed_url)])
        await crawler.crawl_once()
        with db.write() as conn:
            removed = tombstones.remove_article(
                conn, article_id(db, site.url("/a")), reason="admin: plainte", now=clock.now
            )
            feeds.forget_validators(conn, feed_state(db, feed_url).id)  # force a full re-read
        report = await crawler.crawl_once()
    assert removed == site.url("/a")
    assert list(stored_urls(db)) == [site.url("/b")]
    assert (report.added, report.known) == (0, 2)
    assert site.hits["/a"] == 1  # not even fetched again
    with db.read() as conn:
        assert tombstones.reason_for(conn, site.url("/a")) == "admin: plainte"
