"""Retention: pruning what alaune keeps only for a while (issue 3, item 7).

`prune_raw_html` drops the stored page of articles first seen before a cutoff (the text stays;
only re-extraction needs the page); `prune_articles` removes old articles and tombstones them
with reason "retention", so a feed or sitemap still listing one does not bring it back. Each
works in bounded batches inside the caller's transaction. This module must not decide the
cutoffs (the settings and `alaune.ingest.retention` do).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, select, update

from alaune.store.schema import articles
from alaune.store.tombstones import remove_article

#: Rows handled per call, so one transaction stays short; callers loop until fewer come back.
BATCH = 500
Step = Callable[[Connection], int]


def prune_raw_html(conn: Connection, *, before: datetime, limit: int = BATCH) -> int:
    """Forget the raw HTML of up to `limit` articles first seen before `before`."""
    ids = (
        select(articles.c.id)
        .where(articles.c.first_seen_at < before, articles.c.raw_html.is_not(None))
        .limit(limit)
    )
    chosen = list(conn.execute(ids).scalars())
    if not chosen:
        return 0
    conn.execute(update(articles).where(articles.c.id.in_(chosen)).values(raw_html=None))
    return len(chosen)


def prune_articles(conn: Connection, *, before: datetime, now: datetime, limit: int = BATCH) -> int:
    """Remove up to `limit` articles first seen before `before`, leaving tombstones."""
    ids = select(articles.c.id).where(articles.c.first_seen_at < before).limit(limit)
    chosen = list(conn.execute(ids).scalars())
    for article_id in chosen:
        remove_article(conn, article_id, reason="retention", now=now)
    return len(chosen)
