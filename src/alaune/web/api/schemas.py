"""The API's documents (pydantic models, hence the OpenAPI schema) and their builders.

Field names are part of API v1: add fields, never rename or remove them. Every resource carries
`html_url` (its page on the site) and `api_url` (itself); source links are `source_url`. Texts are
plain text (never HTML); clients escape them for their own output (SECURITY.md D5).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from alaune.store.coverage import StoryCard, StoryCoverage
from alaune.store.listings import ArticleItem, OutletHealth, OutletSummary
from alaune.web.i18n import LANGUAGES, category_label
from alaune.web.links import PageUrls, clean_url


class OutletRef(BaseModel):
    id: str
    name: str
    html_url: str


class ArticleSummary(BaseModel):
    id: int
    title: str
    lead: str
    language: str = Field(description="ISO 639-1 code of the article's language, or empty")
    category: str = Field(description="alaune category slug, or empty")
    published_at: datetime
    outlet: OutletRef
    story_id: int
    copy_of: int | None = Field(description="For a wire copy, the id of the original article")
    source_url: str = Field(description="The article on its outlet's site (http or https)")
    html_url: str
    api_url: str


class ArticleDetail(ArticleSummary):
    author: str
    text: str = Field(description="Full text, or the first paragraph when excerpt_only")
    excerpt_only: bool = Field(description="The outlet keeps its full text on its own site")
    word_count: int
    related: list[ArticleSummary] = Field(description="Same story first, then similar articles")
    image_url: str | None = Field(
        default=None,
        description="The lead image as alaune serves it; null when none is stored or moderation "
        "hid it (the outlet's own URL is never given)",
    )


class FirstReport(BaseModel):
    article_id: int
    outlet: OutletRef
    published_at: datetime


class StorySummary(BaseModel):
    id: int
    title: str
    summary: str
    languages: list[str]
    outlet_count: int
    article_count: int
    first_report: FirstReport
    updated_at: datetime
    hotness: float = Field(description="Ranking score of the home page (higher is hotter)")
    category: str
    image_url: str | None = Field(description="A lead image served by alaune, when it has one")
    html_url: str
    api_url: str


class TimelineEntry(BaseModel):
    at: datetime
    article_id: int
    outlet: OutletRef
    language: str
    title: str


class StoryDetail(StorySummary):
    articles: list[ArticleSummary] = Field(description="Every article, oldest first")
    timeline: list[TimelineEntry]
    related: list[StorySummary]


class OutletOut(BaseModel):
    id: str
    name: str
    homepage: str
    languages: list[str]
    policy: str = Field(description="'full' (whole text shown) or 'excerpt'")
    agency: bool
    article_count: int
    last_published_at: datetime | None
    html_url: str
    api_url: str


class OutletHealthOut(BaseModel):
    feeds: int
    failing: int
    last_success_at: datetime | None
    last_error_kind: str | None


class OutletDetail(OutletOut):
    health: OutletHealthOut
    articles: list[ArticleSummary] = Field(description="The newest articles")
    articles_url: str = Field(description="All its articles, paginated")


class CategoryOut(BaseModel):
    slug: str
    names: dict[str, str] = Field(description="The category's name in each UI language")
    article_count: int
    html_url: str
    api_url: str


class CategoryDetail(CategoryOut):
    stories: list[StorySummary]


class StoryList(BaseModel):
    items: list[StorySummary]
    next_cursor: str | None
    next_url: str | None


class ArticleList(BaseModel):
    items: list[ArticleSummary]
    next_cursor: str | None
    next_url: str | None


class SearchHit(ArticleSummary):
    snippet: str = Field(description="Plain text around the first match")


class SearchResults(BaseModel):
    query: str
    terms: list[str] = Field(description="The normalized terms searched for (folded, stemmed)")
    order: str
    items: list[SearchHit]
    next_cursor: str | None
    next_url: str | None


class OutletList(BaseModel):
    items: list[OutletOut]


class CategoryList(BaseModel):
    items: list[CategoryOut]


class Problem(BaseModel):
    detail: str


def outlet_ref(urls: PageUrls, outlet_id: str, name: str) -> OutletRef:
    return OutletRef(id=outlet_id, name=name, html_url=urls.outlet(outlet_id))


def article_summary(urls: PageUrls, item: ArticleItem) -> ArticleSummary:
    return ArticleSummary.model_validate(_article_fields(urls, item))


def _article_fields(urls: PageUrls, item: ArticleItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "lead": item.lead,
        "language": item.language,
        "category": item.category,
        "published_at": item.published_at,
        "outlet": outlet_ref(urls, item.outlet_id, item.outlet_name),
        "story_id": item.story_id,
        "copy_of": item.copy_of,
        "source_url": clean_url(item.url),
        "html_url": urls.article(item.id),
        "api_url": urls.api(f"/articles/{item.id}"),
    }


def search_hit(urls: PageUrls, item: ArticleItem, snippet: str) -> SearchHit:
    return SearchHit.model_validate({**_article_fields(urls, item), "snippet": snippet})


def article_detail(
    urls: PageUrls,
    item: ArticleItem,
    *,
    author: str,
    text: str,
    excerpt_only: bool,
    word_count: int,
    related: list[ArticleItem],
    image_path: str | None = None,
) -> ArticleDetail:
    return ArticleDetail.model_validate(
        {
            **_article_fields(urls, item),
            "image_url": (urls.origin + image_path) if image_path else None,
            "author": author,
            "text": text,
            "excerpt_only": excerpt_only,
            "word_count": word_count,
            "related": [article_summary(urls, other) for other in related],
        }
    )


def story_summary(urls: PageUrls, card: StoryCard) -> StorySummary:
    return StorySummary.model_validate(_story_fields(urls, card))


def _story_fields(urls: PageUrls, card: StoryCard) -> dict[str, Any]:
    return {
        "id": card.id,
        "title": card.title,
        "summary": card.summary,
        "languages": list(card.languages),
        "outlet_count": card.outlet_count,
        "article_count": card.article_count,
        "first_report": FirstReport(
            article_id=card.lead_article_id,
            outlet=outlet_ref(urls, card.first_outlet_id, card.first_outlet_name),
            published_at=card.first_published_at,
        ),
        "updated_at": card.updated_at,
        "hotness": card.hotness,
        "category": card.category,
        "image_url": (urls.origin + card.image_path) if card.image_path else None,
        "html_url": urls.story(card.id),
        "api_url": urls.api(f"/stories/{card.id}"),
    }


def story_detail(urls: PageUrls, coverage: StoryCoverage, related: list[StoryCard]) -> StoryDetail:
    return StoryDetail.model_validate(
        {
            **_story_fields(urls, coverage.card),
            "articles": [article_summary(urls, item) for item in coverage.articles],
            "timeline": [
                TimelineEntry(
                    at=item.published_at,
                    article_id=item.id,
                    outlet=outlet_ref(urls, item.outlet_id, item.outlet_name),
                    language=item.language,
                    title=item.title,
                )
                for item in coverage.articles
            ],
            "related": [story_summary(urls, card) for card in related],
        }
    )


def outlet_out(urls: PageUrls, outlet: OutletSummary) -> OutletOut:
    return OutletOut.model_validate(_outlet_fields(urls, outlet))


def _outlet_fields(urls: PageUrls, outlet: OutletSummary) -> dict[str, Any]:
    return {
        "id": outlet.id,
        "name": outlet.name,
        "homepage": clean_url(outlet.homepage),
        "languages": list(outlet.languages),
        "policy": outlet.policy,
        "agency": outlet.agency,
        "article_count": outlet.article_count,
        "last_published_at": outlet.last_published_at,
        "html_url": urls.outlet(outlet.id),
        "api_url": urls.api(f"/outlets/{outlet.id}"),
    }


def outlet_detail(
    urls: PageUrls, outlet: OutletSummary, health: OutletHealth, items: list[ArticleItem]
) -> OutletDetail:
    return OutletDetail.model_validate(
        {
            **_outlet_fields(urls, outlet),
            "health": OutletHealthOut(
                feeds=health.feeds,
                failing=health.failing,
                last_success_at=health.last_success_at,
                last_error_kind=health.last_error_kind,
            ),
            "articles": [article_summary(urls, item) for item in items],
            "articles_url": urls.api("/articles", outlet=outlet.id),
        }
    )


def category_names(slug: str) -> dict[str, str]:
    return {lang: category_label(slug, lang) for lang in LANGUAGES}


def category_out(urls: PageUrls, slug: str, count: int) -> CategoryOut:
    return CategoryOut(
        slug=slug,
        names=category_names(slug),
        article_count=count,
        html_url=urls.category(slug),
        api_url=urls.api(f"/categories/{slug}"),
    )
