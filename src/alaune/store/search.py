"""The search index: FTS5 on SQLite, tsvector + GIN on PostgreSQL, over pre-normalized text.

Documents and queries go through the same `alaune.text.normalize.search_text` (Arabic marks and
prefixes, French accents and elisions, Snowball stems), so the databases only match terms: FTS5
with its `unicode61` tokenizer, PostgreSQL with a tsvector built here (title terms weighted A)
and a tsquery cast from text, never re-parsed by a text search configuration.

Ranking is bounded (DESIGN.md, search row): at 1M documents, bm25 over a common term takes
seconds, while newest-first by article id walks the index backwards and stops at the LIMIT.
"Newest" is that walk; "relevance" ranks only the newest `RANK_WINDOW` matches.

On PostgreSQL the planner cannot tell how often the terms occur *together*, so left to itself it
walks the primary key backwards for a rare conjunction too, reading every document (seconds at
1M). `_pg_newest` chooses instead, from what a short walk of the newest documents found: walk on
when the matches are dense, else read the GIN index for the matches below (see issue 8 in
docs/benchmarks.md).

The index lives outside schema.py (SQLAlchemy has no virtual tables): `install` creates it
(migration 0004 calls it) and `is_index_object` lets schema comparisons skip it. Whoever stores
or changes an article calls `index_article` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    any_,
    bindparam,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY

from alaune.store.listings import ArticleFilter, filter_conditions
from alaune.store.schema import articles
from alaune.text.normalize import fold, search_terms, search_text, words

INDEX = "search_index"
RANK_WINDOW = 1000
MAX_QUERY_TERMS = 8
MAX_TERM_LENGTH = 64
# PostgreSQL keeps 256 positions per lexeme and positions up to 16383 (tsvector limits).
_PG_MAX_POSITIONS = 256
_PG_MAX_POSITION = 16383
_PG_MAX_LEXEME_BYTES = 2046
_REINDEX_BATCH = 500
# PostgreSQL's newest matches (`_pg_newest`): how many of the newest ids a first walk reads, and
# what a GIN match costs (its heap page, visited out of order) in rows walked (hot, in order);
# both tuned at 1M articles (issue 8, docs/benchmarks.md).
_PG_SAMPLE = 3000
_PG_GIN_COST = 3.0
# The GIN read's planner settings, as SET LOCAL (`_planner`): no sequential scan nor plain index
# scan (that is, no walk of the whole primary key), so bitmap scans, of the GIN index or of an
# index of the filters, since the planner's estimate of a conjunction can be far off; no JIT
# compilation for a query of milliseconds; and a plan for these values: psycopg prepares a
# statement run 5 times, and PostgreSQL may then reuse a generic plan, made without knowing the
# terms or the filters (nor these settings). The walks' plans are fixed by their form.
_PG_GIN_SETTINGS = {
    "enable_seqscan": "off",
    "enable_indexscan": "off",
    "jit": "off",
    "plan_cache_mode": "force_custom_plan",
}
# Function words that make "similar" queries match everything; folded, before stemming.
_STOP_WORDS = (
    "le la les de des du un une et en au aux a pour par sur dans avec qui que est son ses sa "
    "plus ce cet cette il elle ils ne pas the of and to in on for with at by from is as an "
    "be was were are its it this that في من على الى عن مع ان التي الذي هذا هذه بعد قبل او ثم "
    "كان قد ما لا"
)
_SIMILAR_STOP = frozenset(_STOP_WORDS.split())

_fts = table(INDEX, column("rowid", Integer))
_tsv = table(INDEX, column("article_id", Integer), column("document"))


def is_index_object(name: str | None) -> bool:
    """Whether a table or index name belongs to the search index (FTS5 shadow tables too)."""
    return name is not None and (name == INDEX or name.startswith(INDEX + "_"))


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's `include_name` hook: schema comparisons skip the search index objects."""
    return not (type_ in {"table", "index"} and is_index_object(name))


def install(conn: Connection) -> None:
    """Create the index objects for this database (idempotent)."""
    if conn.dialect.name == "sqlite":
        # unicode61 only splits the already folded terms; remove_diacritics 0 keeps them as is.
        conn.execute(
            sql(
                "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
                "title, body, tokenize = 'unicode61 remove_diacritics 0')"
            )
        )
        return
    conn.execute(
        sql(
            "CREATE TABLE IF NOT EXISTS search_index ("
            "article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE, "
            "document tsvector NOT NULL)"
        )
    )
    conn.execute(
        sql("CREATE INDEX IF NOT EXISTS search_index_document ON search_index USING gin (document)")
    )


def uninstall(conn: Connection) -> None:
    conn.execute(sql("DROP TABLE IF EXISTS search_index"))


def index_article(conn: Connection, article_id: int) -> bool:
    """(Re)index one article from its stored title, lead and text; False if it is gone."""
    row = conn.execute(
        select(articles.c.title, articles.c.lead, articles.c.text).where(
            articles.c.id == article_id
        )
    ).first()
    if row is None:
        remove_article(conn, article_id)
        return False
    _write(conn, [(article_id, row.title, f"{row.lead}\n{row.text}")])
    return True


def remove_article(conn: Connection, article_id: int) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(sql("DELETE FROM search_index WHERE rowid = :id"), {"id": article_id})
    else:
        conn.execute(sql("DELETE FROM search_index WHERE article_id = :id"), {"id": article_id})


def reindex_all(conn: Connection) -> int:
    """Rebuild the whole index from the articles table; returns how many were indexed."""
    conn.execute(sql("DELETE FROM search_index"))
    done, last = 0, 0
    while True:
        rows = conn.execute(
            select(articles.c.id, articles.c.title, articles.c.lead, articles.c.text)
            .where(articles.c.id > last)
            .order_by(articles.c.id)
            .limit(_REINDEX_BATCH)
        ).all()
        if not rows:
            return done
        _write(conn, [(row.id, row.title, f"{row.lead}\n{row.text}") for row in rows])
        done, last = done + len(rows), rows[-1].id


def _write(conn: Connection, documents: list[tuple[int, str, str]]) -> None:
    if conn.dialect.name == "sqlite":
        params = [
            {"id": i, "title": search_text(title), "body": search_text(body)}
            for i, title, body in documents
        ]
        conn.execute(sql("DELETE FROM search_index WHERE rowid = :id"), params)
        conn.execute(
            sql("INSERT INTO search_index (rowid, title, body) VALUES (:id, :title, :body)"), params
        )
        return
    conn.execute(
        sql(
            "INSERT INTO search_index (article_id, document) VALUES (:id, CAST(:doc AS tsvector)) "
            "ON CONFLICT (article_id) DO UPDATE SET document = excluded.document"
        ),
        [{"id": i, "doc": tsvector_literal(title, body)} for i, title, body in documents],
    )


def tsvector_literal(title: str, body: str) -> str:
    """A tsvector in PostgreSQL's input syntax: each term with its positions, title terms 'A'."""
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, text in (("A", title), ("", body)):
        for term in search_terms(text):
            position = min(position + 1, _PG_MAX_POSITION)
            if len(term.encode()) > _PG_MAX_LEXEME_BYTES:
                continue
            kept = positions.setdefault(term, [])
            if len(kept) < _PG_MAX_POSITIONS:
                kept.append(f"{position}{weight}")
    return " ".join(f"{_quote(term)}:{','.join(at)}" for term, at in positions.items())


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A reader's query: free text, filters, an order, and where the page starts."""

    text: str
    where: ArticleFilter = field(default_factory=ArticleFilter)
    order: str = "newest"  # "newest" (by article id, descending) or "relevance" (bounded)
    limit: int = 20
    offset: int = 0
    below_id: int | None = None  # keyset for "newest": only articles with a smaller id


@dataclass(frozen=True, slots=True)
class SearchPage:
    ids: list[int]
    terms: tuple[str, ...]
    has_more: bool


def query_terms(text: str) -> tuple[str, ...]:
    """The distinct search terms of a reader's query, capped."""
    kept = [t for t in dict.fromkeys(search_terms(text)) if len(t) <= MAX_TERM_LENGTH]
    return tuple(kept[:MAX_QUERY_TERMS])


def search(conn: Connection, query: SearchQuery) -> SearchPage:
    """Article ids matching every term of `query.text` and its filters, in the asked order."""
    terms = query_terms(query.text)
    if not terms:
        return SearchPage(ids=[], terms=(), has_more=False)
    conditions = filter_conditions(query.where)
    if query.below_id is not None:
        conditions.append(articles.c.id < query.below_id)
    ids = _run(
        conn,
        terms,
        conditions,
        any_term=False,
        ranked=query.order == "relevance",
        limit=query.limit + 1,
        offset=query.offset,
        below_id=query.below_id,
    )
    return SearchPage(ids=ids[: query.limit], terms=terms, has_more=len(ids) > query.limit)


def similar(conn: Connection, text: str, *, exclude: set[int], limit: int) -> list[int]:
    """Articles sharing the most telling terms of `text` (any of them), most relevant first."""
    kept = [w for w in words(fold(text)) if w not in _SIMILAR_STOP and len(w) > 2]
    terms = query_terms(" ".join(kept))
    if not terms:
        return []
    ids = _run(conn, terms, [], any_term=True, ranked=True, limit=limit + len(exclude), offset=0)
    return [i for i in ids if i not in exclude][:limit]


def _run(
    conn: Connection,
    terms: tuple[str, ...],
    conditions: list[Any],
    *,
    any_term: bool,
    ranked: bool,
    limit: int,
    offset: int,
    below_id: int | None = None,
) -> list[int]:
    """`conditions` hold every filter (`below_id` too); `below_id` is also given apart, for
    PostgreSQL to start its walk there."""
    if conn.dialect.name == "sqlite":
        joiner = " OR " if any_term else " "
        match = joiner.join('"' + t.replace('"', '""') + '"' for t in terms)
        return _sqlite(conn, match, conditions, ranked=ranked, limit=limit, offset=offset)
    tsquery = (" | " if any_term else " & ").join(_quote(t) for t in terms)
    return _postgres(
        conn, tsquery, conditions, ranked=ranked, limit=limit, offset=offset, below_id=below_id
    )


def _sqlite(
    conn: Connection, match: str, conditions: list[Any], *, ranked: bool, limit: int, offset: int
) -> list[int]:
    def matching() -> Any:
        return (
            select(_fts.c.rowid)
            .select_from(_fts.join(articles, articles.c.id == _fts.c.rowid))
            .where(literal_column(INDEX).op("MATCH")(bindparam(None, match)), *conditions)
        )

    if not ranked:
        query = matching().order_by(_fts.c.rowid.desc())
    else:
        recent = matching().order_by(_fts.c.rowid.desc()).limit(RANK_WINDOW).subquery()
        floor = select(func.min(recent.c.rowid)).scalar_subquery()
        query = (
            matching()
            .where(_fts.c.rowid >= floor)
            .order_by(sql("bm25(search_index, 4.0, 1.0)"), _fts.c.rowid.desc())
        )
    return [int(i) for i in conn.execute(query.limit(limit).offset(offset)).scalars()]


def _postgres(
    conn: Connection,
    tsquery: str,
    conditions: list[Any],
    *,
    ranked: bool,
    limit: int,
    offset: int,
    below_id: int | None,
) -> list[int]:
    """The page of matches: the newest first, or the newest `RANK_WINDOW` by `ts_rank` (ties
    newest first)."""
    q = cast(bindparam(None, tsquery), TSQUERY)
    if not ranked:
        return _pg_newest(conn, q, conditions, need=limit + offset, below_id=below_id)[offset:]
    window = _pg_newest(conn, q, conditions, need=RANK_WINDOW, below_id=below_id)
    if not window:
        return []
    query = (
        select(_tsv.c.article_id)
        .where(_tsv.c.article_id == any_(bindparam(None, window, type_=ARRAY(Integer))))
        .order_by(func.ts_rank(_tsv.c.document, q).desc(), _tsv.c.article_id.desc())
    )
    return [int(i) for i in conn.execute(query.limit(limit).offset(offset)).scalars()]


def _pg_newest(
    conn: Connection, q: Any, conditions: list[Any], *, need: int, below_id: int | None
) -> list[int]:
    """The `need` newest matches (by id, descending) of `q` and `conditions`.

    Two ways to find them, each slow where the other is fast: walking the primary key backwards,
    testing each document (about `need` / density rows: fast when matches are dense), or the GIN
    index (a heap page per match, read out of order: fast when matches are few). PostgreSQL
    estimates a conjunction's matches as if its terms were independent, so under a LIMIT it
    walks even when the terms never occur together, and reads all 1M documents. Here a first walk
    of the newest `_PG_SAMPLE` ids measures the density instead. If the page is not full, the
    walk goes on when what is left to walk at that density costs less than the GIN read (the
    terms' matches below, predicted by the same walk, at `_PG_GIN_COST` rows each), and stops
    when full or when it has cost that much; then the GIN read gives the matches below where the
    walks stopped. Walks and GIN read cover disjoint id ranges, newest first, so the result is
    exactly the newest `need` matches, as one ORDER BY ... LIMIT gives (each statement sees its
    own snapshot: an article stored meanwhile may show from the next search on)."""
    lowest, newest = conn.execute(
        select(func.min(_tsv.c.article_id), func.max(_tsv.c.article_id))
    ).one()
    if newest is None:
        return []
    top = newest + 1 if below_id is None else min(newest + 1, below_id)
    if top <= lowest:
        return []
    start = max(top - _PG_SAMPLE, lowest)
    ids = _pg_walk(conn, q, conditions, need=need, start=start, stop=top)
    if len(ids) < need and start > lowest and ids:
        found, walked = len(ids), top - start
        rows = (need - found) * walked / found  # left to walk, at the density found
        # The GIN read visits the terms' matches, filtered or not: count those walked.
        terms = _pg_count(conn, q, start=start, stop=top) if conditions else found
        matches = terms * (start - lowest) / walked  # for the GIN read, below `start`
        if rows <= _PG_GIN_COST * matches:
            # Walk on until the page is full, or until walking cost what the GIN read would.
            start, stop = max(start - int(_PG_GIN_COST * matches) - 1, lowest), start
            ids += _pg_walk(conn, q, conditions, need=need - found, start=start, stop=stop)
    if len(ids) < need and start > lowest:
        ids += _pg_gin(conn, q, conditions, need=need - len(ids), below=start)
    return ids


def _pg_walk(
    conn: Connection, q: Any, conditions: list[Any], *, need: int, start: int, stop: int
) -> list[int]:
    """The newest `need` matches among ids in [start, stop), walking the primary key backwards."""
    # The LIMIT keeps PostgreSQL from flattening the subquery, and so from leaving the walk.
    rows = (
        select(_tsv.c.article_id, _tsv.c.document)
        .where(_tsv.c.article_id >= start, _tsv.c.article_id < stop)
        .order_by(_tsv.c.article_id.desc())
        .limit(stop - start)
        .subquery()
    )
    query = select(rows.c.article_id)
    if conditions:
        query = query.select_from(rows.join(articles, articles.c.id == rows.c.article_id))
    query = (
        query.where(rows.c.document.op("@@")(q), *conditions)
        .order_by(rows.c.article_id.desc())
        .limit(need)
    )
    return [int(i) for i in conn.execute(query).scalars()]


def _pg_count(conn: Connection, q: Any, *, start: int, stop: int) -> int:
    """How many documents with ids in [start, stop) match `q` (no filters), by the same walk."""
    rows = (
        select(_tsv.c.document)
        .where(_tsv.c.article_id >= start, _tsv.c.article_id < stop)
        .order_by(_tsv.c.article_id.desc())
        .limit(stop - start)
        .subquery()
    )
    return int(conn.execute(select(func.count()).where(rows.c.document.op("@@")(q))).scalar_one())


def _pg_gin(conn: Connection, q: Any, conditions: list[Any], *, need: int, below: int) -> list[int]:
    """The newest `need` matches with an id below `below`: every match is found (materialized,
    from the GIN index, or from an index of `conditions` where that reads fewer rows, e.g. one
    day's articles), then the newest kept."""
    found = select(_tsv.c.article_id)
    if conditions:
        found = found.select_from(_tsv.join(articles, articles.c.id == _tsv.c.article_id))
    found_cte = (
        found.where(_tsv.c.document.op("@@")(q), _tsv.c.article_id < below, *conditions)
        .cte("found")
        .prefix_with("MATERIALIZED")
    )
    query = select(found_cte.c.article_id).order_by(found_cte.c.article_id.desc()).limit(need)
    with _planner(conn, _PG_GIN_SETTINGS):
        return [int(i) for i in conn.execute(query).scalars()]


@contextmanager
def _planner(conn: Connection, settings: dict[str, str]) -> Iterator[None]:
    """Run the block under planner `settings` (SET LOCAL), then give them back their values.

    The values are read first (a materialized CTE is evaluated before the list that uses it).
    On an error nothing is undone: the caller's transaction is rolled back, SET LOCAL with it."""
    names = list(settings)
    saved = (
        select(*(func.current_setting(name).label(f"s{i}") for i, name in enumerate(names)))
        .cte("saved")
        .prefix_with("MATERIALIZED")
    )
    change = (func.set_config(name, value, True) for name, value in settings.items())
    before = conn.execute(select(*saved.c, *change)).one()
    yield
    conn.execute(select(*(func.set_config(n, before[i], True) for i, n in enumerate(names))))
