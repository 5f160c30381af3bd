"""The article page: title, attribution line, text or excerpt, and the link to the source."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from alaune.store import articles
from alaune.web.state import site


async def article(request: Request) -> Response:
    state = site(request)
    article_id = request.path_params["article_id"]
    with state.db.read() as conn:
        found = articles.get_article(conn, article_id)
        more = articles.latest(conn, limit=6, outlet_id=found.card.outlet_id) if found else []
    if found is None:
        raise HTTPException(status_code=404)
    paragraphs = [p for p in found.text.split("\n\n") if p.strip()]
    if found.policy != "full":
        paragraphs = paragraphs[:1]
    return state.renderer.page(
        request,
        "article.html",
        {
            "article": found,
            "paragraphs": paragraphs,
            "excerpt_only": found.policy != "full",
            "more": [card for card in more if card.id != found.card.id][:5],
        },
    )
