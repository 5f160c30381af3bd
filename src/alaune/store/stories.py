"""Stories: the clustering state ingestion keeps (keys, links, open window) and the site's reads.

Writes: `save_keys` stores an article's dedupe and clustering keys, `move_article` puts it in
its story (dropping the story of one it was stored in), `merge_stories` folds a story into an
older one and leaves a redirect, `save_story` writes what a story carries, `close_stories` marks
quiet ones. Reads: `clustering_input` and `open_window` (what the in-memory window is rebuilt
from after a restart), `members`, `top_stories` by hotness and `story_page` (articles grouped by
language and outlet, and the timeline). Nothing here decides where an article goes: that is
`cluster` and `dedupe`, composed by `ingest.stories`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, delete, func, select, update

from alaune.store.schema import articles, outlets, stories

OPEN, CLOSED, MERGED = "open", "closed", "merged"
# A redirect chain longer than this is a bug (merges always point to an older, live story).
_MAX_REDIRECTS = 16


@dataclass(frozen=True, slots=True)
class ClusterInput:
    """One article as dedupe and clustering read it."""

    article_id: int
    story_id: int
    outlet_id: str
    agency: bool
    title: str
    lead: str
    text: str
    language: str
    published_at: datetime
    image_id: int | None
    copy_of: int | None
    content_hash: str
    minhash: bytes | None
    embedding: bytes | None


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """What a story row carries besides its id (see cluster.present.Summary)."""

    title: str
    summary: str
    language: str
    image_id: int | None
    languages: tuple[str, ...]
    outlet_count: int
    article_count: int  # every article
    first_article_id: int
    first_outlet_id: str
    first_at: datetime
    updated_at: datetime
    hotness: float
    report_count: int | None = None  # wire copies once; None: as many as `article_count`


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as the home page lists it."""

    id: int
    title: str
    summary: str
    language: str
    languages: tuple[str, ...]
    outlet_count: int
    article_count: int  # every article
    report_count: int  # wire copies once
    first_outlet_id: str
    first_at: datetime | None
    updated_at: datetime
    hotness: float
    status: str
    image_id: int | None


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """One report on a story page."""

    id: int
    title: str
    lead: str
    url: str
    outlet_id: str
    outlet_name: str
    language: str
    published_at: datetime
    copy_of: int | None


@dataclass(frozen=True, slots=True)
class StoryPage:
    """A story with its reports grouped by language then outlet, and its timeline."""

    story: StoryRow
    # language → outlet id → reports, oldest first; languages and outlets in first-report order
    by_language: dict[str, dict[str, list[StoryArticle]]]
    timeline: list[StoryArticle]


# --- writes --------------------------------------------------------------------------------


def save_keys(
    conn: Connection,
    article_id: int,
    *,
    content_hash: str,
    minhash: bytes | None,
    embedding: bytes | None,
) -> None:
    """Store an article's dedupe keys and (for originals) its embedding."""
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id)
        .values(content_hash=content_hash, minhash=minhash, embedding=embedding)
    )


def move_article(
    conn: Connection, article_id: int, *, story_id: int, copy_of: int | None = None
) -> None:
    """Put the article in `story_id`; the story it leaves is deleted once empty."""
    old = conn.execute(select(articles.c.story_id).where(articles.c.id == article_id)).scalar_one()
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id)
        .values(story_id=story_id, copy_of=copy_of)
    )
    if old != story_id:
        _delete_if_empty(conn, old)


def set_copy_of(conn: Connection, article_ids: Iterable[int], original: int) -> None:
    """Point articles at a new original (an agency's dispatch arrived after a copy of it)."""
    ids = [i for i in article_ids if i != original]
    if ids:
        conn.execute(update(articles).where(articles.c.id.in_(ids)).values(copy_of=original))
    conn.execute(update(articles).where(articles.c.id == original).values(copy_of=None))


def merge_stories(conn: Connection, *, keep: int, gone: int) -> None:
    """Fold story `gone` into `keep`: its articles move and it redirects to `keep`."""
    if keep == gone:
        return
    conn.execute(update(articles).where(articles.c.story_id == gone).values(story_id=keep))
    # Earlier redirects to `gone` now go straight to `keep`.
    conn.execute(update(stories).where(stories.c.merged_into == gone).values(merged_into=keep))
    conn.execute(
        update(stories)
        .where(stories.c.id == gone)
        .values(
            status=MERGED,
            merged_into=keep,
            article_count=0,
            report_count=0,
            outlet_count=0,
            hotness=0.0,
        )
    )


def save_story(conn: Connection, story_id: int, facts: StoryFacts) -> None:
    """Write what a story carries (recomputed by ingestion after each change)."""
    conn.execute(
        update(stories)
        .where(stories.c.id == story_id)
        .values(
            title=facts.title,
            summary=facts.summary,
            language=facts.language,
            image_id=facts.image_id,
            languages=",".join(facts.languages),
            outlet_count=facts.outlet_count,
            article_count=facts.article_count,
            report_count=(
                facts.article_count if facts.report_count is None else facts.report_count
            ),
            first_article_id=facts.first_article_id,
            first_outlet_id=facts.first_outlet_id,
            first_at=facts.first_at,
            updated_at=facts.updated_at,
            hotness=facts.hotness,
            status=OPEN,
        )
    )


def close_stories(conn: Connection, story_ids: Sequence[int]) -> None:
    """Mark stories closed: no later report joins them (see ClusterParams.quiet_hours)."""
    if story_ids:
        conn.execute(
            update(stories)
            .where(stories.c.id.in_(list(story_ids)), stories.c.status == OPEN)
            .values(status=CLOSED)
        )


def close_quiet_stories(conn: Connection, *, before: datetime) -> int:
    """Close the open stories whose last report is older than `before` (after a restart)."""
    result = conn.execute(
        update(stories)
        .where(stories.c.status == OPEN, stories.c.updated_at < before)
        .values(status=CLOSED)
    )
    return int(result.rowcount)


def _delete_if_empty(conn: Connection, story_id: int) -> None:
    left = conn.execute(
        select(func.count()).select_from(articles).where(articles.c.story_id == story_id)
    ).scalar_one()
    if left == 0:
        conn.execute(delete(stories).where(stories.c.id == story_id))


# --- reads for ingestion -------------------------------------------------------------------


def _input_query() -> Select[Any]:
    return select(
        articles.c.id.label("article_id"),
        articles.c.story_id,
        articles.c.outlet_id,
        outlets.c.agency,
        articles.c.title,
        articles.c.lead,
        articles.c.text,
        articles.c.language,
        articles.c.published_at,
        articles.c.image_id,
        articles.c.copy_of,
        articles.c.content_hash,
        articles.c.minhash,
        articles.c.embedding,
    ).join(outlets, outlets.c.id == articles.c.outlet_id)


def clustering_input(conn: Connection, article_id: int) -> ClusterInput | None:
    row = conn.execute(_input_query().where(articles.c.id == article_id)).first()
    return ClusterInput(**row._mapping) if row is not None else None


def open_window(conn: Connection, *, since: datetime) -> list[ClusterInput]:
    """The clustered articles of open stories updated since `since`, oldest first."""
    query = (
        _input_query()
        .join(stories, stories.c.id == articles.c.story_id)
        .where(stories.c.status == OPEN, stories.c.updated_at >= since)
        .where(articles.c.content_hash != "")
        .order_by(articles.c.published_at, articles.c.id)
    )
    return [ClusterInput(**row._mapping) for row in conn.execute(query)]


def unclustered(conn: Connection, *, limit: int = 10_000) -> list[int]:
    """Stored articles never placed in a story (stored before a crash or an upgrade), oldest first.

    A full scan: meant for a process's start, not for every crawl.
    """
    query = (
        select(articles.c.id)
        .where(articles.c.content_hash == "")
        .order_by(articles.c.published_at, articles.c.id)
        .limit(limit)
    )
    return [int(article_id) for article_id in conn.execute(query).scalars()]


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What a story's facts are computed from, per article: no text, no dedupe keys."""

    article_id: int
    outlet_id: str
    agency: bool
    title: str
    lead: str
    language: str
    published_at: datetime
    image_id: int | None
    copy_of: int | None


def members(conn: Connection, story_id: int) -> list[MemberFacts]:
    """Every article of a story, light: placement refreshes the story after each article, and
    reading every member's text and vectors each time made a story of n reports cost O(n²)."""
    query = select(
        articles.c.id.label("article_id"),
        articles.c.outlet_id,
        outlets.c.agency,
        articles.c.title,
        articles.c.lead,
        articles.c.language,
        articles.c.published_at,
        articles.c.image_id,
        articles.c.copy_of,
    ).join(outlets, outlets.c.id == articles.c.outlet_id)
    rows = conn.execute(query.where(articles.c.story_id == story_id))
    return [MemberFacts(**row._mapping) for row in rows]


def article_text(conn: Connection, article_id: int) -> str:
    """One article's text ("" when it is gone)."""
    text = conn.execute(select(articles.c.text).where(articles.c.id == article_id)).scalar()
    return str(text or "")


# --- reads for the site --------------------------------------------------------------------


def resolve(conn: Connection, story_id: int) -> int | None:
    """The live story `story_id` is or redirects to (merges keep the older id)."""
    for _ in range(_MAX_REDIRECTS):
        row = conn.execute(select(stories.c.merged_into).where(stories.c.id == story_id)).first()
        if row is None:
            return None
        if row.merged_into is None:
            return story_id
        story_id = int(row.merged_into)
    raise RuntimeError(f"story {story_id}: redirect chain longer than {_MAX_REDIRECTS}")


def _story_query() -> Select[Any]:
    return select(
        stories.c.id,
        stories.c.title,
        stories.c.summary,
        stories.c.language,
        stories.c.languages,
        stories.c.outlet_count,
        stories.c.article_count,
        stories.c.report_count,
        func.coalesce(stories.c.first_outlet_id, "").label("first_outlet_id"),
        stories.c.first_at,
        stories.c.updated_at,
        stories.c.hotness,
        stories.c.status,
        stories.c.image_id,
    )


def _story_row(row: Any) -> StoryRow:
    m = dict(row._mapping)
    m["languages"] = tuple(x for x in m["languages"].split(",") if x)
    return StoryRow(**m)


def top_stories(conn: Connection, *, limit: int = 30, offset: int = 0) -> list[StoryRow]:
    """Stories by hotness (merged ones left out), hottest first."""
    query = (
        _story_query()
        .where(stories.c.status != MERGED, stories.c.article_count > 0)
        .order_by(stories.c.hotness.desc(), stories.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [_story_row(row) for row in conn.execute(query)]


def headlines(
    conn: Connection, story_ids: Sequence[int], language: str
) -> dict[int, tuple[str, str]]:
    """Title and lead of each story's first original report in `language` (cluster.present's
    rule), for the stories that have one: the site shows these to a reader of that language."""
    if not story_ids:
        return {}
    query = (
        select(articles.c.story_id, articles.c.title, articles.c.lead)
        .where(
            articles.c.story_id.in_(list(story_ids)),
            articles.c.language == language,
            articles.c.copy_of.is_(None),
        )
        .order_by(articles.c.published_at, articles.c.id)
    )
    found: dict[int, tuple[str, str]] = {}
    for row in conn.execute(query):
        found.setdefault(row.story_id, (row.title, row.lead))
    return found


def story_page(conn: Connection, story_id: int) -> StoryPage | None:
    """The story (after redirects) with its reports; None when there is no such story."""
    live = resolve(conn, story_id)
    if live is None:
        return None
    row = conn.execute(_story_query().where(stories.c.id == live)).first()
    if row is None:
        return None
    query = (
        select(
            articles.c.id,
            articles.c.title,
            articles.c.lead,
            articles.c.url,
            articles.c.outlet_id,
            outlets.c.name.label("outlet_name"),
            articles.c.language,
            articles.c.published_at,
            articles.c.copy_of,
        )
        .join(outlets, outlets.c.id == articles.c.outlet_id)
        .where(articles.c.story_id == live)
        .order_by(articles.c.published_at, articles.c.id)
    )
    timeline = [StoryArticle(**r._mapping) for r in conn.execute(query)]
    grouped: dict[str, dict[str, list[StoryArticle]]] = {}
    for item in timeline:
        grouped.setdefault(item.language, {}).setdefault(item.outlet_id, []).append(item)
    return StoryPage(story=_story_row(row), by_language=grouped, timeline=timeline)
