"""API: articles, newest first with filters and a keyset cursor, and one article."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date

from fastapi import APIRouter, HTTPException
from sqlalchemy import Connection

from alaune.store import listings
from alaune.store.listings import ArticleFilter
from alaune.web import reads
from alaune.web.api import cursor
from alaune.web.api.params import (
    BAD_CURSOR,
    ArticleId,
    Category,
    Cursor,
    Language,
    Limit,
    OutletId,
    Since,
    Site,
    StoryFilter,
    Until,
)
from alaune.web.api.schemas import (
    ArticleDetail,
    ArticleList,
    Problem,
    article_detail,
    article_summary,
)
from alaune.web.links import PageUrls
from alaune.web.params import day_bounds

router = APIRouter(tags=["articles"])


def articles_document(
    urls: PageUrls,
    conn: Connection,
    where: ArticleFilter,
    *,
    limit: int = 20,
    after: str | None = None,
    query: Mapping[str, object] | None = None,
) -> ArticleList:
    keyset = cursor.keyset_of(cursor.decode(after, "articles"))
    where = dataclasses.replace(where, before=keyset)
    items = listings.list_articles(conn, where, limit=limit + 1)
    next_cursor = None
    if len(items) > limit:
        last = items[limit - 1]
        next_cursor = cursor.encode(k="articles", t=last.published_at.isoformat(), i=last.id)
    return ArticleList(
        items=[article_summary(urls, item) for item in items[:limit]],
        next_cursor=next_cursor,
        next_url=urls.api("/articles", **(query or {}), limit=limit, cursor=next_cursor)
        if next_cursor
        else None,
    )


def article_document(urls: PageUrls, conn: Connection, article_id: int) -> ArticleDetail:
    view = reads.article_view(conn, article_id)
    if view is None:
        raise HTTPException(404, "no such article")
    return article_detail(
        urls,
        view.detail.item,
        author=view.detail.author,
        text="\n\n".join(view.paragraphs),
        excerpt_only=view.excerpt_only,
        word_count=view.detail.word_count,
        related=view.read_also,
        image_path=view.image.path if view.image else None,
    )


@router.get("/articles", summary="Articles, newest first", responses=BAD_CURSOR)
def list_articles(
    site: Site,
    outlet: OutletId = None,
    category: Category = None,
    language: Language = None,
    story: StoryFilter = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> ArticleList:
    start, end = day_bounds(since, until, site.settings.timezone)
    where = ArticleFilter(
        outlet_id=outlet,
        category=category,
        language=language,
        story_id=story,
        since=start,
        until=end,
    )
    query = {
        "outlet": outlet,
        "category": category,
        "language": language,
        "story": story,
        "from": _iso(since),
        "to": _iso(until),
    }
    with site.db.read() as conn:
        return articles_document(
            PageUrls(site.origin), conn, where, limit=limit, after=cursor, query=query
        )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@router.get(
    "/articles/{article_id}",
    summary="One article, its text as the outlet's policy allows, and related articles",
    responses={404: {"model": Problem}},
)
def get_article(site: Site, article_id: ArticleId) -> ArticleDetail:
    with site.db.read() as conn:
        return article_document(PageUrls(site.origin), conn, article_id)
