"""Pages for machines and errors: the health check and the 404/500 pages, localized."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from alaune.store import articles
from alaune.web.prefix import language
from alaune.web.render import Meta
from alaune.web.state import site


def healthz(request: Request) -> Response:
    with site(request).db.read() as conn:
        count = articles.count_articles(conn)
    return JSONResponse({"status": "ok", "articles": count}, headers={"cache-control": "no-store"})


def _error(request: Request, status: int) -> Response:
    renderer, lang = site(request).renderer, language(request)
    title = "Page not found" if status == 404 else "Server error"
    meta = Meta(title=f"{renderer.text(lang, title)} — alaune", noindex=True)
    return renderer.page(request, "error.html", {"status": status}, meta=meta, status=status)


def not_found(request: Request, exc: Exception) -> Response:
    return _error(request, 404)


def server_error(request: Request, exc: Exception) -> Response:
    return _error(request, 500)
