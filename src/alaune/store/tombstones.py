"""Tombstones: articles removed on purpose stay removed (SECURITY H6, promise 1).

`remove_article` deletes an article (and its story when it was the story's only article) and
records its canonical URL with a reason, in the caller's transaction; `tombstoned` tells
ingestion which canonical URLs it must never store again, whatever a feed still lists. Removal
by an admin, by retention and a moved URL (`alaune.ingest.identity`) all leave a tombstone. This
module must not decide what to remove.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from alaune.store import search
from alaune.store.schema import articles, stories, tombstones

_QUERY_CHUNK = 500
MAX_REASON = 1000


def tombstone(
    conn: Connection, canonical_url: str, *, outlet_id: str, reason: str, now: datetime
) -> None:
    """Record that `canonical_url` must not be stored again (the first reason is kept)."""
    module = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = module.insert(tombstones).values(
        canonical_url=canonical_url, outlet_id=outlet_id, removed_at=now, reason=reason[:MAX_REASON]
    )
    conn.execute(stmt.on_conflict_do_nothing())


def remove_article(conn: Connection, article_id: int, *, reason: str, now: datetime) -> str | None:
    """Delete an article and tombstone its canonical URL; returns that URL, or None if unknown."""
    row = conn.execute(
        select(articles.c.canonical_url, articles.c.outlet_id, articles.c.story_id).where(
            articles.c.id == article_id
        )
    ).first()
    if row is None:
        return None
    # The SQLite full-text table is contentless: it cannot cascade, so it is told first.
    search.remove_article(conn, article_id)
    conn.execute(delete(articles).where(articles.c.id == article_id))
    conn.execute(
        update(stories)
        .where(stories.c.id == row.story_id)
        .values(article_count=stories.c.article_count - 1)
    )
    conn.execute(delete(stories).where(stories.c.id == row.story_id, stories.c.article_count <= 0))
    tombstone(conn, row.canonical_url, outlet_id=row.outlet_id, reason=reason, now=now)
    return str(row.canonical_url)


def tombstoned(conn: Connection, canonical_urls: Iterable[str]) -> set[str]:
    """The subset of `canonical_urls` that carry a tombstone."""
    wanted = sorted(set(canonical_urls))
    found: set[str] = set()
    for start in range(0, len(wanted), _QUERY_CHUNK):
        chunk = wanted[start : start + _QUERY_CHUNK]
        query = select(tombstones.c.canonical_url).where(tombstones.c.canonical_url.in_(chunk))
        found.update(conn.execute(query).scalars())
    return found


def reason_for(conn: Connection, canonical_url: str) -> str | None:
    """Why a URL was removed, or None when it was not."""
    query = select(tombstones.c.reason).where(tombstones.c.canonical_url == canonical_url)
    found = conn.execute(query).scalar()
    return None if found is None else str(found)


@dataclass(frozen=True, slots=True)
class Tombstone:
    canonical_url: str
    outlet_id: str
    removed_at: datetime
    reason: str


def removed(conn: Connection, *, prefix: str = "", limit: int = 100) -> list[Tombstone]:
    """Tombstones whose reason starts with `prefix`, newest first."""
    query = select(tombstones).order_by(tombstones.c.removed_at.desc()).limit(limit)
    if prefix:
        query = query.where(tombstones.c.reason.startswith(prefix))
    return [
        Tombstone(row.canonical_url, row.outlet_id, row.removed_at, row.reason)
        for row in conn.execute(query)
    ]


def lift(conn: Connection, canonical_url: str) -> bool:
    """Remove a tombstone: the next poll may store the article again if its feed still lists it."""
    result = conn.execute(delete(tombstones).where(tombstones.c.canonical_url == canonical_url))
    return bool(result.rowcount)
