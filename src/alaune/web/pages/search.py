"""The search page: query, filters (language, outlet, section, dates), order, highlighted
matches; its twins make any search a saved feed."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from alaune.store import outlets as outlet_store
from alaune.store.listings import ArticleFilter
from alaune.store.search import SearchQuery
from alaune.web import reads
from alaune.web.api.search import search_document
from alaune.web.links import PageUrls, with_query
from alaune.web.params import SearchForm, day_bounds, page_number
from alaune.web.prefix import language, requested_path
from alaune.web.render import Meta
from alaune.web.state import site
from alaune.web.twins import article_entries, feed, json_response, twins

PAGE_SIZE = 20


def _query(form: SearchForm, timezone: str, *, limit: int, offset: int = 0) -> SearchQuery:
    since, until = day_bounds(form.since, form.until, timezone)
    where = ArticleFilter(
        outlet_id=form.outlet,
        category=form.category,
        language=form.language,
        since=since,
        until=until,
    )
    return SearchQuery(text=form.q, where=where, order=form.order, limit=limit, offset=offset)


def search_page(request: Request) -> Response:
    state, lang = site(request), language(request)
    form = SearchForm.read(request.query_params)
    page = page_number(request.query_params.get("page"))
    with state.db.read() as conn:
        outlets = outlet_store.outlet_names(conn)  # for the filter: no counts, no configuration
        view = None
        if form.q:
            query = _query(
                form, state.settings.timezone, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
            )
            view = reads.search_view(conn, query)
    renderer = state.renderer
    links = renderer.links(request)
    path = links.path("search")
    title = (
        renderer.text(lang, "Search: %(query)s", query=form.q)
        if form.q
        else renderer.text(lang, "Search")
    )
    context = {
        "form": form,
        "search_text": form.q,
        "outlets": outlets,
        "hits": view.hits if view else [],
        "terms": view.terms if view else (),
        "page": page,
        "has_next": bool(view and view.has_more),
        "prev_href": with_query(path, **form.query(page=page - 1 if page > 2 else None)),
        "next_href": with_query(path, **form.query(page=page + 1)),
    }
    meta = Meta(title=f"{title} — alaune", noindex=True, canonical_query=form.query())
    alternates = twins(links, "search_twin", query=form.query()) if form.q else ()
    return renderer.page(request, "search.html", context, meta=meta, twins=alternates)


def search_twin(request: Request) -> Response:
    state, lang, kind = site(request), language(request), request.path_params["fmt"]
    form = SearchForm.read(request.query_params)
    with state.db.read() as conn:
        if kind == "json":
            document = search_document(PageUrls(state.origin), conn, form, state.settings.timezone)
            return json_response(document)
        view = reads.search_view(conn, _query(form, state.settings.timezone, limit=PAGE_SIZE))
    renderer = state.renderer
    links = renderer.links(request)
    title = renderer.text(lang, "Search: %(query)s", query=form.q)
    return feed(
        kind,
        title=f"{title} — alaune",
        description=title,
        lang=lang,
        page_url=links.absolute(with_query(links.path("search"), **form.query())),
        self_url=links.absolute(with_query(requested_path(request), **form.query())),
        entries=article_entries(
            renderer, lang, PageUrls(state.origin, lang), [item for item, _ in view.hits]
        ),
    )
