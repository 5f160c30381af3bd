"""Article identity in the store: stored articles by GUID, and moving one to a new URL (H2).

Reads and writes for the deduplication policy of `alaune.ingest.identity`: which stored
articles of an outlet carry given GUIDs, and updating an article's URL when the outlet moved it
(the old canonical URL is tombstoned as "moved", so a feed still listing it cannot bring it
back). This module must not decide whether two items are one article.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from alaune.store.schema import articles
from alaune.store.tombstones import tombstone

_QUERY_CHUNK = 500


@dataclass(frozen=True, slots=True)
class GuidMatch:
    id: int
    guid: str
    canonical_url: str
    title: str


def by_guid(conn: Connection, outlet_id: str, guids: Iterable[str]) -> dict[str, GuidMatch]:
    """The outlet's stored articles with one of `guids`, by GUID (the oldest when several).

    Served by the (outlet_id, guid) index: one lookup per GUID, whatever the outlet's size.
    """
    wanted = sorted({g for g in guids if g})
    found: dict[str, GuidMatch] = {}
    for start in range(0, len(wanted), _QUERY_CHUNK):
        chunk = wanted[start : start + _QUERY_CHUNK]
        query = (
            select(articles.c.id, articles.c.guid, articles.c.canonical_url, articles.c.title)
            .where(articles.c.outlet_id == outlet_id, articles.c.guid.in_(chunk))
            .order_by(articles.c.id)
        )
        for row in conn.execute(query):
            found.setdefault(row.guid, GuidMatch(row.id, row.guid, row.canonical_url, row.title))
    return found


def move_article(
    conn: Connection, article_id: int, *, canonical_url: str, url: str, now: datetime
) -> bool:
    """Give an article a new canonical URL and URL; False when that URL is already taken."""
    row = conn.execute(
        select(articles.c.canonical_url, articles.c.outlet_id).where(articles.c.id == article_id)
    ).first()
    taken = select(articles.c.id).where(articles.c.canonical_url == canonical_url)
    if row is None or conn.execute(taken).first() is not None:
        return False
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id)
        .values(canonical_url=canonical_url, url=url, updated_at=now)
    )
    reason = f"moved to {canonical_url}"
    tombstone(conn, row.canonical_url, outlet_id=row.outlet_id, reason=reason, now=now)
    return True
