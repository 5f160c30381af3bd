"""Rendering admin pages: the session check and the page frame every admin page shares."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from alaune.store import admins
from alaune.web.admin.session import NO_STORE, current, to_login
from alaune.web.prefix import language
from alaune.web.render import Meta
from alaune.web.state import site


def require(request: Request) -> admins.Session | Response:
    """The admin's session, or the redirect to the login page."""
    session = current(request)
    return session if session is not None else to_login(request)


def admin_page(
    request: Request,
    session: admins.Session,
    template: str,
    context: dict[str, Any],
    *,
    title: str,
    status: int = 200,
) -> Response:
    renderer = site(request).renderer
    heading = renderer.text(language(request), title)
    meta = Meta(title=f"{heading} — alaune admin", noindex=True)
    full = {"admin": session.admin, "csrf": session.csrf, "heading": heading, **context}
    response = renderer.page(request, template, full, meta=meta, status=status)
    response.headers.update(NO_STORE)
    return response
