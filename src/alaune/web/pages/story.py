"""The story page ("full coverage"): articles by language and outlet, timeline, first report,
related stories; its JSON, RSS and Atom twins."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from alaune.web import reads
from alaune.web.api.stories import story_document
from alaune.web.links import PageUrls
from alaune.web.prefix import language, requested_path
from alaune.web.render import Meta
from alaune.web.state import site
from alaune.web.twins import article_entries, feed, json_response, twins


def story(request: Request) -> Response:
    state = site(request)
    story_id = request.path_params["story_id"]
    with state.db.read() as conn:
        view = reads.story_view(conn, story_id)
    if view is None:
        raise HTTPException(status_code=404)
    card = view.coverage.card
    renderer = state.renderer
    if card.id != story_id:  # merged into an older story: its URL moves there
        return RedirectResponse(renderer.links(request).path("story", story_id=card.id), 308)
    meta = Meta(title=f"{card.title} — alaune", description=card.summary, og_type="article")
    context = {
        "coverage_data": view.coverage,
        "groups": view.coverage.groups,
        "related": view.related,
    }
    alternates = twins(renderer.links(request), "story_twin", story_id=story_id)
    return renderer.page(request, "story.html", context, meta=meta, twins=alternates)


def story_twin(request: Request) -> Response:
    state, lang, kind = site(request), language(request), request.path_params["fmt"]
    story_id = request.path_params["story_id"]
    with state.db.read() as conn:
        if kind == "json":
            return json_response(story_document(PageUrls(state.origin), conn, story_id))
        view = reads.story_view(conn, story_id)
    if view is None:
        raise HTTPException(status_code=404)
    renderer, card = state.renderer, view.coverage.card
    links = renderer.links(request)
    newest_first = sorted(
        view.coverage.articles, key=lambda i: (i.published_at, i.id), reverse=True
    )
    return feed(
        kind,
        title=f"{card.title} — alaune",
        description=card.summary or card.title,
        lang=lang,
        page_url=links.absolute(links.path("story", story_id=story_id)),
        self_url=links.absolute(requested_path(request)),
        entries=article_entries(renderer, lang, PageUrls(state.origin, lang), newest_first),
    )
