"""Articles: idempotent insertion on the canonical URL, and the reads the site needs.

Until the stories issue lands, every new article opens a story of one, so that the site and later
issues already see the final shape (article → story). The raw page is kept zlib-compressed so that
a better extractor can re-extract it later.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, delete, func, select, update

from alaune.store import images as image_store
from alaune.store.dialect import insert_ignore
from alaune.store.schema import articles, images, outlets, stories

_QUERY_CHUNK = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class NewArticle:
    """An article ready to store, as ingestion assembled it."""

    outlet_id: str
    canonical_url: str
    url: str
    title: str
    published_at: datetime
    first_seen_at: datetime
    guid: str = ""
    lead: str = ""
    text: str = ""
    author: str = ""
    language: str = ""
    section: str = ""
    category: str = ""
    date_source: str = ""
    image_url: str = ""
    raw_html: bytes = b""


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """What a listing shows of one article."""

    id: int
    title: str
    lead: str
    url: str
    outlet_id: str
    outlet_name: str
    language: str
    published_at: datetime
    image_url: str
    story_id: int


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """What the article page shows."""

    card: ArticleCard
    text: str
    author: str
    section: str
    word_count: int
    policy: str


def known_urls(conn: Connection, canonical_urls: Iterable[str]) -> set[str]:
    """The subset of `canonical_urls` already stored."""
    wanted = sorted(set(canonical_urls))
    found: set[str] = set()
    for start in range(0, len(wanted), _QUERY_CHUNK):
        chunk = wanted[start : start + _QUERY_CHUNK]
        query = select(articles.c.canonical_url).where(articles.c.canonical_url.in_(chunk))
        found.update(conn.execute(query).scalars())
    return found


def add_article(conn: Connection, article: NewArticle) -> int | None:
    """Store `article` unless its canonical URL is known; returns the new id or None."""
    existing = select(articles.c.id).where(articles.c.canonical_url == article.canonical_url)
    if conn.execute(existing).first() is not None:
        return None
    story_id = conn.execute(
        stories.insert()
        .values(
            title=article.title,
            created_at=article.first_seen_at,
            updated_at=article.published_at,
            article_count=1,
        )
        .returning(stories.c.id)
    ).scalar_one()
    article_id = insert_ignore(conn, articles, _row(conn, article, story_id))
    if article_id is None:  # a concurrent writer stored it first (PostgreSQL)
        conn.execute(delete(stories).where(stories.c.id == story_id))
    return int(article_id) if article_id is not None else None


def _row(conn: Connection, article: NewArticle, story_id: int) -> dict[str, object]:
    image_id = _image_id(conn, article.image_url, article.first_seen_at)
    return {
        "outlet_id": article.outlet_id,
        "canonical_url": article.canonical_url,
        "url": article.url,
        "guid": article.guid,
        "title": article.title,
        "lead": article.lead,
        "text": article.text,
        "author": article.author,
        "language": article.language,
        "section": article.section,
        "category": article.category,
        "word_count": len(article.text.split()),
        "published_at": article.published_at,
        "date_source": article.date_source,
        "first_seen_at": article.first_seen_at,
        "updated_at": article.first_seen_at,
        "image_id": image_id,
        "story_id": story_id,
        "raw_html": zlib.compress(article.raw_html, 6) if article.raw_html else None,
    }


def _image_id(conn: Connection, url: str, now: datetime) -> int | None:
    return image_store.queue(conn, url, now=now) if url else None


def _card_query() -> Select[Any]:
    return (
        select(
            articles.c.id,
            articles.c.title,
            articles.c.lead,
            articles.c.url,
            articles.c.outlet_id,
            outlets.c.name.label("outlet_name"),
            articles.c.language,
            articles.c.published_at,
            func.coalesce(images.c.source_url, "").label("image_url"),
            articles.c.story_id,
        )
        .join(outlets, outlets.c.id == articles.c.outlet_id)
        .outerjoin(images, images.c.id == articles.c.image_id)
    )


def latest(
    conn: Connection, *, limit: int = 30, offset: int = 0, outlet_id: str | None = None
) -> list[ArticleCard]:
    """Newest articles first (by publication time, then id for a stable order)."""
    query = _card_query()
    if outlet_id is not None:
        query = query.where(articles.c.outlet_id == outlet_id)
    query = query.order_by(articles.c.published_at.desc(), articles.c.id.desc())
    return [ArticleCard(**row._mapping) for row in conn.execute(query.limit(limit).offset(offset))]


def get_article(conn: Connection, article_id: int) -> ArticlePage | None:
    query = _card_query().add_columns(
        articles.c.text,
        articles.c.author,
        articles.c.section,
        articles.c.word_count,
        outlets.c.policy,
    )
    row = conn.execute(query.where(articles.c.id == article_id)).first()
    if row is None:
        return None
    m = dict(row._mapping)
    extra = {key: m.pop(key) for key in ("text", "author", "section", "word_count", "policy")}
    return ArticlePage(card=ArticleCard(**m), **extra)


def count_articles(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())


def raw_html(conn: Connection, article_id: int) -> bytes | None:
    blob = conn.execute(select(articles.c.raw_html).where(articles.c.id == article_id)).scalar()
    return zlib.decompress(blob) if blob else None


@dataclass(frozen=True, slots=True)
class StoredPage:
    """One stored article with its raw page, as re-extraction reads it."""

    id: int
    outlet_id: str
    url: str
    title: str
    lead: str
    text: str
    author: str
    published_at: datetime
    date_source: str
    first_seen_at: datetime
    raw_html: bytes


def pages_to_reextract(
    conn: Connection, *, outlet_id: str | None = None, since: datetime | None = None
) -> list[tuple[int, str]]:
    """(id, outlet id) of the articles whose raw page is kept, oldest first; optionally of one
    outlet, or first seen at `since` or later."""
    query = select(articles.c.id, articles.c.outlet_id).where(articles.c.raw_html.is_not(None))
    if outlet_id is not None:
        query = query.where(articles.c.outlet_id == outlet_id)
    if since is not None:
        query = query.where(articles.c.first_seen_at >= since)
    return [(int(i), str(o)) for i, o in conn.execute(query.order_by(articles.c.id))]


def stored_pages(conn: Connection, ids: Iterable[int]) -> list[StoredPage]:
    """The articles `ids` with their raw pages decompressed (those without one left out)."""
    wanted = sorted(set(ids))
    found: list[StoredPage] = []
    columns = [getattr(articles.c, name) for name in StoredPage.__slots__]
    for start in range(0, len(wanted), _QUERY_CHUNK):
        chunk = wanted[start : start + _QUERY_CHUNK]
        query = select(*columns).where(articles.c.id.in_(chunk), articles.c.raw_html.is_not(None))
        for row in conn.execute(query.order_by(articles.c.id)):
            values = dict(row._mapping)
            values["raw_html"] = zlib.decompress(values["raw_html"])
            found.append(StoredPage(**values))
    return found


def update_extraction(
    conn: Connection,
    article_id: int,
    *,
    title: str,
    lead: str,
    text: str,
    author: str,
    published_at: datetime,
    date_source: str,
) -> bool:
    """Store a new extraction of an article (word count derived from `text`); False if gone."""
    values = {
        "title": title,
        "lead": lead,
        "text": text,
        "author": author,
        "word_count": len(text.split()),
        "published_at": published_at,
        "date_source": date_source,
    }
    done = conn.execute(update(articles).where(articles.c.id == article_id).values(**values))
    return bool(done.rowcount)


def lead_image_urls(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """The source URL of each article's lead image (articles without one left out)."""
    wanted = sorted(set(ids))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), _QUERY_CHUNK):
        query = (
            select(articles.c.id, images.c.source_url)
            .join(images, images.c.id == articles.c.image_id)
            .where(articles.c.id.in_(wanted[start : start + _QUERY_CHUNK]))
        )
        found.update((int(i), str(url)) for i, url in conn.execute(query))
    return found


def refresh_fingerprint(
    conn: Connection, article_id: int, *, content_hash: str, minhash: bytes
) -> bool:
    """Store the dedupe fingerprint of an article's new text (`alaune.dedupe.keys`); only for an
    article already placed in its story: an unplaced one (no `content_hash` yet) keeps waiting
    for placement, which computes it. True when stored."""
    done = conn.execute(
        update(articles)
        .where(articles.c.id == article_id, articles.c.content_hash != "")
        .values(content_hash=content_hash, minhash=minhash)
    )
    return bool(done.rowcount)
