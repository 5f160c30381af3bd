"""SECURITY H6 and promise 1: an article an admin removed stays removed, although the demo
outlet's feed still lists it and the feed is read again in full."""

from __future__ import annotations

from crawl_support import crawl
from sqlalchemy import select

from alaune.config import Settings
from alaune.demo.corpus import Corpus
from alaune.demo.server import DemoOutlets
from alaune.ingest.pipeline import utcnow
from alaune.store import articles, feeds, tombstones
from alaune.store.engine import Database
from alaune.store.schema import articles as articles_table
from alaune.text.urls import canonical_url


def test_h6_removed_article_is_not_reingested_while_the_feed_lists_it(
    db: Database, demo: DemoOutlets, demo_settings: Settings, corpus: Corpus
) -> None:
    crawl(db, demo, demo_settings)
    victim = corpus.articles[0]
    url = canonical_url(demo.url_of(victim.key))
    with db.write() as conn:
        article_id = conn.execute(
            select(articles_table.c.id).where(articles_table.c.canonical_url == url)
        ).scalar_one()
        assert tombstones.remove_article(conn, article_id, reason="admin", now=utcnow()) == url
        for feed in feeds.list_feeds(conn):
            feeds.forget_validators(conn, feed.id)  # no 304: every feed is read in full
    again = crawl(db, demo, demo_settings)
    assert again.not_modified == 0
    assert again.added == 0
    assert again.known == len(corpus.articles)  # the removed one counts as known, not new
    with db.read() as conn:
        assert articles.count_articles(conn) == len(corpus.articles) - 1
        assert articles.known_urls(conn, [url]) == set()
        assert tombstones.reason_for(conn, url) == "admin"
