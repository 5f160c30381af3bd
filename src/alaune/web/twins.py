"""A page's JSON, RSS and Atom twins: their links, and the documents they serve.

Every listing page links its twins with `<link rel="alternate">`; JSON twins serve the API's
document for the same data, feeds carry the page's items with links into the site in the same UI
language as the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from starlette.responses import Response

from alaune.store.coverage import StoryCard
from alaune.store.listings import ArticleItem
from alaune.web.feeds import FeedDocument, FeedEntry, feed_response
from alaune.web.links import Links, PageUrls, with_query
from alaune.web.render import Renderer, Twin

ALL = ("json", "rss", "atom")


def twins(
    links: Links,
    name: str,
    *,
    kinds: tuple[str, ...] = ALL,
    query: dict[str, Any] | None = None,
    **params: Any,
) -> tuple[Twin, ...]:
    return tuple(
        Twin(
            kind, links.absolute(with_query(links.path(name, fmt=kind, **params), **(query or {})))
        )
        for kind in kinds
    )


def json_response(document: BaseModel) -> Response:
    return Response(document.model_dump_json(), media_type="application/json")


def story_entries(
    renderer: Renderer, lang: str, urls: PageUrls, cards: Sequence[StoryCard]
) -> list[FeedEntry]:
    entries = []
    for card in cards:
        count = renderer.plural(lang, "%(num)s source", "%(num)s sources", card.outlet_count)
        coverage = f"{count} · {' '.join(card.languages)}"
        entries.append(
            FeedEntry(
                url=urls.story(card.id),
                title=card.title,
                summary=f"{card.summary}\n\n{coverage}".strip(),
                published=card.first_published_at,
                updated=card.updated_at,
                author=card.first_outlet_name,
                category=card.category,
            )
        )
    return entries


def article_entries(
    renderer: Renderer, lang: str, urls: PageUrls, items: Sequence[ArticleItem]
) -> list[FeedEntry]:
    return [
        FeedEntry(
            url=urls.article(item.id),
            title=item.title,
            summary=(
                item.lead
                + "\n\n"
                + renderer.text(
                    lang,
                    "Published in %(outlet)s on %(date)s",
                    outlet=item.outlet_name,
                    date=renderer.formats[lang].long_datetime(item.published_at),
                )
            ).strip(),
            published=item.published_at,
            updated=item.published_at,
            author=item.outlet_name,
            category=item.category,
            language=item.language,
        )
        for item in items
    ]


def feed(
    kind: str,
    *,
    title: str,
    description: str,
    lang: str,
    page_url: str,
    self_url: str,
    entries: Sequence[FeedEntry],
) -> Response:
    document = FeedDocument(
        title=title,
        page_url=page_url,
        self_url=self_url,
        description=description,
        language=lang,
        entries=entries,
    )
    return feed_response(document, kind)
