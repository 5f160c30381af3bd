"""What every admin handler shares: the session check (`admin_view`, `admin_action`) and the
page frame (`admin_page`).

`admin_view` wraps a page: no session, the login page. `admin_action` wraps a POST: no session,
the login page; a wrong CSRF field, 403; otherwise the handler runs in the thread pool with the
checked form, so its database writes never block the event loop."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from alaune.store import admins
from alaune.web.admin.session import NO_STORE, checked_form, current, forbidden, to_login
from alaune.web.prefix import language
from alaune.web.render import Meta
from alaune.web.state import site


def require(request: Request) -> admins.Session | Response:
    """The admin's session, or the redirect to the login page."""
    session = current(request)
    return session if session is not None else to_login(request)


def admin_view(
    handler: Callable[[Request, admins.Session], Response],
) -> Callable[[Request], Response]:
    @functools.wraps(handler)
    def endpoint(request: Request) -> Response:
        session = require(request)
        return session if isinstance(session, Response) else handler(request, session)

    return endpoint


def admin_action(
    handler: Callable[[Request, admins.Session, FormData], Response],
) -> Callable[[Request], Awaitable[Response]]:
    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        session = require(request)
        if isinstance(session, Response):
            return session
        form = await checked_form(request, session)
        if form is None:
            return forbidden()
        return await run_in_threadpool(handler, request, session, form)

    return endpoint


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
