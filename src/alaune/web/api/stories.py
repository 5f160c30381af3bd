"""API: top stories, and one story with its full coverage."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from sqlalchemy import Connection

from alaune.store import coverage
from alaune.web import reads
from alaune.web.api import cursor
from alaune.web.api.params import BAD_CURSOR, Category, Cursor, Language, Limit, Site, StoryId
from alaune.web.api.schemas import Problem, StoryDetail, StoryList, story_detail, story_summary
from alaune.web.links import PageUrls

router = APIRouter(tags=["stories"])


def stories_document(
    urls: PageUrls,
    conn: Connection,
    *,
    language: str | None = None,
    category: str | None = None,
    limit: int = 20,
    after: str | None = None,
) -> StoryList:
    offset = cursor.offset_of(cursor.decode(after, "stories"))
    cards = coverage.top_stories(
        conn, limit=limit + 1, offset=offset, language=language, category=category
    )
    more = len(cards) > limit and offset + limit <= cursor.MAX_OFFSET
    next_cursor = cursor.encode(k="stories", o=offset + limit) if more else None
    return StoryList(
        items=[story_summary(urls, card) for card in cards[:limit]],
        next_cursor=next_cursor,
        next_url=urls.api(
            "/stories", language=language, category=category, limit=limit, cursor=next_cursor
        )
        if next_cursor
        else None,
    )


def story_document(urls: PageUrls, conn: Connection, story_id: int) -> StoryDetail:
    view = reads.story_view(conn, story_id)
    if view is None:
        raise HTTPException(404, "no such story")
    return story_detail(urls, view.coverage, view.related)


@router.get("/stories", summary="Top stories, hottest first", responses=BAD_CURSOR)
def list_stories(
    site: Site,
    language: Language = None,
    category: Category = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> StoryList:
    with site.db.read() as conn:
        return stories_document(
            PageUrls(site.origin),
            conn,
            language=language,
            category=category,
            limit=limit,
            after=cursor,
        )


@router.get(
    "/stories/{story_id}",
    summary="One story: its articles, timeline and related stories",
    responses={404: {"model": Problem}},
)
def get_story(site: Site, story_id: StoryId) -> StoryDetail:
    with site.db.read() as conn:
        return story_document(PageUrls(site.origin), conn, story_id)
