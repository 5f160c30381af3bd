"""API: search, newest first (keyset cursor) or by relevance within the recent window."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import Connection

from alaune.store.listings import ArticleFilter
from alaune.store.search import SearchQuery
from alaune.web import reads
from alaune.web.api import cursor
from alaune.web.api.params import (
    BAD_CURSOR,
    Category,
    Cursor,
    Language,
    Limit,
    Order,
    OutletId,
    Since,
    Site,
    Until,
)
from alaune.web.api.schemas import SearchResults, search_hit
from alaune.web.links import PageUrls
from alaune.web.params import SearchForm, clean_text, day_bounds

router = APIRouter(tags=["search"])
Text = Annotated[str, Query(max_length=200, description="Words to find, in any language")]


def search_document(
    urls: PageUrls,
    conn: Connection,
    form: SearchForm,
    timezone: str,
    *,
    limit: int = 20,
    after: str | None = None,
) -> SearchResults:
    position = cursor.decode(after, "search")
    since, until = day_bounds(form.since, form.until, timezone)
    where = ArticleFilter(
        outlet_id=form.outlet,
        category=form.category,
        language=form.language,
        since=since,
        until=until,
    )
    relevance = form.order == "relevance"
    offset = cursor.offset_of(position) if relevance else 0
    below = None if relevance else cursor.id_of(position)
    query = SearchQuery(
        text=form.q, where=where, order=form.order, limit=limit, offset=offset, below_id=below
    )
    view = reads.search_view(conn, query)
    next_cursor = None
    if view.has_more and view.hits:
        if relevance:
            more = offset + limit <= cursor.MAX_OFFSET
            next_cursor = cursor.encode(k="search", o=offset + limit) if more else None
        else:
            next_cursor = cursor.encode(k="search", b=view.hits[-1][0].id)
    return SearchResults(
        query=form.q,
        terms=list(view.terms),
        order=form.order,
        items=[search_hit(urls, item, text) for item, text in view.hits],
        next_cursor=next_cursor,
        next_url=urls.api("/search", **form.query(), limit=limit, cursor=next_cursor)
        if next_cursor
        else None,
    )


@router.get(
    "/search",
    summary="Articles matching words (folded: accents, Arabic marks, stems)",
    responses=BAD_CURSOR,
)
def search_articles(
    site: Site,
    q: Text,
    language: Language = None,
    outlet: OutletId = None,
    category: Category = None,
    since: Since = None,
    until: Until = None,
    order: Order = "newest",
    limit: Limit = 20,
    cursor: Cursor = None,
) -> SearchResults:
    form = SearchForm(
        q=clean_text(q),
        language=language,
        outlet=outlet,
        category=category,
        since=since,
        until=until,
        order=order,
    )
    with site.db.read() as conn:
        return search_document(
            PageUrls(site.origin), conn, form, site.settings.timezone, limit=limit, after=cursor
        )
