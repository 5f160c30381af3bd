"""The search index: FTS5 on SQLite, tsvector + GIN on PostgreSQL, over pre-normalized text.

Documents and queries go through the same `alaune.text.normalize.search_text` (Arabic marks and
prefixes, French accents and elisions, Snowball stems), so the databases only match terms: FTS5
with its `unicode61` tokenizer, PostgreSQL with a tsvector built here (title terms weighted A)
and a tsquery cast from text, never re-parsed by a text search configuration.

Ranking is bounded (DESIGN.md, search row): at 1M documents, bm25 over a common term takes
seconds, while newest-first by article id walks the index backwards and stops at the LIMIT.
"Newest" is that walk; "relevance" ranks only the newest `RANK_WINDOW` matches.

The index lives outside schema.py (SQLAlchemy has no virtual tables): `install` creates it
(migration 0004 calls it) and `is_index_object` lets schema comparisons skip it. Whoever stores
or changes an article calls `index_article` in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    bindparam,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import TSQUERY

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
) -> list[int]:
    if conn.dialect.name == "sqlite":
        joiner = " OR " if any_term else " "
        match = joiner.join('"' + t.replace('"', '""') + '"' for t in terms)
        return _sqlite(conn, match, conditions, ranked=ranked, limit=limit, offset=offset)
    tsquery = (" | " if any_term else " & ").join(_quote(t) for t in terms)
    return _postgres(conn, tsquery, conditions, ranked=ranked, limit=limit, offset=offset)


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
    conn: Connection, tsquery: str, conditions: list[Any], *, ranked: bool, limit: int, offset: int
) -> list[int]:
    q = cast(bindparam(None, tsquery), TSQUERY)
    matching = (
        select(_tsv.c.article_id, _tsv.c.document)
        .select_from(_tsv.join(articles, articles.c.id == _tsv.c.article_id))
        .where(_tsv.c.document.op("@@")(q), *conditions)
        .order_by(_tsv.c.article_id.desc())
    )
    if not ranked:
        query = matching.with_only_columns(_tsv.c.article_id)
    else:
        recent = matching.limit(RANK_WINDOW).subquery()
        query = select(recent.c.article_id).order_by(
            func.ts_rank(recent.c.document, q).desc(), recent.c.article_id.desc()
        )
    return [int(i) for i in conn.execute(query.limit(limit).offset(offset)).scalars()]
