"""The demo's stories, through the real crawler: fetch, extract, store, dedupe, cluster.

The replay gate (tests/quality) scores the clustering code on records in time order; this test
scores what a crawl actually stores, in whatever order pages arrive, on SQLite.
"""

from __future__ import annotations

from crawl_support import crawl
from sqlalchemy import select

from alaune.cluster.metrics import Item, bcubed
from alaune.config import Settings
from alaune.demo.corpus import Corpus
from alaune.demo.server import DemoOutlets
from alaune.store.engine import Database
from alaune.store.schema import articles
from alaune.text.urls import canonical_url

FLOOR_OVERALL = 0.90
FLOOR_CROSS_LANGUAGE = 0.85


def test_a_crawl_of_the_demo_folds_its_articles_into_the_right_stories(
    sqlite_db: Database, demo: DemoOutlets, demo_settings: Settings, corpus: Corpus
) -> None:
    report = crawl(sqlite_db, demo, demo_settings)
    assert report.added == len(corpus.articles)
    query = select(articles.c.canonical_url, articles.c.story_id, articles.c.copy_of)
    with sqlite_db.read() as conn:
        rows = {url: (story, copy) for url, story, copy in conn.execute(query)}
    items, copies = [], 0
    for article in corpus.articles:
        story_id, copy_of = rows[canonical_url(demo.url_of(article.key))]
        items.append(Item(predicted=story_id, gold=article.story_id, language=article.language))
        copies += (copy_of is not None) == (article.copy_of is not None)
    overall, cross = bcubed(items), bcubed(items, cross_language=True)
    assert overall.f1 >= FLOOR_OVERALL, overall
    assert cross.f1 >= FLOOR_CROSS_LANGUAGE, cross
    # Wire copies are recognised as copies (and originals as originals) through the real crawl.
    assert copies / len(corpus.articles) >= 0.98
