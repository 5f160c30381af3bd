"""When the database cannot keep up: answer 503 quickly, with a clear message (SECURITY.md H5).

Three parts, each registered in `app.create_app`:

- `Admission`, the innermost middleware: at most `db_pool_size + db_max_overflow` requests of
  one process run past the page cache at once (each holds at most one pooled connection at a
  time), and of them at most `request_slots` reads (GET, HEAD: the pages it renders; 2 on
  SQLite, all on PostgreSQL, unless set); the next
  ones wait, in order of arrival, up to `db_pool_timeout` for a slot, then get 503. Cached
  pages, static files and `/metrics` never wait. Without it, requests queue for worker threads
  first and then for the pool, and wait several timeouts in a row; and eight pages rendering at
  once in one process share the interpreter lock by 5 ms turns in no order, so the unlucky ones
  took twice the median (docs/benchmarks.md). Writes (a report, an admin action) take no read
  slot: they are short, may wait on SQLite's writer lock, and would otherwise hold up every
  page while they wait. A request gives its slots back when its response starts: the work is
  done by then, and a client that reads slowly must not hold a slot while it drains.
- `install`: an exception handler on the site and on every application mounted in it (the API),
  which turns a pool timeout (`sqlalchemy.exc.TimeoutError`) and a refused connection ("too many
  clients", "connection limit exceeded for role", a server starting or unreachable, SQLite's
  "database is locked") into the same 503. Every other error stays a 500.
- `GuardedProbe`: the page cache asks the database, on the event loop, whether data changed. A
  full pool would stall every request behind that question, so the probe is skipped (the last
  answer is kept, and cached pages go on being served) while the pool has no free connection
  and for a few seconds after the database refused one.

Connections are always returned: every read goes through `Database.read`, whose context
managers give the connection back on any exception. This module must not open connections.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import anyio
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import QueuePool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alaune.config import Settings
from alaune.store.engine import Database

log = logging.getLogger(__name__)

RETRY_AFTER = 5  # seconds, in the Retry-After header
PROBE_QUIET = 5.0  # seconds the cache's probe stays quiet after the database refused it
LOG_EVERY = 10.0  # seconds between two warnings about shed requests
UNBOUNDED_PREFIXES = ("/static/", "/metrics")
# PostgreSQL error codes of a refused or lost connection: class 08 (connection exception),
# 53300 too_many_connections (server-wide and per role), 57P01-57P03 (shutting down, starting).
_REFUSED_STATES = {"53300", "57P01", "57P02", "57P03"}
MESSAGES = {
    # Kept here rather than in the catalogs: an overloaded process renders no template.
    "fr": "Le site est très sollicité en ce moment. Réessayez dans quelques secondes.",
    "ar": "الموقع مزدحم في الوقت الحالي. يُرجى إعادة المحاولة بعد بضع ثوانٍ.",
    "en": "The site is very busy right now. Please try again in a few seconds.",
}


def overload_reason(exc: BaseException) -> str | None:
    """Why `exc` means "too busy, retry" (for the logs), or None when it is a real error."""
    if isinstance(exc, PoolTimeout):
        return "no free connection in the pool"
    if not isinstance(exc, OperationalError):
        return None
    orig = exc.orig
    state = getattr(orig, "sqlstate", None)
    if type(orig).__module__.startswith("psycopg"):
        if state is None or state.startswith("08") or state in _REFUSED_STATES:
            return f"the database refused a connection: {str(orig).strip()[:200]}"
        return None
    text = str(orig).lower()
    if "database is locked" in text or "database is busy" in text:
        return "the database is locked"
    return None


class _Shed:
    """Counts shed requests and logs a warning at most every LOG_EVERY seconds."""

    def __init__(self) -> None:
        self.count = 0
        self.logged_at = float("-inf")

    def note(self, reason: str) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.logged_at >= LOG_EVERY:
            log.warning("answered 503 to %d request(s): %s", self.count, reason)
            self.count, self.logged_at = 0, now


SHED = _Shed()


def busy_response(scope: Scope) -> Response:
    """The 503: JSON under the API or when asked for JSON, else text in the UI language."""
    headers = {"retry-after": str(RETRY_AFTER), "cache-control": "no-store"}
    path = str(scope.get("alaune.path", scope.get("path", "")))
    accept = dict(scope.get("headers", [])).get(b"accept", b"")
    lang = str(scope.get("alaune.lang", "fr"))
    message = MESSAGES.get(lang, MESSAGES["fr"])
    if path.startswith(("/api/", "/ar/api/", "/en/api/")) or b"application/json" in accept:
        return JSONResponse({"detail": MESSAGES["en"]}, status_code=503, headers=headers)
    return PlainTextResponse(message + "\n", status_code=503, headers=headers)


async def _handle(request: Request, exc: Exception) -> Response:
    reason = overload_reason(exc)
    if reason is None:
        raise exc
    SHED.note(reason)
    return busy_response(request.scope)


def install(app: Starlette) -> None:
    """Register the 503 handler on `app` and on the applications mounted in it."""
    for target in _applications(app):
        target.add_exception_handler(PoolTimeout, _handle)
        target.add_exception_handler(OperationalError, _handle)


def _applications(app: Starlette) -> list[Starlette]:
    found = [app]
    for route in app.routes:
        inner = route.app if isinstance(route, Mount) else None
        if isinstance(inner, Starlette):
            found.extend(_applications(inner))
    return found


SQLITE_PAGE_SLOTS = 2  # `request_slots` 0 on SQLite: measured best (docs/benchmarks.md)


def page_slots(settings: Settings) -> int:
    """How many uncached reads a process renders at once (the `request_slots` setting; 0 picks
    by database), never more than its connections."""
    connections = settings.db_pool_size + settings.db_max_overflow
    wanted = settings.request_slots
    if wanted <= 0:
        sqlite = settings.database_url.startswith("sqlite")
        wanted = SQLITE_PAGE_SLOTS if sqlite else connections
    return min(wanted, connections)


class Admission:
    """ASGI middleware: bounds the requests that reach the database at once (see above).

    Its queues belong to one event loop, as uvicorn serves an app: driven from several loops
    at once (a test client per thread), a slot given back in one loop does not wake a request
    waiting in another, which then waits out its timeout."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.timeout = settings.db_pool_timeout
        connections = settings.db_pool_size + settings.db_max_overflow
        self.connections = anyio.Semaphore(connections)
        self.pages = anyio.Semaphore(page_slots(settings))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNBOUNDED_PREFIXES):
            await self.app(scope, receive, send)
            return
        # Reads (pages, the API, feeds) are rendered: they take a page slot, then a connection.
        # Writes (a report, an admin action) are short, may wait on SQLite's writer lock, and
        # must neither queue behind renders nor hold a page slot while they wait: a connection
        # slot only.
        wanted = [self.connections]
        if scope.get("method") in ("GET", "HEAD"):
            wanted.insert(0, self.pages)
        held: list[anyio.Semaphore] = []
        with anyio.move_on_after(self.timeout):
            for semaphore in wanted:
                await semaphore.acquire()
                held.append(semaphore)
        if len(held) < len(wanted):
            self._release(held)
            SHED.note(f"no request slot within {self.timeout:g} s")
            await busy_response(scope)(scope, receive, send)
            return

        async def release_at_start(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._release(held)
            await send(message)

        try:
            await self.app(scope, receive, release_at_start)
        finally:
            self._release(held)

    @staticmethod
    def _release(held: list[anyio.Semaphore]) -> None:
        """Give back what `held` holds, once (it is emptied)."""
        while held:
            held.pop().release()


class GuardedProbe:
    """The page cache's change probe, kept off a busy database (see above)."""

    def __init__(self, probe: Callable[[], object], db: Database, settings: Settings) -> None:
        self.probe = probe
        self.db = db
        self.max_overflow = settings.db_max_overflow
        self.last: object = None
        self.quiet_until = float("-inf")

    def __call__(self) -> object:
        if time.monotonic() < self.quiet_until or not self._pool_has_room():
            return self.last
        try:
            self.last = self.probe()
        except Exception as exc:
            if overload_reason(exc) is None:
                raise
            self.quiet_until = time.monotonic() + PROBE_QUIET
        return self.last

    def _pool_has_room(self) -> bool:
        pool: Any = self.db.engine.pool
        if self.db.is_sqlite or not isinstance(pool, QueuePool):
            return True  # SQLite's probe has its own connection, outside the pool
        return bool(pool.checkedin() > 0 or pool.overflow() < self.max_overflow)
