"""Issue 8 and SECURITY.md H1 for the scale-out mode: a worker SIGKILLed in the middle of a task
loses and duplicates nothing.

One worker crawls the demo outlets into PostgreSQL and is killed (with its pool processes) while
it stores a listing's pages. Its unacknowledged task goes back to the queue once Redis's
visibility timeout runs out; a new worker finishes the crawl. Every article must be stored once,
placed in a story, and a feed's ETag must never have been saved before its articles.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from workers_support import ScaleOut, counts, register_demo, wait_until

from alaune.demo.corpus import load_corpus
from alaune.demo.server import DemoOutlets
from alaune.store.engine import Database
from alaune.store.schema import articles, feeds
from alaune.text.urls import canonical_url

EVERY_QUEUE = "poll,pages,images,cluster"


@pytest.mark.postgres
def test_a_worker_killed_mid_task_loses_and_duplicates_nothing(
    scale: ScaleOut, pg: Database, demo: DemoOutlets
) -> None:
    corpus = load_corpus()
    total = len(corpus.articles)
    register_demo(pg, demo, scale)
    scale.settings["ALAUNE_BROKER_VISIBILITY_TIMEOUT"] = "6"
    first = scale.worker("worker-1", EVERY_QUEUE)
    scale.scheduler()

    wait_until(lambda: counts(pg)[0] >= 5, timeout=60, what="the first articles", alive=first)
    first.kill()
    stored_at_kill = counts(pg)[0]
    assert stored_at_kill < total, "killed too late to test anything"
    _check_validators_follow_articles(pg, corpus_sizes(demo))

    second = scale.worker("worker-2", EVERY_QUEUE)
    wait_until(
        lambda: counts(pg) == (total, total, total), timeout=120, what="recovery", alive=second
    )
    with pg.read() as conn:
        stored = set(conn.execute(select(articles.c.canonical_url)).scalars())
    assert stored == {canonical_url(demo.url_of(article.key)) for article in corpus.articles}
    with pg.read() as conn:  # every feed's poll, the killed one's too, ended recorded
        assert None not in set(conn.execute(select(feeds.c.etag)).scalars())


def corpus_sizes(demo: DemoOutlets) -> dict[str, int]:
    corpus = load_corpus()
    return {outlet.outlet.id: len(corpus.articles_of(outlet.outlet.id)) for outlet in demo.outlets}


def _check_validators_follow_articles(db: Database, sizes: dict[str, int]) -> None:
    """Promise 1: a feed whose ETag is saved has every article it listed stored."""
    with db.read() as conn:
        saved = conn.execute(select(feeds.c.outlet_id).where(feeds.c.etag.is_not(None))).scalars()
        for outlet_id in saved:
            query = select(articles.c.id).where(articles.c.outlet_id == outlet_id)
            assert len(conn.execute(query).all()) == sizes[outlet_id], f"{outlet_id}: ETag early"
