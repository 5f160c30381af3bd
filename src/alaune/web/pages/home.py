"""The home page: the latest articles, newest first, with their attribution."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from alaune.store import articles
from alaune.web.state import site

PAGE_SIZE = 30
MAX_PAGE = 1000


async def home(request: Request) -> Response:
    state = site(request)
    page = _page_number(request.query_params.get("page", "1"))
    with state.db.read() as conn:
        cards = articles.latest(conn, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        total = articles.count_articles(conn)
    return state.renderer.page(
        request,
        "home.html",
        {
            "cards": cards[:PAGE_SIZE],
            "ticker": cards[:8],
            "page": page,
            "has_next": len(cards) > PAGE_SIZE,
            "total": total,
        },
    )


def _page_number(raw: str) -> int:
    return min(max(int(raw), 1), MAX_PAGE) if raw.isdigit() else 1
