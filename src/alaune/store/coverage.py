"""Stories as readers see them: ranked cards for the home page and a story's full coverage.

Ranking, merge redirects and the grouping of a story's reports come from `stories` (issue 5).
A card prefers what clustering saved on the story row (summary, languages, outlet count, first
report, wire copies counted once); a story the clustering worker has not reached yet (a fresh
story of one) gets the same figures computed from its articles. Read-only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from alaune.store import images as image_store
from alaune.store import stories as story_store
from alaune.store.listings import (
    ArticleFilter,
    ArticleItem,
    item_query,
    list_articles,
    read_items,
)
from alaune.store.schema import articles, stories

# The order in which a card lists its languages when clustering has not ordered them.
LANGUAGE_ORDER = ("fr", "ar", "en")
# A filtered listing reads this many newest articles per story it shows (bounded work).
SCAN_FACTOR = 6

Groups = list[tuple[str, list[tuple[str, str, list[ArticleItem]]]]]


@dataclass(frozen=True, slots=True)
class StoryCard:
    """One story on the home page: what, how widely covered, who first, when."""

    id: int
    title: str
    summary: str
    languages: tuple[str, ...]
    outlet_count: int
    article_count: int
    first_outlet_id: str
    first_outlet_name: str
    first_published_at: datetime
    updated_at: datetime
    category: str
    lead_article_id: int
    hotness: float = 0.0
    # Path of a lead image's thumbnail alaune serves itself; "" until the image worker stores
    # one (never an outlet's URL), with the thumbnail's size.
    image_path: str = ""
    image_width: int = 0
    image_height: int = 0
    # (language, title, summary) of the first original report in each language: a reader sees
    # the story in the UI's language when some outlet told it in that language (issue 5, item 3).
    localized: tuple[tuple[str, str, str], ...] = ()

    def title_in(self, language: str) -> str:
        return next((t for code, t, _ in self.localized if code == language), self.title)

    def summary_in(self, language: str) -> str:
        if any(code == language for code, _, _ in self.localized):
            return next(s for code, _, s in self.localized if code == language)
        return self.summary


@dataclass(frozen=True, slots=True)
class StoryCoverage:
    """A story with every article, oldest first (its timeline), grouped by language and
    outlet in order of first report."""

    card: StoryCard
    articles: list[ArticleItem]
    groups: Groups


def top_stories(
    conn: Connection,
    *,
    limit: int,
    offset: int = 0,
    language: str | None = None,
    category: str | None = None,
) -> list[StoryCard]:
    """Stories by hotness; filtered by a content language or a category, by latest report."""
    if language is None and category is None:
        rows = story_store.top_stories(conn, limit=limit, offset=offset)
        return story_cards(conn, [row.id for row in rows])
    where = ArticleFilter(language=language, category=category)
    wanted = offset + limit
    recent = list_articles(conn, where, limit=wanted * SCAN_FACTOR)
    ids = list(dict.fromkeys(item.story_id for item in recent))
    return story_cards(conn, ids[offset:wanted])


def _story_rows(conn: Connection, ids: Sequence[int]) -> dict[int, Any]:
    query = select(
        stories.c.id,
        stories.c.title,
        stories.c.summary,
        stories.c.languages,
        stories.c.outlet_count,
        stories.c.article_count,
        stories.c.first_article_id,
        stories.c.first_outlet_id,
        stories.c.first_at,
        stories.c.updated_at,
        stories.c.hotness,
    ).where(stories.c.id.in_(list(ids)))
    return {row.id: row for row in conn.execute(query)}


def _members(conn: Connection, ids: Sequence[int]) -> dict[int, list[ArticleItem]]:
    members: dict[int, list[ArticleItem]] = {}
    query = item_query().where(articles.c.story_id.in_(list(ids)))
    for item in read_items(conn, query.order_by(articles.c.published_at, articles.c.id)):
        members.setdefault(item.story_id, []).append(item)
    return members


def story_cards(conn: Connection, ids: Sequence[int]) -> list[StoryCard]:
    """Cards for the stories of `ids`, in that order; stories without articles are skipped."""
    if not ids:
        return []
    rows, members = _story_rows(conn, ids), _members(conn, ids)
    pictures = image_store.shown(conn, [m.id for group in members.values() for m in group])
    return [_card(rows[i], members[i], pictures) for i in ids if i in rows and members.get(i)]


def get_story(conn: Connection, story_id: int) -> StoryCoverage | None:
    """The story `story_id` is, or was merged into; None when there is none."""
    page = story_store.story_page(conn, story_id)
    if page is None:
        return None
    live = page.story.id
    items = {item.id: item for item in _members(conn, [live]).get(live, [])}
    timeline = [items[report.id] for report in page.timeline if report.id in items]
    if not timeline:
        return None
    groups: Groups = []
    for code, by_outlet in page.by_language.items():
        outlets = [
            (outlet_id, reports[0].outlet_name, [items[r.id] for r in reports if r.id in items])
            for outlet_id, reports in by_outlet.items()
        ]
        groups.append((code, outlets))
    pictures = image_store.shown(conn, [item.id for item in timeline])
    card = _card(_story_rows(conn, [live])[live], timeline, pictures)
    return StoryCoverage(card=card, articles=timeline, groups=groups)


def _card(
    row: Any, members: list[ArticleItem], pictures: dict[int, image_store.ShownImage]
) -> StoryCard:
    """Saved facts where clustering wrote them, else figures from the articles. The picture
    is the first report's when alaune stored it, else the next report's that it stored."""
    first = members[0]
    if row.first_at is not None and row.first_article_id is not None:
        first = next((m for m in members if m.id == row.first_article_id), first)
    picture = next((pictures[m.id] for m in [first, *members] if m.id in pictures), None)
    originals = [m for m in members if m.copy_of is None] or members
    languages = tuple(x for x in (row.languages or "").split(",") if x) or tuple(
        sorted({m.language for m in members if m.language}, key=_language_rank)
    )
    categories = Counter(m.category for m in members if m.category)
    localized: dict[str, tuple[str, str, str]] = {}
    for member in originals:  # in publication order: the first report in each language
        if member.language and member.language not in localized:
            localized[member.language] = (member.language, member.title, member.lead)
    return StoryCard(
        id=row.id,
        title=row.title or first.title,
        summary=row.summary or next((m.lead for m in members if m.lead), ""),
        languages=languages,
        outlet_count=row.outlet_count or len({m.outlet_id for m in members}),
        article_count=row.article_count or len(originals),
        first_outlet_id=first.outlet_id,
        first_outlet_name=first.outlet_name,
        first_published_at=row.first_at or first.published_at,
        updated_at=max(row.updated_at, members[-1].published_at),
        category=categories.most_common(1)[0][0] if categories else "",
        lead_article_id=first.id,
        hotness=float(row.hotness or 0.0),
        image_path=picture.thumbnail_path if picture else "",
        image_width=picture.thumbnail_width if picture else 0,
        image_height=picture.thumbnail_height if picture else 0,
        localized=tuple(localized.values()),
    )


def _language_rank(language: str) -> tuple[int, str]:
    if language in LANGUAGE_ORDER:
        return (LANGUAGE_ORDER.index(language), language)
    return (len(LANGUAGE_ORDER), language)
