"""The home page: top stories, the latest-headlines ticker, sections by category; its twins."""

from __future__ import annotations

from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from alaune.store import coverage, listings
from alaune.store.coverage import StoryCard
from alaune.web.api.stories import stories_document
from alaune.web.links import PageUrls, with_query
from alaune.web.params import content_language, page_number
from alaune.web.prefix import language, requested_path
from alaune.web.render import Meta
from alaune.web.state import site
from alaune.web.twins import feed, json_response, story_entries, twins

PAGE_SIZE = 12
TICKER = 10
SECTIONS = 6
SECTION_SIZE = 4


def home(request: Request) -> Response:
    state, lang = site(request), language(request)
    page = page_number(request.query_params.get("page"))
    content = content_language(request.query_params.get("language"))
    offset = (page - 1) * PAGE_SIZE
    with state.db.read() as conn:
        cards = coverage.top_stories(conn, limit=PAGE_SIZE + 1, offset=offset, language=content)
        ticker = (
            listings.latest_headlines(conn, limit=TICKER, prefer_language=lang) if page == 1 else []
        )
        shown = {card.id for card in cards}
        sections = _sections(conn, content, shown) if page == 1 else []
    renderer = state.renderer
    meta = Meta(
        title=renderer.text(lang, "alaune: top stories"),
        description=renderer.text(
            lang, "The day's top stories from Moroccan and Maghreb outlets, in three languages."
        ),
        canonical_query={"language": content, "page": page if page > 1 else None},
    )
    context = {
        "stories": cards[:PAGE_SIZE],
        "has_next": len(cards) > PAGE_SIZE,
        "page": page,
        "ticker": ticker,
        "sections": sections,
        "content_language": content,
    }
    links = renderer.links(request)
    alternates = twins(links, "home_twin", query={"language": content})
    return renderer.page(request, "home.html", context, meta=meta, twins=alternates)


def _sections(
    conn: Connection, content: str | None, shown: set[int]
) -> list[tuple[str, list[StoryCard]]]:
    sections = []
    for slug, _count in listings.recent_categories(conn)[:SECTIONS]:
        cards = coverage.top_stories(conn, limit=SECTION_SIZE * 2, category=slug, language=content)
        kept = [card for card in cards if card.id not in shown][:SECTION_SIZE]
        if kept:
            sections.append((slug, kept))
    return sections


def home_twin(request: Request) -> Response:
    state, lang, kind = site(request), language(request), request.path_params["fmt"]
    content = content_language(request.query_params.get("language"))
    urls = PageUrls(state.origin, lang)
    with state.db.read() as conn:
        if kind == "json":
            return json_response(stories_document(PageUrls(state.origin), conn, language=content))
        cards = coverage.top_stories(conn, limit=30, language=content)
    renderer = state.renderer
    links = renderer.links(request)
    return feed(
        kind,
        title=renderer.text(lang, "alaune: top stories"),
        description=renderer.text(
            lang, "The day's top stories from Moroccan and Maghreb outlets, in three languages."
        ),
        lang=lang,
        page_url=links.absolute(with_query(links.path("home"), language=content)),
        self_url=links.absolute(with_query(requested_path(request), language=content)),
        entries=story_entries(renderer, lang, urls, cards),
    )
