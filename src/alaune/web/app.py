"""The application factory: settings and database in, a Starlette app out.

It checks that the database schema is current before serving (SchemaOutOfDate names the command
that fixes it) and sets the security headers every response carries.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alaune.config import Settings
from alaune.store.engine import Database
from alaune.store.migrate import check_current
from alaune.web.pages.system import not_found, server_error
from alaune.web.render import Renderer
from alaune.web.routes import ROUTES
from alaune.web.state import SiteState

# Pages load nothing from elsewhere: styles, scripts and images are our own (DESIGN.md, rule 4).
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(settings: Settings, db: Database, *, check_schema: bool = True) -> Starlette:
    if check_schema:
        check_current(db)
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={404: not_found, 500: server_error},
    )
    app.state.site = SiteState(
        settings=settings, db=db, renderer=Renderer(timezone=settings.timezone)
    )
    return app
