"""Outlet pages: the list of outlets, and one outlet's newest articles, languages and health."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from alaune.store import listings
from alaune.store.listings import ArticleFilter, OutletHealth
from alaune.web.api.outlets import outlet_document
from alaune.web.links import PageUrls
from alaune.web.params import page_number
from alaune.web.prefix import language, requested_path
from alaune.web.render import Meta, Renderer
from alaune.web.state import site
from alaune.web.twins import article_entries, feed, json_response, twins

PAGE_SIZE = 30


def outlets_index(request: Request) -> Response:
    state, lang = site(request), language(request)
    with state.db.read() as conn:
        found = listings.list_outlets(conn)
    meta = Meta(title=state.renderer.text(lang, "Outlets — alaune"))
    return state.renderer.page(request, "outlets.html", {"outlets": found}, meta=meta)


def outlet(request: Request) -> Response:
    state, lang = site(request), language(request)
    outlet_id = request.path_params["outlet_id"]
    page = page_number(request.query_params.get("page"))
    with state.db.read() as conn:
        found = listings.get_outlet(conn, outlet_id)
        health = listings.outlet_health(conn, outlet_id)
        items = listings.list_articles(
            conn,
            ArticleFilter(outlet_id=outlet_id),
            limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
        )
    if found is None:
        raise HTTPException(status_code=404)
    renderer = state.renderer
    meta = Meta(
        title=f"{found.name} — alaune",
        description=renderer.text(lang, "The latest articles from %(outlet)s.", outlet=found.name),
        canonical_query={"page": page if page > 1 else None},
    )
    context = {
        "outlet": found,
        "items": items[:PAGE_SIZE],
        "has_next": len(items) > PAGE_SIZE,
        "page": page,
        "health_line": health_line(renderer, lang, health),
    }
    alternates = twins(renderer.links(request), "outlet_twin", outlet_id=outlet_id)
    return renderer.page(request, "outlet.html", context, meta=meta, twins=alternates)


def health_line(renderer: Renderer, lang: str, health: OutletHealth) -> str:
    """ "3 listings; last read 5 minutes ago; all working" in one line."""
    parts = [renderer.plural(lang, "%(num)s listing", "%(num)s listings", health.feeds)]
    if health.last_success_at is not None:
        when = renderer.formats[lang].short_datetime(health.last_success_at, datetime.now(UTC))
        parts.append(renderer.text(lang, "last read successfully: %(when)s", when=when))
    else:
        parts.append(renderer.text(lang, "never read successfully yet"))
    if health.failing:
        parts.append(
            renderer.plural(lang, "%(num)s failing", "%(num)s failing", health.failing)
            + f" ({health.last_error_kind})"
        )
    elif health.feeds:
        parts.append(renderer.text(lang, "all working"))
    return " · ".join(parts)


def outlet_twin(request: Request) -> Response:
    state, lang, kind = site(request), language(request), request.path_params["fmt"]
    outlet_id = request.path_params["outlet_id"]
    with state.db.read() as conn:
        if kind == "json":
            return json_response(outlet_document(PageUrls(state.origin), conn, outlet_id))
        found = listings.get_outlet(conn, outlet_id)
        items = listings.list_articles(conn, ArticleFilter(outlet_id=outlet_id), limit=PAGE_SIZE)
    if found is None:
        raise HTTPException(status_code=404)
    renderer = state.renderer
    links = renderer.links(request)
    return feed(
        kind,
        title=f"{found.name} — alaune",
        description=renderer.text(lang, "The latest articles from %(outlet)s.", outlet=found.name),
        lang=lang,
        page_url=links.absolute(links.path("outlet", outlet_id=outlet_id)),
        self_url=links.absolute(requested_path(request)),
        entries=article_entries(renderer, lang, PageUrls(state.origin, lang), items),
    )
