"""The fetcher: one safe HTTP GET with redirects, caps, a deadline and conditional requests.

`Fetcher.get(url)` validates the URL, follows up to `max_redirects` redirects by hand (each hop
validated again, vetted by the fetcher's redirect check if one is set — the robots.txt cache
sets one, see `robots_cache` — and address-checked at connect time by `GuardedBackend`), runs
under one deadline for the whole fetch, streams the body through a capped decoder and returns a
frozen `Response`; every failure is a `FetchError` whose `kind` is one of `FETCH_ERROR_KINDS`.
It uses httpcore directly, which neither reads proxy variables from the environment (SECURITY
A7) nor decodes bodies on its own (B1). It must not retry, cache, parse bodies or touch the
database: deciding what a failure means for an outlet is the ingest layer's job.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ssl
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpcore

from alaune.errors import FetchError
from alaune.fetch import headers as hdr
from alaune.fetch.backend import GuardedBackend
from alaune.fetch.decode import ACCEPT_ENCODING, BodyDecoder
from alaune.fetch.limits import Slots
from alaune.fetch.policy import FetchPolicy
from alaune.fetch.politeness import Origin, OriginGaps
from alaune.fetch.safety import DEFAULT_PORTS, validate_url

#: RFC 9110 §15.4: the redirect status codes that carry a Location to follow.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Vets a redirect's target (an absolute, validated URL) before it is requested; it returns to
#: let the fetch go on and raises `FetchError` to refuse the hop.
RedirectCheck = Callable[[str], Awaitable[None]]

# httpcore runs `import sniffio` each time it sets up a lock (httpcore/_synchronization.py);
# without sniffio installed, every such import searches sys.path again and fails, which was a
# third of the CPU cost of a 304. Record its absence once: `import sniffio` then fails at once,
# exactly as it would anyway.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Hop:
    """One redirect followed: `url` answered `status` pointing at `location` (absolute)."""

    url: str
    status: int
    location: str


@dataclass(frozen=True, slots=True)
class Response:
    """A complete, decoded response. `url` is the final URL after redirects."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: tuple[Hop, ...] = ()

    @property
    def not_modified(self) -> bool:
        """True for a 304: the stored copy is still current (RFC 9110 §15.4.5)."""
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased (`text/html`); empty if none."""
        return hdr.media_type(self.headers.get("content-type"))

    @property
    def charset(self) -> str | None:
        return hdr.charset(self.headers.get("content-type"))


@dataclass(frozen=True, slots=True)
class _Target:
    url: str
    scheme: str
    host: str  # without IPv6 brackets: what the backend resolves and TLS verifies
    port: int
    target: str

    @classmethod
    def of(cls, url: str) -> _Target:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname or ""
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return cls(url, scheme, host, parts.port or DEFAULT_PORTS[scheme], target)

    @property
    def origin(self) -> Origin:
        return (self.scheme, self.host, self.port)

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == DEFAULT_PORTS[self.scheme] else f"{name}:{self.port}"


def origin_of(url: str) -> Origin:
    """(scheme, host, port) of an http(s) URL as the fetcher keys it: the unit of politeness
    and of robots.txt (RFC 9309 §2.3: a robots.txt file covers one scheme, host and port)."""
    return _Target.of(validate_url(url)).origin


class Fetcher:
    """Safe HTTP GETs over one reused connection pool. Use as `async with Fetcher(policy) as f`."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        ssl_context: ssl.SSLContext | None = None,
        gaps: OriginGaps | None = None,
    ) -> None:
        self.policy = policy
        # `gaps` lets tests and the bench drive politeness with a virtual clock.
        self.gaps = gaps or OriginGaps(
            default=policy.origin_gap, local=policy.origin_gap_local, is_local=policy.is_local
        )
        self._slots = Slots(
            total=policy.max_connections, per_origin=policy.per_origin, gaps=self.gaps
        )
        self._pool = httpcore.AsyncConnectionPool(
            # One context for every connection (httpcore would build one per connection):
            # the system's roots plus certifi's.
            ssl_context=ssl_context or httpcore.default_ssl_context(),
            max_connections=policy.max_connections,
            http1=True,
            http2=True,
            retries=0,
            keepalive_expiry=30.0,
            network_backend=GuardedBackend(policy.allow),
        )
        self._redirect_check: RedirectCheck | None = None

    def check_redirects_with(self, check: RedirectCheck | None) -> None:
        """Vet every redirect hop of every later fetch with `check` (None: no check)."""
        self._redirect_check = check

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every pooled connection."""
        await self._pool.aclose()

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        check_redirects: bool = True,
    ) -> Response:
        """GET `url`, following redirects; a 2xx or 304 `Response`, otherwise a `FetchError`.

        `etag` and `last_modified` are the validators of the stored copy; when given, they are
        sent as If-None-Match / If-Modified-Since and a 304 comes back as a `Response` with an
        empty body (RFC 9110 §13.1).

        Each redirect's target is vetted by the check set with `check_redirects_with`, before
        any byte goes to it, unless `check_redirects` is False (the robots.txt cache's own
        fetches: robots.txt is always allowed, and vetting it would ask for itself).

        One deadline (`policy.timeout`) covers the whole fetch: every hop, headers and body.
        Time spent queued for a concurrency slot or for the origin's politeness gap, or in the
        redirect check (which may fetch a robots.txt under its own deadline), is not counted, so
        a backlog of fetches does not turn into timeouts; only what a server makes us wait for is.
        """
        current = _Target.of(validate_url(url))
        request_headers = self._request_headers(etag, last_modified, accept)
        check = self._redirect_check if check_redirects else None
        hops: list[Hop] = []
        try:
            async with asyncio.timeout(self.policy.timeout) as deadline:
                while True:
                    status, fields, body = await self._exchange(
                        current, request_headers, deadline, hop=len(hops)
                    )
                    if status not in REDIRECT_STATUSES:
                        return Response(current.url, status, fields, body, tuple(hops))
                    current = self._follow(current, status, fields, hops)
                    if check is not None:
                        await _vet(check, current.url, deadline, hop=len(hops))
        except TimeoutError:
            raise FetchError(
                "timeout",
                f"no complete response within {self.policy.timeout:g} s",
                url=current.url,
            ) from None

    def _request_headers(
        self, etag: str | None, last_modified: str | None, accept: str | None
    ) -> list[tuple[bytes, bytes]]:
        fields = {
            "User-Agent": self.policy.user_agent,
            "Accept": accept or "*/*",
            "Accept-Encoding": ACCEPT_ENCODING,  # only what decode.py can undo, never br/zstd
            # Validators go to every hop: they belong to the final resource, whose server is
            # the one that can answer 304; a redirecting server ignores them.
            "If-None-Match": etag,
            "If-Modified-Since": last_modified,
        }
        # A stored validator that cannot be a header value is not sent: a full response is better
        # than a request that cannot be made at all.
        return [
            (name.encode("ascii"), value.encode("latin-1"))
            for name, value in fields.items()
            if value and _is_field_value(value)
        ]

    async def _exchange(
        self,
        target: _Target,
        request_headers: list[tuple[bytes, bytes]],
        deadline: asyncio.Timeout,
        *,
        hop: int,
    ) -> tuple[int, dict[str, str], bytes]:
        """One request/response on the pool; the body is read only for a 2xx."""
        url = httpcore.URL(
            scheme=target.scheme, host=target.host, port=target.port, target=target.target
        )
        fields = [(b"Host", target.host_header.encode("ascii")), *request_headers]
        timeouts = {
            "connect": self.policy.connect_timeout,
            "read": self.policy.timeout,
            "write": self.policy.timeout,
            "pool": self.policy.timeout,
        }
        try:
            async with (
                self._slots.hold(target.origin, deadline),
                self._pool.stream(
                    "GET", url, headers=fields, extensions={"timeout": timeouts}
                ) as response,
            ):
                headers = hdr.header_dict(response.headers)
                status = response.status
                if status in REDIRECT_STATUSES:
                    return status, headers, b""  # closing unread drops the connection: fine
                if status == 304:  # no body; its Content-Length describes the stored copy
                    return status, headers, b""
                if not 200 <= status < 300:
                    raise _status_error(status, headers)
                return status, headers, await self._read_body(response, headers)
        except FetchError as exc:
            raise _at_hop(exc, target.url, hop) from exc.__cause__
        except (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError) as exc:
            raise _at_hop(_translate(exc, target), target.url, hop) from exc

    async def _read_body(self, response: httpcore.Response, headers: dict[str, str]) -> bytes:
        cap = self.policy.max_bytes
        declared = hdr.content_length(headers.get("content-length"))
        if declared is not None and declared > cap:
            raise FetchError(
                "too_large", f"response too large (over {cap} bytes): Content-Length {declared}"
            )
        decoder = BodyDecoder(headers.get("content-encoding", ""), max_bytes=cap)
        body = bytearray()
        received = 0
        async for chunk in response.aiter_stream():
            received += len(chunk)
            if received > cap:  # raw bytes too: a stream of empty gzip members decodes to nothing
                raise FetchError("too_large", f"response too large (over {cap} bytes)")
            body += decoder.feed(chunk)
        decoder.finish()
        return bytes(body)

    def _follow(
        self, current: _Target, status: int, fields: dict[str, str], hops: list[Hop]
    ) -> _Target:
        """The next hop of a redirect, validated; `hops` gains the one just taken."""
        number = len(hops) + 1
        location = _utf8(fields.get("location", "").strip())
        if not location:
            raise FetchError(
                "protocol", f"HTTP {status} redirect without a Location", url=current.url
            )
        absolute = urljoin(current.url, location)  # RFC 9110 §10.2.2: relative to the request
        try:
            following = validate_url(absolute)
        except FetchError as exc:
            message = f"redirect {number} to {absolute[:200]!r} refused: {exc}"
            raise FetchError("bad_url", message, url=current.url) from None
        if following == current.url or following in {h.url for h in hops}:
            raise FetchError(
                "too_many_redirects",
                f"redirect loop: redirect {number} goes back to {following}",
                url=current.url,
            )
        if number > self.policy.max_redirects:
            raise FetchError(
                "too_many_redirects",
                f"too many redirects (more than {self.policy.max_redirects})",
                url=current.url,
            )
        hops.append(Hop(current.url, status, following))
        return _Target.of(following)


async def _vet(check: RedirectCheck, url: str, deadline: asyncio.Timeout, *, hop: int) -> None:
    """Run the redirect check on hop number `hop` (to `url`), the deadline paused meanwhile; a
    refusal names the hop, keeping its kind (`robots`, or the robots.txt failure's own)."""
    try:
        async with _paused(deadline):
            await check(url)
    except FetchError as exc:
        raise _at_hop(exc, url, hop) from exc.__cause__


@asynccontextmanager
async def _paused(deadline: asyncio.Timeout) -> AsyncIterator[None]:
    """`deadline` stopped while the block runs, then given back the time it had left."""
    loop = asyncio.get_running_loop()
    when = deadline.when()
    remaining = None if when is None else when - loop.time()
    deadline.reschedule(None)
    try:
        yield
    finally:
        deadline.reschedule(None if remaining is None else loop.time() + remaining)


def _utf8(value: str) -> str:
    """A field value read as ISO-8859-1, re-read as UTF-8 when it is valid UTF-8: servers send
    raw UTF-8 in Location (Arabic and French slugs), and browsers read it so."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _is_field_value(value: str) -> bool:
    # RFC 9110 §5.5: visible ISO-8859-1 characters, spaces and tabs; never CR or LF.
    return all(c == "\t" or " " <= c <= "~" or "\xa0" <= c <= "\xff" for c in value)


def _status_error(status: int, headers: dict[str, str]) -> FetchError:
    retry_after = hdr.parse_retry_after(headers.get("retry-after"))
    try:
        message = f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        message = f"HTTP {status}"
    return FetchError("http_status", message, status=status, retry_after=retry_after)


def _at_hop(exc: FetchError, url: str, hop: int) -> FetchError:
    """The same error with the URL it happened at and, after a redirect, which hop that was."""
    message = str(exc) if hop == 0 else f"redirect {hop} to {url}: {exc}"
    return FetchError(
        exc.kind, message, url=exc.url or url, status=exc.status, retry_after=exc.retry_after
    )


def _translate(exc: Exception, target: _Target) -> FetchError:
    """httpcore's exception as one of our kinds, with a message naming the host."""
    where = f"{target.host}:{target.port}"
    if isinstance(exc, httpcore.TimeoutException):
        return FetchError("timeout", f"{where} timed out ({type(exc).__name__})")
    if isinstance(exc, httpcore.ProtocolError):
        return FetchError("protocol", f"{where} broke HTTP: {exc or type(exc).__name__}")
    tls = _ssl_error(exc)
    if tls is not None:
        return FetchError("tls", f"TLS with {target.host} failed: {tls}")
    if isinstance(exc, httpcore.ConnectError) and str(exc).startswith("cannot connect"):
        return FetchError("connect", str(exc))  # GuardedBackend's own words
    return FetchError("connect", f"connection to {where} failed: {exc or type(exc).__name__}")


def _ssl_error(exc: BaseException) -> ssl.SSLError | None:
    """The TLS failure behind an httpcore error, if any. httpcore wraps `ssl.SSLError` in a
    `ConnectError` (as its argument and cause) and its pool re-raises `from None`, so look at
    the argument, the cause and the context."""
    seen: list[BaseException] = []
    pending: list[object] = [exc]
    while pending:
        item = pending.pop()
        if isinstance(item, ssl.SSLError):
            return item
        if isinstance(item, BaseException) and item not in seen and len(seen) < 8:
            seen.append(item)
            pending.extend([*item.args[:1], item.__cause__, item.__context__])
    return None
