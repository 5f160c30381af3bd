"""Fill a database (SQLite or PostgreSQL) with N generated articles, for benchmarks.

`generate` migrates the database, plans the corpus (`plan`: recombined demo reports in fr, ar and
en, stories of 1–8 articles, optional extra outlets), then writes outlets and feeds, stories with
their facts (title, summary, languages, counts, first report, hotness as `cluster.rank` scores
it, open or closed) and articles with their search entries, in batches of `BATCH` articles, one
transaction each; then SQLite's FTS5 `optimize` and `ANALYZE` on both. No images, wire copies
nor embeddings. A database that already holds articles keeps them: new ids start after its
highest, and PostgreSQL's id sequences are moved past the generated ids at the end.

Ids follow publication order, as ingestion gives them. The search entries hold the text
`store.search.index_article` would write for the stored row (title; lead and text). `progress(
phase, done, total)` is called as work advances; this module prints nothing, knows no terminal.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, func, select
from sqlalchemy import text as sql

from alaune.cluster.rank import hotness
from alaune.demo.corpus import load_corpus
from alaune.devtools.plan import DAYS, Drafter, Drawn, Plan, PlannedArticle, plan
from alaune.store import migrate
from alaune.store.engine import Database, open_database
from alaune.store.outlets import sync_outlets
from alaune.store.schema import articles, stories
from alaune.store.search import tsvector_literal
from alaune.text.normalize import search_text

BATCH = 5_000
OPEN_HOURS = 24  # stories updated within this many hours are open, older ones closed

ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Generated:
    articles: int
    stories: int
    outlets: int
    seconds: dict[str, float]


@dataclass(frozen=True, slots=True)
class _Ids:
    """Where the new ids start, and each planned story's id."""

    article: int
    story_of: dict[int, int]


def generate(
    db_url: str,
    count: int,
    *,
    outlets: int | None = None,
    seed: int = 6,
    now: datetime | None = None,
    progress: ProgressFn | None = None,
) -> Generated:
    """Add `count` generated articles (and `outlets` outlets, default the 9 demo ones)."""
    db = open_database(db_url)
    try:
        migrate.upgrade(db)
        return fill(db, count, outlets=outlets, seed=seed, now=now, progress=progress)
    finally:
        db.dispose()


def fill(
    db: Database,
    count: int,
    *,
    outlets: int | None = None,
    seed: int = 6,
    now: datetime | None = None,
    progress: ProgressFn | None = None,
) -> Generated:
    """`generate` on an open, migrated database. The seed is offset by the highest article id
    already there, so that a second run adds new texts rather than the first run's again."""
    report = progress or (lambda phase, done, total: None)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    corpus = load_corpus()
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    with db.read() as conn:
        present = conn.execute(select(func.coalesce(func.max(articles.c.id), 0))).scalar_one()
    planned = plan(corpus, count, outlets=outlets, now=now, seed=seed + int(present))
    drafter = Drafter(corpus)
    report("plan", count, count)
    seconds["plan"] = time.perf_counter() - clock

    clock = time.perf_counter()
    with db.write() as conn:
        sync_outlets(conn, planned.registry, now=now - timedelta(days=DAYS + 1))
        ids = _next_ids(conn, planned)
        _write_stories(conn, planned, drafter, ids, now)
    seconds["stories"] = time.perf_counter() - clock

    clock = time.perf_counter()
    for done in _write_articles(db, planned, drafter, ids):
        report("articles", done, count)
    seconds["articles"] = time.perf_counter() - clock

    clock = time.perf_counter()
    _finish(db)
    report("analyze", 1, 1)
    seconds["analyze"] = time.perf_counter() - clock
    return Generated(count, len(planned.topics), len(planned.registry), seconds)


def _next_ids(conn: Connection, planned: Plan) -> _Ids:
    """Ids after the highest present; stories numbered by their first article's time."""
    last_article = conn.execute(select(func.coalesce(func.max(articles.c.id), 0))).scalar_one()
    last_story = conn.execute(select(func.coalesce(func.max(stories.c.id), 0))).scalar_one()
    story_of: dict[int, int] = {}
    for article in planned.articles:
        if article.story not in story_of:
            story_of[article.story] = int(last_story) + len(story_of) + 1
    return _Ids(article=int(last_article) + 1, story_of=story_of)


def _write_stories(
    conn: Connection, planned: Plan, drafter: Drafter, ids: _Ids, now: datetime
) -> None:
    members: dict[int, list[tuple[int, PlannedArticle]]] = {}
    for offset, article in enumerate(planned.articles):
        members.setdefault(article.story, []).append((ids.article + offset, article))
    rows = []
    for story, group in members.items():
        rows.append(_story_row(ids.story_of[story], group, planned, drafter, now))
        if len(rows) == BATCH:
            conn.execute(stories.insert(), rows)
            rows = []
    if rows:
        conn.execute(stories.insert(), rows)


def _story_row(
    story_id: int,
    group: list[tuple[int, PlannedArticle]],
    planned: Plan,
    drafter: Drafter,
    now: datetime,
) -> dict[str, object]:
    (first_id, head), last = group[0], group[-1][1]
    outlets = [planned.registry[a.outlet] for _, a in group]
    languages = list(dict.fromkeys(o.languages[0] for o in outlets))
    drawn = drafter.draw(planned.topics[head.story], planned.outlets[head.outlet], head.seed)
    outlet_count = len({o.id for o in outlets})
    return {
        "id": story_id,
        "title": drawn.title,
        "summary": drawn.lead,
        "language": drawn.language,
        "languages": ",".join(languages),
        "created_at": head.published_at,
        "updated_at": last.published_at,
        "article_count": len(group),
        "report_count": len(group),
        "outlet_count": outlet_count,
        "first_article_id": first_id,
        "first_outlet_id": outlets[0].id,
        "first_at": head.published_at,
        "hotness": hotness(
            outlets=outlet_count,
            languages=len(languages),
            articles=len(group),
            last_at=last.published_at,
        ),
        "status": "open" if now - last.published_at < timedelta(hours=OPEN_HOURS) else "closed",
    }


def _write_articles(db: Database, planned: Plan, drafter: Drafter, ids: _Ids) -> Iterator[int]:
    """Writes the articles batch by batch, yielding how many are written."""
    for start in range(0, len(planned.articles), BATCH):
        rows, entries = [], []
        for offset, article in enumerate(planned.articles[start : start + BATCH], start=start):
            article_id = ids.article + offset
            drawn = drafter.draw(
                planned.topics[article.story], planned.outlets[article.outlet], article.seed
            )
            outlet_id = planned.registry[article.outlet].id
            rows.append(_article_row(article_id, article, drawn, outlet_id, ids))
            entries.append(_search_entry(article_id, drawn))
        with db.write() as conn:
            conn.execute(articles.insert(), rows)
            _index(conn, entries)
        yield start + len(rows)


def _article_row(
    article_id: int, article: PlannedArticle, drawn: Drawn, outlet_id: str, ids: _Ids
) -> dict[str, object]:
    published = article.published_at
    text = "\n\n".join(drawn.paragraphs)
    url = f"https://{outlet_id}.demo.invalid/{published:%Y/%m/%d}/{drawn.slug}-{article_id}"
    return {
        "id": article_id,
        "outlet_id": outlet_id,
        "canonical_url": url,
        "url": url,
        "guid": url,
        "title": drawn.title,
        "lead": drawn.lead,
        "text": text,
        "author": drawn.author,
        "language": drawn.language,
        "section": drawn.section,
        "category": drawn.category,
        "word_count": len(text.split()),
        "published_at": published,
        "date_source": "feed",
        "first_seen_at": published + timedelta(seconds=30 + article.seed % 870),
        "updated_at": published,
        "story_id": ids.story_of[article.story],
        "content_hash": hashlib.blake2b(text.encode(), digest_size=16).hexdigest(),
    }


@dataclass(frozen=True, slots=True)
class _Entry:
    id: int
    title: str
    body: str  # lead and text, as store.search.index_article joins them


def _search_entry(article_id: int, drawn: Drawn) -> _Entry:
    body = drawn.lead + "\n" + "\n\n".join(drawn.paragraphs)
    return _Entry(article_id, drawn.title, body)


def _index(conn: Connection, entries: list[_Entry]) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(
            sql("INSERT INTO search_index (rowid, title, body) VALUES (:id, :title, :body)"),
            [
                {"id": e.id, "title": search_text(e.title), "body": search_text(e.body)}
                for e in entries
            ],
        )
        return
    conn.execute(
        sql("INSERT INTO search_index (article_id, document) VALUES (:id, CAST(:doc AS tsvector))"),
        [{"id": e.id, "doc": tsvector_literal(e.title, e.body)} for e in entries],
    )


def _finish(db: Database) -> None:
    """FTS5 optimize on SQLite, id sequences on PostgreSQL, then ANALYZE for the planner."""
    with db.write() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(sql("INSERT INTO search_index (search_index) VALUES ('optimize')"))
        else:
            for table in ("articles", "stories"):
                conn.execute(
                    sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                    )
                )
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
