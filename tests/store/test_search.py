"""The search index on SQLite (FTS5) and PostgreSQL (tsvector): folding, filters, order, bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alaune.model import Outlet
from alaune.store import articles, outlets, search
from alaune.store.engine import Database
from alaune.store.listings import ArticleFilter
from alaune.store.search import SearchQuery

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
FR = Outlet(id="echo", name="L'Écho", homepage="https://echo.example/", languages=("fr",))
AR = Outlet(id="sada", name="صدى", homepage="https://sada.example/", languages=("ar",))


def store(db: Database, outlet: Outlet, n: int, title: str, text: str = "", **extra: object) -> int:
    with db.write() as conn:
        outlets.sync_outlets(conn, [FR, AR], now=NOW)
        new_id = articles.add_article(
            conn,
            articles.NewArticle(
                outlet_id=outlet.id,
                canonical_url=f"{outlet.homepage}a/{n}",
                url=f"{outlet.homepage}a/{n}",
                title=title,
                text=text,
                language=outlet.languages[0],
                published_at=NOW - timedelta(hours=n),
                first_seen_at=NOW,
                **extra,  # type: ignore[arg-type]
            ),
        )
        assert new_id is not None
        search.index_article(conn, new_id)
    return new_id


def find(db: Database, text: str, **changes: object) -> list[int]:
    with db.read() as conn:
        return search.search(conn, SearchQuery(text=text, **changes)).ids  # type: ignore[arg-type]


def test_arabic_queries_find_voweled_and_prefixed_words(db: Database) -> None:
    school = store(db, AR, 1, "افتتاح المَدرسة الجديدة في الرباط")
    store(db, AR, 2, "مستشفى جديد في طنجة")
    assert find(db, "مدرسة") == [school]
    assert find(db, "المدرسة الجديدة") == [school]


def test_french_queries_fold_accents_and_plurals(db: Database) -> None:
    vote = store(db, FR, 1, "Les élections municipales", "Le taux de participation.")
    assert find(db, "election") == [vote]
    assert find(db, "ELECTIONS participation") == [vote]
    assert find(db, "election séisme") == []


def test_newest_first_by_default_and_relevance_on_request(db: Database) -> None:
    body_only = store(db, FR, 2, "Conseil", "Le budget du port est voté; budget, budget.")
    in_title = store(db, FR, 3, "Budget du port de Tanger", "Vote au conseil.")
    newest = store(db, FR, 1, "Autre chose", "Un mot sur le budget.")
    assert find(db, "budget") == [newest, in_title, body_only]
    ranked = find(db, "budget", order="relevance")
    assert sorted(ranked) == sorted([newest, in_title, body_only])
    assert ranked[-1] == newest


def test_filters_and_keyset_pages(db: Database) -> None:
    ids = [store(db, FR, n, f"Marché {n}") for n in range(1, 6)]
    store(db, AR, 9, "سوق marché")
    assert find(db, "marche", where=ArticleFilter(language="fr"), limit=2) == ids[::-1][:2]
    with db.read() as conn:
        page = search.search(conn, SearchQuery(text="marche", limit=2, below_id=ids[2]))
    assert page.ids == [ids[1], ids[0]]
    assert page.has_more is False
    since = ArticleFilter(since=NOW - timedelta(hours=2, minutes=30))
    assert sorted(find(db, "marche", where=since)) == ids[:2]


def test_hostile_queries_are_terms_not_syntax(db: Database) -> None:
    store(db, FR, 1, "Le port")
    for query in ['"', "port OR NOT", "port*", "title:port", "') & !(", "\x00", "", "   "]:
        find(db, query)  # no syntax error reaches the caller
    assert find(db, '"port"*') != []


def test_reindex_and_remove(db: Database) -> None:
    first = store(db, FR, 1, "Barrage de l'Oriental")
    with db.write() as conn:
        assert search.reindex_all(conn) == 1
        search.remove_article(conn, first)
    assert find(db, "barrage") == []
    with db.write() as conn:
        search.index_article(conn, first)
    assert find(db, "barrage") == [first]


def test_similar_ranks_shared_telling_words(db: Database) -> None:
    dam = store(db, FR, 1, "Le barrage de l'Oriental se remplit après les pluies")
    other = store(db, FR, 2, "Les pluies remplissent le barrage d'Al Massira")
    store(db, FR, 3, "Le festival de Fès ouvre ses portes")
    with db.read() as conn:
        found = search.similar(conn, "Barrage de l'Oriental : pluies", exclude={dam}, limit=5)
    assert found == [other]


def test_the_migration_fills_the_index_from_stored_articles(db: Database) -> None:
    with db.write() as conn:
        search.uninstall(conn)
        search.install(conn)
    first = store(db, FR, 1, "Barrage")
    with db.write() as conn:
        search.remove_article(conn, first)
        assert search.reindex_all(conn) == 1
    assert find(db, "barrage") == [first]


def test_index_object_names() -> None:
    assert search.is_index_object("search_index")
    assert search.is_index_object("search_index_data")
    assert not search.is_index_object("articles")
