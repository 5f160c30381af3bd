"""Category pages: a section's top stories, paginated, with a content-language filter; twins."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from alaune.store import coverage, listings
from alaune.web.api.outlets import category_document
from alaune.web.i18n import category_label, category_labels
from alaune.web.links import PageUrls, with_query
from alaune.web.params import content_language, page_number
from alaune.web.prefix import language, requested_path
from alaune.web.render import Meta
from alaune.web.state import site
from alaune.web.twins import feed, json_response, story_entries, twins

PAGE_SIZE = 12


def category(request: Request) -> Response:
    state, lang = site(request), language(request)
    slug = request.path_params["slug"]
    page = page_number(request.query_params.get("page"))
    content = content_language(request.query_params.get("language"))
    with state.db.read() as conn:
        known = slug in category_labels(lang) or slug in dict(listings.recent_categories(conn))
        cards = coverage.top_stories(
            conn,
            limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
            category=slug,
            language=content,
        )
    if not known and not cards:
        raise HTTPException(status_code=404)
    renderer = state.renderer
    title = category_label(slug, lang)
    meta = Meta(
        title=f"{title} — alaune",
        description=renderer.text(lang, "Top stories in %(section)s.", section=title),
        canonical_query={"language": content, "page": page if page > 1 else None},
    )
    context = {
        "slug": slug,
        "category_title": title,
        "stories": cards[:PAGE_SIZE],
        "has_next": len(cards) > PAGE_SIZE,
        "page": page,
        "content_language": content,
    }
    alternates = twins(
        renderer.links(request), "category_twin", slug=slug, query={"language": content}
    )
    return renderer.page(request, "category.html", context, meta=meta, twins=alternates)


def category_twin(request: Request) -> Response:
    state, lang, kind = site(request), language(request), request.path_params["fmt"]
    slug = request.path_params["slug"]
    content = content_language(request.query_params.get("language"))
    with state.db.read() as conn:
        if kind == "json":
            document = category_document(PageUrls(state.origin), conn, slug, language=content)
            return json_response(document)
        cards = coverage.top_stories(conn, limit=30, category=slug, language=content)
    renderer = state.renderer
    links = renderer.links(request)
    title = category_label(slug, lang)
    return feed(
        kind,
        title=f"{title} — alaune",
        description=renderer.text(lang, "Top stories in %(section)s.", section=title),
        lang=lang,
        page_url=links.absolute(with_query(links.path("category", slug=slug), language=content)),
        self_url=links.absolute(with_query(requested_path(request), language=content)),
        entries=story_entries(renderer, lang, PageUrls(state.origin, lang), cards),
    )
