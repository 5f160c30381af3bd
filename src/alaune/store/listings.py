"""Reads for the reader's site, the API and the feeds: article listings, outlets, categories.

Every function here is a bounded query (a LIMIT, an index named in schema.py) returning frozen
dataclasses; none writes. Story reads live in `coverage`; search in `search`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, and_, func, or_, select

from alaune.store.schema import articles, feeds, outlets, stories
from alaune.text.normalize import fold

# Categories shown on the home page are those of the newest articles, not a scan of every row.
RECENT_WINDOW = 2000


@dataclass(frozen=True, slots=True)
class ArticleItem:
    """One article as listings show it."""

    id: int
    title: str
    lead: str
    url: str
    outlet_id: str
    outlet_name: str
    language: str
    category: str
    published_at: datetime
    story_id: int
    copy_of: int | None = None  # a wire copy points to its original


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """What the article page shows: the listing fields, the text and the outlet's policy."""

    item: ArticleItem
    text: str
    author: str
    policy: str
    word_count: int


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a listing shows; `before` is a keyset cursor (published_at, id)."""

    outlet_id: str | None = None
    category: str | None = None
    language: str | None = None
    story_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    before: tuple[datetime, int] | None = None


@dataclass(frozen=True, slots=True)
class OutletSummary:
    id: str
    name: str
    homepage: str
    languages: tuple[str, ...]
    policy: str
    agency: bool
    article_count: int
    last_published_at: datetime | None


@dataclass(frozen=True, slots=True)
class OutletHealth:
    """An outlet's listings in one line: how many, how many failing, the last success."""

    feeds: int
    failing: int
    last_success_at: datetime | None
    last_error_kind: str | None


def item_query() -> Select[Any]:
    return select(
        articles.c.id,
        articles.c.title,
        articles.c.lead,
        articles.c.url,
        articles.c.outlet_id,
        outlets.c.name.label("outlet_name"),
        articles.c.language,
        articles.c.category,
        articles.c.published_at,
        articles.c.story_id,
        articles.c.copy_of,
    ).join(outlets, outlets.c.id == articles.c.outlet_id)


def read_items(conn: Connection, query: Select[Any]) -> list[ArticleItem]:
    return [ArticleItem(**row._mapping) for row in conn.execute(query)]


def list_articles(
    conn: Connection, where: ArticleFilter, *, limit: int, offset: int = 0
) -> list[ArticleItem]:
    """Newest first (publication time, then id), filtered; `where.before` pages by keyset."""
    query = item_query()
    for condition in filter_conditions(where):
        query = query.where(condition)
    query = query.order_by(articles.c.published_at.desc(), articles.c.id.desc())
    return read_items(conn, query.limit(limit).offset(offset))


def filter_conditions(where: ArticleFilter) -> list[Any]:
    """The WHERE terms of `where` over the articles table (listings and search)."""
    conditions: list[Any] = []
    if where.outlet_id is not None:
        conditions.append(articles.c.outlet_id == where.outlet_id)
    if where.category is not None:
        conditions.append(articles.c.category == where.category)
    if where.language is not None:
        conditions.append(articles.c.language == where.language)
    if where.story_id is not None:
        conditions.append(articles.c.story_id == where.story_id)
    if where.since is not None:
        conditions.append(articles.c.published_at >= where.since)
    if where.until is not None:
        conditions.append(articles.c.published_at < where.until)
    if where.before is not None:
        at, article_id = where.before
        conditions.append(
            or_(
                articles.c.published_at < at,
                and_(articles.c.published_at == at, articles.c.id < article_id),
            )
        )
    return conditions


def articles_by_ids(conn: Connection, ids: Sequence[int]) -> list[ArticleItem]:
    """The articles of `ids`, in the order given; unknown ids are skipped."""
    if not ids:
        return []
    found = {item.id: item for item in read_items(conn, item_query().where(articles.c.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def get_article(conn: Connection, article_id: int) -> ArticleDetail | None:
    query = item_query().add_columns(
        articles.c.text, articles.c.author, outlets.c.policy, articles.c.word_count
    )
    row = conn.execute(query.where(articles.c.id == article_id)).first()
    if row is None:
        return None
    values = dict(row._mapping)
    extra = {key: values.pop(key) for key in ("text", "author", "policy", "word_count")}
    return ArticleDetail(item=ArticleItem(**values), **extra)


def latest_headlines(
    conn: Connection, *, limit: int, prefer_language: str = ""
) -> list[ArticleItem]:
    """The newest articles, one per story, no wire copy, no headline twice (once folded).

    Stories come in the order of their newest article; for each, the headline shown is the
    newest one in `prefer_language` (the reader's) when the story has one among the recent
    articles, so an Arabic reader's ticker reads in Arabic wherever the coverage allows."""
    by_story: dict[int, list[ArticleItem]] = {}
    for item in list_articles(conn, ArticleFilter(), limit=limit * 5):
        if item.copy_of is None:
            by_story.setdefault(item.story_id, []).append(item)
    titles: set[str] = set()
    chosen: list[ArticleItem] = []
    for items in by_story.values():
        item = next((i for i in items if i.language == prefer_language), items[0])
        title = fold(item.title)
        if title not in titles:
            titles.add(title)
            chosen.append(item)
    return chosen[:limit]


def recent_categories(conn: Connection) -> list[tuple[str, int]]:
    """Categories of the newest articles with how many of them each has, most first."""
    recent = (
        select(articles.c.category)
        .order_by(articles.c.published_at.desc())
        .limit(RECENT_WINDOW)
        .subquery()
    )
    query = (
        select(recent.c.category, func.count().label("n"))
        .where(recent.c.category != "")
        .group_by(recent.c.category)
        .order_by(func.count().desc(), recent.c.category)
    )
    return [(row.category, int(row.n)) for row in conn.execute(query)]


def category_counts(conn: Connection) -> list[tuple[str, int]]:
    """Every category with its article count (one index scan; cached by the site)."""
    query = (
        select(articles.c.category, func.count().label("n"))
        .where(articles.c.category != "")
        .group_by(articles.c.category)
        .order_by(articles.c.category)
    )
    return [(row.category, int(row.n)) for row in conn.execute(query)]


def category_count(conn: Connection, slug: str) -> int:
    """How many articles carry the category (a range of its index)."""
    query = select(func.count()).select_from(articles).where(articles.c.category == slug)
    return int(conn.execute(query).scalar_one())


def list_outlets(conn: Connection) -> list[OutletSummary]:
    counts = (
        select(
            articles.c.outlet_id,
            func.count().label("n"),
            func.max(articles.c.published_at).label("last"),
        )
        .group_by(articles.c.outlet_id)
        .subquery()
    )
    query = (
        select(outlets, counts.c.n, counts.c.last)
        .outerjoin(counts, counts.c.outlet_id == outlets.c.id)
        .order_by(outlets.c.name, outlets.c.id)
    )
    return [_outlet(row._mapping) for row in conn.execute(query)]


def get_outlet(conn: Connection, outlet_id: str) -> OutletSummary | None:
    found = conn.execute(select(outlets).where(outlets.c.id == outlet_id)).first()
    if found is None:
        return None
    stats = conn.execute(
        select(func.count().label("n"), func.max(articles.c.published_at).label("last")).where(
            articles.c.outlet_id == outlet_id
        )
    ).one()
    return _outlet({**found._mapping, "n": stats.n, "last": stats.last})


def _outlet(m: Any) -> OutletSummary:
    return OutletSummary(
        id=m["id"],
        name=m["name"],
        homepage=m["homepage"],
        languages=tuple(m["languages"].split(",")) if m["languages"] else (),
        policy=m["policy"],
        agency=bool(m["agency"]),
        article_count=int(m["n"] or 0),
        last_published_at=m["last"],
    )


def outlet_health(conn: Connection, outlet_id: str) -> OutletHealth:
    rows = conn.execute(
        select(
            feeds.c.status, feeds.c.last_success_at, feeds.c.last_error_kind, feeds.c.error_count
        ).where(feeds.c.outlet_id == outlet_id)
    ).all()
    successes = [row.last_success_at for row in rows if row.last_success_at is not None]
    errors = [row.last_error_kind for row in rows if row.error_count and row.last_error_kind]
    return OutletHealth(
        feeds=len(rows),
        failing=len(errors),
        last_success_at=max(successes) if successes else None,
        last_error_kind=errors[0] if errors else None,
    )


def sitemap_last_ids(conn: Connection) -> tuple[int, int]:
    """The highest article id and story id (0 when there are none): how many sitemap files
    there are. Both read the end of a primary key, whatever the size of the table."""
    row = conn.execute(
        select(
            select(func.max(articles.c.id)).scalar_subquery(),
            select(func.max(stories.c.id)).scalar_subquery(),
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def sitemap_articles(conn: Connection, *, first: int, last: int) -> list[tuple[int, datetime]]:
    """Ids and update times of the articles whose id is in [first, last], by id: one sitemap
    file, read by a range of the primary key (never a sort of the whole table)."""
    query = (
        select(articles.c.id, articles.c.updated_at)
        .where(articles.c.id.between(first, last))
        .order_by(articles.c.id)
    )
    return [(int(row.id), row.updated_at) for row in conn.execute(query)]


def sitemap_stories(conn: Connection, *, first: int, last: int) -> list[tuple[int, datetime]]:
    """`sitemap_articles` for stories, merged ones left out (their URL redirects)."""
    query = (
        select(stories.c.id, stories.c.updated_at)
        .where(stories.c.id.between(first, last), stories.c.status != "merged")
        .order_by(stories.c.id)
    )
    return [(int(row.id), row.updated_at) for row in conn.execute(query)]
