"""The store on SQLite and PostgreSQL: migrations, idempotent articles, feed state, reads."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from alaune.errors import SchemaOutOfDate, StoreError
from alaune.model import FeedRef, Outlet
from alaune.store import articles, feeds, migrate, outlets, search
from alaune.store.engine import Database, open_database
from alaune.store.schema import metadata

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
OUTLET = Outlet(
    id="echo",
    name="L'Écho",
    homepage="https://echo.example/",
    languages=("fr",),
    feeds=(FeedRef("https://echo.example/rss.xml", "rss"),),
    policy="full",
)


def new_article(n: int, **changes: object) -> articles.NewArticle:
    values: dict[str, object] = {
        "outlet_id": "echo",
        "canonical_url": f"https://echo.example/a/{n}",
        "url": f"https://echo.example/a/{n}?utm_source=x",
        "title": f"Titre {n}",
        "text": "Premier paragraphe.\n\nSecond paragraphe.",
        "language": "fr",
        "published_at": NOW - timedelta(minutes=n),
        "first_seen_at": NOW,
        "image_url": "https://echo.example/img/1.jpg",
        "raw_html": b"<html><p>page</p></html>",
    }
    values.update(changes)
    return articles.NewArticle(**values)  # type: ignore[arg-type]


def test_migrations_produce_exactly_the_schema_file(db: Database) -> None:
    with db.engine.connect() as conn:
        # The search index (FTS5 / tsvector, migration 0004) is not in schema.py: skip it.
        context = MigrationContext.configure(conn, opts={"include_name": search.include_name})
        diff = compare_metadata(context, metadata)
    assert diff == []
    migrate.check_current(db)


def test_an_empty_database_is_reported_out_of_date_with_the_fix(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SchemaOutOfDate, match="run `alaune db upgrade`"):
        migrate.check_current(database)
    database.dispose()


def test_unusable_database_urls_are_explained(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        open_database("not a url")
    with pytest.raises(StoreError, match="does not exist"):
        open_database(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")


def test_sync_follows_the_registry_feeds(db: Database) -> None:
    moved = Outlet(
        id="echo",
        name="L'Écho",
        homepage="https://echo.example/",
        languages=("fr",),
        feeds=(FeedRef("https://echo.example/atom.xml", "atom"),),
    )
    with db.write() as conn:
        outlets.sync_outlets(conn, [OUTLET], now=NOW)
        outlets.sync_outlets(conn, [moved], now=NOW)
    with db.read() as conn:
        assert [(f.url, f.kind) for f in feeds.list_feeds(conn)] == [
            ("https://echo.example/atom.xml", "atom")
        ]


def test_articles_are_stored_once_per_canonical_url(db: Database) -> None:
    with db.write() as conn:
        assert outlets.sync_outlets(conn, [OUTLET], now=NOW) == 1
        assert outlets.sync_outlets(conn, [OUTLET], now=NOW) == 0
        first = articles.add_article(conn, new_article(1))
        again = articles.add_article(conn, new_article(1, title="Autre titre"))
    assert first is not None
    assert again is None
    with db.read() as conn:
        assert articles.count_articles(conn) == 1
        page = articles.get_article(conn, first)
        assert articles.raw_html(conn, first) == b"<html><p>page</p></html>"
    assert page is not None
    assert page.card.title == "Titre 1"
    assert page.card.published_at == NOW - timedelta(minutes=1)
    assert page.card.published_at.tzinfo is not None
    assert page.card.image_url == "https://echo.example/img/1.jpg"
    assert page.policy == "full"
    assert page.word_count == 4


def test_each_article_starts_as_a_story_of_one(db: Database) -> None:
    with db.write() as conn:
        outlets.sync_outlets(conn, [OUTLET], now=NOW)
        ids = [articles.add_article(conn, new_article(n)) for n in range(3)]
    with db.read() as conn:
        stories = {articles.get_article(conn, i).card.story_id for i in ids if i}  # type: ignore[union-attr]
    assert len(stories) == 3


def test_latest_is_newest_first_and_filters_by_outlet(db: Database) -> None:
    other = Outlet(id="ledger", name="Ledger", homepage="https://l.example/", languages=("en",))
    with db.write() as conn:
        outlets.sync_outlets(conn, [OUTLET, other], now=NOW)
        for n in (5, 1, 3):
            articles.add_article(conn, new_article(n))
        articles.add_article(
            conn, new_article(9, outlet_id="ledger", canonical_url="https://l.example/9")
        )
    with db.read() as conn:
        titles = [card.title for card in articles.latest(conn, limit=10)]
        echo = [card.outlet_id for card in articles.latest(conn, outlet_id="echo")]
        known = articles.known_urls(conn, ["https://echo.example/a/1", "https://echo.example/a/2"])
    assert titles == ["Titre 1", "Titre 3", "Titre 5", "Titre 9"]
    assert echo == ["echo", "echo", "echo"]
    assert known == {"https://echo.example/a/1"}


def test_feed_validators_and_errors(db: Database) -> None:
    with db.write() as conn:
        outlets.sync_outlets(conn, [OUTLET], now=NOW)
    with db.read() as conn:
        (feed,) = feeds.list_feeds(conn)
    with db.write() as conn:
        feeds.record_error(conn, feed.id, kind="timeout", message="x" * 5000, at=NOW)
        feeds.record_error(conn, feed.id, kind="timeout", message="again", at=NOW)
    with db.read() as conn:
        (failed,) = feeds.list_feeds(conn)
    assert (failed.last_error_kind, failed.error_count) == ("timeout", 2)
    with db.write() as conn:
        feeds.record_success(conn, feed.id, etag='"v1"', last_modified="Sun, 29 Nov 2026", at=NOW)
    with db.read() as conn:
        (ok,) = feeds.list_feeds(conn)
    assert (ok.etag, ok.error_count, ok.last_error_kind, ok.last_success_at) == (
        '"v1"',
        0,
        None,
        NOW,
    )


def test_naive_datetimes_are_refused(db: Database) -> None:
    with db.write() as conn:
        outlets.sync_outlets(conn, [OUTLET], now=NOW)
    with pytest.raises(Exception, match="naive"), db.write() as conn:
        articles.add_article(conn, new_article(1, published_at=datetime(2026, 1, 1)))
    with db.read() as conn:
        assert articles.count_articles(conn) == 0


def test_sqlite_writers_in_many_threads_never_see_database_is_locked(sqlite_db: Database) -> None:
    """SECURITY H3 (in part): concurrent writers queue on BEGIN IMMEDIATE instead of failing."""
    with sqlite_db.write() as conn:
        outlets.sync_outlets(conn, [OUTLET], now=NOW)
    second = open_database(str(sqlite_db.engine.url))  # a second engine: another "process"
    errors: list[BaseException] = []

    def writer(database: Database, start: int) -> None:
        try:
            for n in range(start, start + 40):
                with database.write() as conn:
                    if not articles.known_urls(conn, [f"https://echo.example/a/{n}"]):
                        articles.add_article(conn, new_article(n))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [
        threading.Thread(target=writer, args=(db, start))
        for db, start in ((sqlite_db, 0), (second, 20), (sqlite_db, 40), (second, 60))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    second.dispose()
    assert errors == []
    with sqlite_db.read() as conn:
        assert articles.count_articles(conn) == 100


def test_insert_new_says_whether_it_inserted_on_both_databases(db: Database) -> None:
    from datetime import UTC, datetime

    from alaune.store.dialect import insert_new
    from alaune.store.schema import rate_counters

    row = {"scope": "s", "key": "k", "started_at": datetime.now(UTC), "count": 1}
    with db.write() as conn:
        assert insert_new(conn, rate_counters, row) is True
        assert insert_new(conn, rate_counters, row) is False
