"""The search index on SQLite (FTS5) and PostgreSQL (tsvector): folding, filters, order, bounds."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, bindparam, cast, func, select, text
from sqlalchemy.dialects.postgresql import TSQUERY

from alaune.model import Outlet
from alaune.store import articles, outlets, search
from alaune.store.engine import Database
from alaune.store.listings import ArticleFilter, filter_conditions
from alaune.store.schema import articles as articles_table
from alaune.store.schema import metadata
from alaune.store.search import SearchPage, SearchQuery

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
FR = Outlet(id="echo", name="L'Écho", homepage="https://echo.example/", languages=("fr",))
AR = Outlet(id="sada", name="صدى", homepage="https://sada.example/", languages=("ar",))


def store(
    db: Database,
    outlet: Outlet,
    n: int,
    title: str,
    text: str = "",
    *,
    hours: int | None = None,
    **extra: object,
) -> int:
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
                published_at=NOW - timedelta(hours=n if hours is None else hours),
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


# PostgreSQL: the newest matches come from a short walk of the newest ids, then either a longer
# walk or the GIN index (`search._pg_newest`). Whichever way, the answer must be the one plain
# ORDER BY ... LIMIT query that PostgreSQL planned before (issue 8), pinned here on a corpus
# small enough that the window sizes are shrunk to send queries down every path.

VOCAB = ["port", "barrage", "pluie", "festival", "train", "budget", "stade", "récolte"]
NEVER_TOGETHER = ("wydad", "banque")  # each in many articles, never in the same one


@pytest.fixture
def pg(postgres_db: Database) -> Database:
    names = ", ".join(table.name for table in reversed(metadata.sorted_tables))
    with postgres_db.write() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    return postgres_db


def corpus(db: Database, count: int = 90, seed: int = 3) -> list[int]:
    """`count` articles over a small vocabulary, dates not in id order, some ids left out of
    the index (gaps), and the two words that never meet."""
    rng = random.Random(seed)
    ids = []
    for n in range(count):
        outlet = FR if rng.random() < 0.7 else AR
        title = " ".join(rng.sample(VOCAB, rng.randint(1, 3)))
        if n % 3 == 0:
            title += " " + NEVER_TOGETHER[n % 2]
        body = " ".join(rng.choices(VOCAB[:6], k=rng.randint(0, 8)))
        category = rng.choice(["sport", "economie", ""])
        hours = rng.randint(1, 300)
        ids.append(store(db, outlet, n, title, body, hours=hours, category=category))
    with db.write() as conn:
        for gone in ids[5::17]:
            search.remove_article(conn, gone)
    return ids


def reference(conn: Connection, query: SearchQuery, *, any_term: bool = False) -> SearchPage:
    """`search` as it was before issue 8: one ORDER BY ... LIMIT, planned by PostgreSQL."""
    terms = search.query_terms(query.text)
    tsquery = (" | " if any_term else " & ").join(search._quote(t) for t in terms)
    q = cast(bindparam(None, tsquery), TSQUERY)
    conditions = filter_conditions(query.where)
    if query.below_id is not None:
        conditions.append(articles_table.c.id < query.below_id)
    tsv = search._tsv
    matching = (
        select(tsv.c.article_id, tsv.c.document)
        .select_from(tsv.join(articles_table, articles_table.c.id == tsv.c.article_id))
        .where(tsv.c.document.op("@@")(q), *conditions)
        .order_by(tsv.c.article_id.desc())
    )
    if query.order == "relevance":
        recent = matching.limit(search.RANK_WINDOW).subquery()
        stmt = select(recent.c.article_id).order_by(
            func.ts_rank(recent.c.document, q).desc(), recent.c.article_id.desc()
        )
    else:
        stmt = matching.with_only_columns(tsv.c.article_id)
    ids = list(conn.execute(stmt.limit(query.limit + 1).offset(query.offset)).scalars())
    return SearchPage(ids=ids[: query.limit], terms=terms, has_more=len(ids) > query.limit)


def shapes(ids: list[int]) -> list[dict[str, Any]]:
    return [
        {},
        {"limit": 3},
        {"limit": 4, "offset": 5},
        {"limit": 5, "below_id": ids[len(ids) // 2]},
        {"limit": 5, "below_id": ids[3]},
        {"where": ArticleFilter(language="fr")},
        {"where": ArticleFilter(outlet_id="sada"), "limit": 3},
        {"where": ArticleFilter(category="sport"), "limit": 2, "offset": 1},
        {"where": ArticleFilter(since=NOW - timedelta(hours=150), until=NOW - timedelta(hours=60))},
        {"order": "relevance"},
        {"order": "relevance", "limit": 3, "offset": 2},
        {"order": "relevance", "where": ArticleFilter(language="ar")},
    ]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sample", "gin_cost", "rank_window"),
    [
        (3000, 3.0, 1000),  # as shipped: the first walk reads this whole corpus
        (4, 3.0, 1000),
        (4, 0.0, 6),  # never a second walk: the GIN index below the first one
        (4, 0.3, 6),  # short second walks, then the GIN index below them
        (4, 1e9, 6),  # a second walk, as far down as need be
        (1, 3.0, 3),
    ],
)
def test_postgres_pages_are_those_of_the_plain_query(
    pg: Database, monkeypatch: pytest.MonkeyPatch, sample: int, gin_cost: float, rank_window: int
) -> None:
    ids = corpus(pg)
    monkeypatch.setattr(search, "_PG_SAMPLE", sample)
    monkeypatch.setattr(search, "_PG_GIN_COST", gin_cost)
    monkeypatch.setattr(search, "RANK_WINDOW", rank_window)
    texts = [*VOCAB, "port pluie", "budget train stade", "récolte port", " ".join(NEVER_TOGETHER)]
    texts += ["festival barrage", "pluie budget stade", "wydad port", "inconnu", "port inconnu"]
    with pg.read() as conn:
        for text_ in texts:
            for shape in shapes(ids):
                query = SearchQuery(text=text_, **shape)
                assert search.search(conn, query) == reference(conn, query), (text_, shape)
        for text_ in ["Le port et la pluie", "Un stade, un budget"]:
            found = search.similar(conn, text_, exclude={ids[-1]}, limit=4)
            terms = search.query_terms(" ".join(w for w in text_.split() if len(w) > 2))
            expected = reference(
                conn, SearchQuery(text=" ".join(terms), order="relevance", limit=5), any_term=True
            )
            assert found == [i for i in expected.ids if i != ids[-1]][:4]


def test_terms_that_never_meet_find_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL, from the GIN index after a walk of the newest `_PG_SAMPLE` ids only,
    rather than by reading every document (seconds at 1M articles)."""
    ids = corpus(db)
    walked: list[tuple[int, int]] = []
    real_walk = search._pg_walk

    def walk(conn: Connection, q: Any, conditions: list[Any], **kw: int) -> list[int]:
        walked.append((kw["start"], kw["stop"]))  # the ids it reads: [start, stop)
        return real_walk(conn, q, conditions, **kw)

    monkeypatch.setattr(search, "_PG_SAMPLE", 10)
    monkeypatch.setattr(search, "_pg_walk", walk)
    assert find(db, " ".join(NEVER_TOGETHER)) == []
    assert find(db, "banque wydad", order="relevance") == []
    assert find(db, "wydad") != []
    assert find(db, "banque") != []
    if not db.is_sqlite:
        assert walked[:2] == [(ids[-1] - 9, ids[-1] + 1)] * 2


@pytest.mark.postgres
def test_relevance_ranks_title_terms_first_among_the_newest(
    pg: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_in_title = store(pg, FR, 9, "Budget du port", "Le budget, encore le budget.")
    body = [store(pg, FR, 8 - n, f"Conseil {n}", "Un mot sur le budget.") for n in range(4)]
    newest_in_title = store(pg, FR, 1, "Le budget voté", "")
    monkeypatch.setattr(search, "_PG_SAMPLE", 2)
    ranked = find(pg, "budget", order="relevance")
    assert sorted(ranked[:2]) == [old_in_title, newest_in_title]
    assert ranked[2:] == body[::-1]  # equal ranks: the newest first
    monkeypatch.setattr(search, "RANK_WINDOW", 3)  # only the 3 newest are ranked
    assert find(pg, "budget", order="relevance") == [newest_in_title, body[3], body[2]]
    assert find(pg, "budget", order="relevance", limit=1, offset=1) == [body[3]]


@pytest.mark.postgres
def test_searches_give_the_planner_settings_back(
    pg: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus(pg, count=30)
    monkeypatch.setattr(search, "_PG_SAMPLE", 1)
    names = ["enable_seqscan", "enable_indexscan", "jit", "plan_cache_mode"]
    settings = "SELECT " + ", ".join(f"current_setting('{name}')" for name in names)
    with pg.read() as conn:
        before = conn.execute(text(settings)).one()
        assert search.search(conn, SearchQuery(text="wydad banque")).ids == []
        assert conn.execute(text(settings)).one() == before
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        search.search(conn, SearchQuery(text="port pluie"))
        assert conn.execute(text(settings)).one()[0] == "off"


@pytest.mark.postgres
def test_a_second_walk_that_falls_short_hands_over_to_the_gin_index(
    pg: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dense among the newest, then none for a while, then some again far below: the first
    walk predicts a short second one, which finds nothing, and the GIN index the rest."""
    old = [store(pg, FR, 300 - n, "Le port" if n % 4 == 0 else "La gare") for n in range(40)]
    for n in range(30):
        store(pg, FR, 200 - n, "La gare")
    new = [store(pg, FR, 100 - n, "Le port") for n in range(4)]
    paths: list[str] = []

    def traced(name: str) -> Any:
        real = getattr(search, name)

        def run(*args: Any, **kwargs: Any) -> list[int]:
            paths.append(name)
            return real(*args, **kwargs)

        return run

    monkeypatch.setattr(search, "_pg_walk", traced("_pg_walk"))
    monkeypatch.setattr(search, "_pg_gin", traced("_pg_gin"))
    monkeypatch.setattr(search, "_PG_SAMPLE", 4)
    monkeypatch.setattr(search, "_PG_GIN_COST", 0.2)
    query = SearchQuery(text="port", limit=5)
    with pg.read() as conn:
        page = search.search(conn, query)
        assert page == reference(conn, query)
    assert paths == ["_pg_walk", "_pg_walk", "_pg_gin"]
    assert page.ids == [*new[::-1], old[36]]
    assert page.has_more


@pytest.mark.postgres
def test_the_walks_and_the_gin_read_reach_the_oldest_match(
    pg: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [store(pg, FR, 10 - n, "Le port") for n in range(5)]
    for sample in range(1, 7):
        monkeypatch.setattr(search, "_PG_SAMPLE", sample)
        assert find(pg, "port") == ids[::-1], sample
        assert find(pg, "port", limit=2, below_id=ids[2]) == [ids[1], ids[0]], sample
