"""What each page family reads, shared by its HTML page, its JSON twin, the API and its feed.

Each function takes an open read connection and returns plain data; none renders. The display
policy lives here too: an "excerpt" outlet's article shows its first paragraph only, everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from alaune.store import coverage, listings, moderation, search
from alaune.store.coverage import StoryCard, StoryCoverage
from alaune.store.images import ShownImage, inline_shown, shown
from alaune.store.listings import ArticleDetail, ArticleFilter, ArticleItem
from alaune.web.highlight import snippet

RELATED_STORIES = 4
READ_ALSO = 6


@dataclass(frozen=True, slots=True)
class ArticleView:
    detail: ArticleDetail
    paragraphs: list[str]
    excerpt_only: bool
    story: StoryCard | None
    read_also: list[ArticleItem]
    image: ShownImage | None = None  # alaune's own copy of the lead image, when it stored one
    image_hidden: bool = False  # the lead image was hidden by moderation: show a placeholder
    inline: tuple[ShownImage, ...] = ()  # the body's own pictures, when the full text is shown


@dataclass(frozen=True, slots=True)
class StoryView:
    coverage: StoryCoverage
    related: list[StoryCard]


@dataclass(frozen=True, slots=True)
class SearchView:
    hits: list[tuple[ArticleItem, str]]  # each article with its snippet (plain text)
    terms: tuple[str, ...]
    has_more: bool


def displayed_text(text: str, policy: str) -> tuple[list[str], bool]:
    """The paragraphs a reader may see here, and whether that is an excerpt."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    if policy == "full":
        return paragraphs, False
    return paragraphs[:1], True


def article_view(conn: Connection, article_id: int) -> ArticleView | None:
    detail = listings.get_article(conn, article_id)
    if detail is None:
        return None
    paragraphs, excerpt_only = displayed_text(detail.text, detail.policy)
    story = next(iter(coverage.story_cards(conn, [detail.item.story_id])), None)
    return ArticleView(
        detail=detail,
        paragraphs=paragraphs,
        excerpt_only=excerpt_only,
        story=story,
        read_also=read_also(conn, detail.item),
        image=shown(conn, [detail.item.id]).get(detail.item.id),
        image_hidden=detail.item.id in moderation.hidden_leads(conn, [detail.item.id]),
        inline=() if excerpt_only else tuple(inline_shown(conn, detail.item.id)),
    )


def read_also(conn: Connection, item: ArticleItem, limit: int = READ_ALSO) -> list[ArticleItem]:
    """Other articles of the same story first, then articles with similar words."""
    same = listings.list_articles(conn, ArticleFilter(story_id=item.story_id), limit=limit + 1)
    chosen = [other for other in same if other.id != item.id][:limit]
    if len(chosen) < limit:
        exclude = {item.id} | {other.id for other in chosen}
        ids = search.similar(conn, item.title, exclude=exclude, limit=limit - len(chosen))
        chosen += listings.articles_by_ids(conn, ids)
    return chosen


def story_view(conn: Connection, story_id: int) -> StoryView | None:
    found = coverage.get_story(conn, story_id)
    if found is None:
        return None
    return StoryView(coverage=found, related=related_stories(conn, found))


def related_stories(
    conn: Connection, found: StoryCoverage, limit: int = RELATED_STORIES
) -> list[StoryCard]:
    exclude = {item.id for item in found.articles}
    text = " ".join(item.title for item in found.articles[:5])
    ids = search.similar(conn, text, exclude=exclude, limit=limit * 4)
    story_ids = [item.story_id for item in listings.articles_by_ids(conn, ids)]
    distinct = [i for i in dict.fromkeys(story_ids) if i != found.card.id]
    return coverage.story_cards(conn, distinct[:limit])


def search_view(conn: Connection, query: search.SearchQuery) -> SearchView:
    page = search.search(conn, query)
    items = listings.articles_by_ids(conn, page.ids)
    hits = [(item, snippet(item.lead or item.title, page.terms)) for item in items]
    return SearchView(hits=hits, terms=page.terms, has_more=page.has_more)
