"""Pages for machines and errors: the health check and the 404/500 pages."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from alaune.store import articles
from alaune.web.state import site


async def healthz(request: Request) -> Response:
    with site(request).db.read() as conn:
        count = articles.count_articles(conn)
    return JSONResponse({"status": "ok", "articles": count})


async def not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    return site(request).renderer.page(request, "error.html", {"status": status}, status=status)


async def server_error(request: Request, exc: Exception) -> Response:
    return site(request).renderer.page(request, "error.html", {"status": 500}, status=500)
