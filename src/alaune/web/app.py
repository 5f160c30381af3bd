"""The application factory: settings and database in, the site (pages, twins, API) out.

It checks that the database schema is current before serving (SchemaOutOfDate names the command
that fixes it). Every request passes, outermost first: the request metrics (metrics.py), the
security headers, the response cache (keyed by the path as requested, so per UI language), then
the language prefix, then admission (overload.py: 503 when the database is saturated), then the
one route table.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alaune.config import Settings
from alaune.moderation.networks import parse_networks
from alaune.store.changes import ChangeProbe
from alaune.store.engine import Database
from alaune.store.migrate import check_current
from alaune.web import metrics, overload
from alaune.web.admin.session import AdminGuard
from alaune.web.api import create_api
from alaune.web.cache import PageCache
from alaune.web.links import base_url
from alaune.web.pages.system import not_found, server_error
from alaune.web.prefix import LanguagePrefix
from alaune.web.render import Renderer
from alaune.web.routes import routes
from alaune.web.state import SiteState

# Pages load nothing from elsewhere: styles, scripts and images are our own (DESIGN.md).
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
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
                headers = list(message.get("headers", []))
                # A response that set its own policy (a stored image's sandbox) keeps it alone.
                present = {name.lower() for name, _ in headers}
                message["headers"] = headers + [h for h in SECURITY_HEADERS if h[0] not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


def _closing(probe: ChangeProbe) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            probe.close()

    return lifespan


def create_app(
    settings: Settings,
    db: Database,
    *,
    check_schema: bool = True,
    cache_ttl: float = 30.0,
    cache_probe_interval: float = 1.0,
) -> Starlette:
    """The site. `cache_ttl` bounds how long a rendered response is reused (0 turns the cache
    off); the database is asked whether it changed at most every `cache_probe_interval` s."""
    if check_schema:
        check_current(db)
    origin = base_url(settings.site_url, settings.host, settings.port)
    state = SiteState(
        settings=settings,
        db=db,
        renderer=Renderer(timezone=settings.timezone, origin=origin),
        origin=origin,
        trusted_proxies=parse_networks(settings.trusted_proxies),
    )
    probe = ChangeProbe(db)
    app = Starlette(
        routes=routes(create_api(state)),
        middleware=[
            Middleware(metrics.RequestMetrics),
            Middleware(SecurityHeaders),
            Middleware(
                PageCache,
                probe=overload.GuardedProbe(probe.current, db, settings),
                ttl=cache_ttl,
                probe_interval=cache_probe_interval,
            ),
            Middleware(LanguagePrefix),
            Middleware(AdminGuard),
            Middleware(overload.Admission, settings=settings),
        ],
        exception_handlers={404: not_found, 500: server_error},
        lifespan=_closing(probe),
    )
    app.state.site = state
    overload.install(app)
    return app
