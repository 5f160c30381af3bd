"""Admin sessions on the web side: the cookie, the guard, the CSRF check, the audit helper.

The cookie holds a random token; the database holds its SHA-256 (store.admins). `AdminGuard`
refuses, before any routing, every non-safe request to the admin area that is not same-origin or
carries no valid session, and any non-POST one without the `X-CSRF-Token` header (SECURITY G3).
POST handlers (through `page.admin_action`) call `checked_form`, which compares the form's
`csrf` field with the session's in constant time. Responses of the admin area are never cached
(`no-store`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from alaune.auth import tokens
from alaune.store import admins, audit
from alaune.web import client, forms
from alaune.web.i18n import prefix
from alaune.web.prefix import language
from alaune.web.state import site

COOKIE = "alaune_admin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_STORE = {"Cache-Control": "no-store"}


def admin_path(path: str) -> bool:
    return path == "/admin" or path.startswith("/admin/")


def current(request: Request) -> admins.Session | None:
    token = request.cookies.get(COOKIE, "")
    if not token or len(token) > 200:
        return None
    with site(request).db.read() as conn:
        return admins.session(conn, tokens.digest(token), now=datetime.now(UTC))


class AdminGuard:
    """Refuses state-changing admin requests that are cross-site or have no session (403)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and admin_path(scope["path"])
            and scope["method"] not in SAFE_METHODS
            and not self._allowed(Request(scope, receive))
        ):
            response = PlainTextResponse(
                "forbidden: this request needs a signed-in admin on this site's own pages",
                status_code=403,
                headers=NO_STORE,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _allowed(self, request: Request) -> bool:
        if not client.from_our_pages(request):
            return False
        if request.url.path in ("/admin/login",) and request.method == "POST":
            return True  # no session yet: the login form carries a signed token instead
        session = current(request)
        if session is None:
            return False
        if request.method != "POST":
            return tokens.same(request.headers.get("x-csrf-token", ""), session.csrf)
        return True


async def checked_form(request: Request, session: admins.Session) -> FormData | None:
    """The posted form when its CSRF field matches the session's; None otherwise."""
    if forms.too_large(request):
        return None
    form = await request.form(max_files=0, max_fields=50)
    if not tokens.same(str(form.get("csrf") or ""), session.csrf):
        return None
    return form


def forbidden() -> Response:
    return PlainTextResponse(
        "forbidden: the form's security token is missing or wrong; reload the page",
        status_code=403,
        headers=NO_STORE,
    )


def to_login(request: Request) -> Response:
    lang_prefix = prefix(language(request))
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(
        f"{lang_prefix}/admin/login?next={quote(lang_prefix + target, safe='')}",
        status_code=303,
        headers=NO_STORE,
    )


def back(request: Request, path: str) -> Response:
    """After an action: see the page again (303, so a reload does not repeat it)."""
    return RedirectResponse(prefix(language(request)) + path, status_code=303, headers=NO_STORE)


def record(
    conn: Connection,
    session: admins.Session,
    action: str,
    kind: str,
    target: Any,
    reason: str = "",
    **details: Any,
) -> None:
    """Audit an admin's action in the transaction that performs it."""
    audit.record(
        conn,
        actor=session.admin.name,
        action=action,
        target_kind=kind,
        target_id=str(target),
        reason=reason,
        now=datetime.now(UTC),
        details=details,
    )
