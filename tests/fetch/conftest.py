"""Loopback HTTP servers with hostile behaviours, a fake resolver, and fetcher factories.

`HttpServer` is a small asyncio HTTP/1.1 server (keep-alive, optional TLS) that counts the
connections and requests it receives, so a test can assert that a refused fetch never reached it.
Its routes are the good and bad servers of SECURITY A and B; a test may add its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import shutil
import socket
import ssl
import subprocess
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from alaune.fetch import Allowlist, Fetcher, FetchPolicy

MiB = 1024 * 1024


# --- payloads -------------------------------------------------------------------------------


@cache
def gzip_bomb() -> bytes:
    """About 100 KiB of gzip that expands to 100 MiB of zeros (built once per session)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MiB)
    parts = [compressor.compress(zeros) for _ in range(100)]
    return b"".join(parts) + compressor.flush()


@cache
def deflate_bomb() -> bytes:
    """The same 100 MiB of zeros in the zlib format ("deflate")."""
    compressor = zlib.compressobj(9)
    zeros = bytes(MiB)
    return b"".join(compressor.compress(zeros) for _ in range(100)) + compressor.flush()


@cache
def double_gzip_bomb() -> bytes:
    """The gzip bomb gzipped again: `Content-Encoding: gzip, gzip`."""
    return gzip.compress(gzip_bomb(), 9)


# --- the server -----------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]
    reader: asyncio.StreamReader

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.target).query))


Handler = Callable[["HttpServer", Request, asyncio.StreamWriter], Awaitable[bool]]


async def send(
    writer: asyncio.StreamWriter,
    status: int,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    *,
    length: bool = True,
) -> bool:
    """Write one response; True (keep the connection) unless it has no length."""
    fields = dict(headers or {})
    if length and "Content-Length" not in fields:
        fields["Content-Length"] = str(len(body))
    head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    writer.write(head.encode("latin-1") + b"\r\n" + body)
    await writer.drain()
    return length


@dataclass
class HttpServer:
    """A loopback server; `hits` counts requests per path, `connections` TCP connections."""

    tls: ssl.SSLContext | None = None
    host: str = "127.0.0.1"
    port: int = 0
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    connections: int = 0
    closed: int = 0
    bytes_sent: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    @property
    def addr(self) -> str:
        return f"{self.host}:{self.port}"

    def url(self, path: str, host: str | None = None) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    async def start(self) -> HttpServer:
        self.routes = {**default_routes(), **self.routes}
        self._server = await asyncio.start_server(self._serve, self.host, 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        except asyncio.CancelledError:
            pass  # stop(): end quietly (3.11's start_server logs a cancelled handler as an error)
        finally:
            self.closed += 1
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        line, *lines = head.decode("latin-1").split("\r\n")
        method, target, _ = line.split(" ", 2)
        headers = {}
        for raw in lines:
            if raw:
                name, _, value = raw.partition(":")
                headers[name.strip().lower()] = value.strip()
        request = Request(method, target, headers, reader)
        self.requests.append(request)
        self.hits[request.path] += 1
        handler = self.routes.get(request.path) or self._prefix_route(request.path)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await handler(self, request, writer)
        finally:
            self.in_flight -= 1

    def _prefix_route(self, path: str) -> Handler:
        for prefix, handler in self.routes.items():
            if prefix.endswith("/") and path.startswith(prefix):
                return handler
        return not_found

    async def closed_all(self, timeout: float = 5.0) -> bool:
        """Wait until every connection this server accepted has been closed."""
        async with asyncio.timeout(timeout):
            while self.closed < self.connections:
                await asyncio.sleep(0.02)
        return True


# --- routes ---------------------------------------------------------------------------------


async def not_found(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    return await send(w, 404, {"Content-Type": "text/plain"}, b"not found")


async def ok(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    headers = {
        "Content-Type": 'text/html; charset="UTF-8"',
        "ETag": '"v1"',
        "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT",
    }
    return await send(w, 200, headers, "<p>Bonjour, مرحبا</p>".encode())


async def echo(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    body = json.dumps(r.headers).encode()
    return await send(w, 200, {"Content-Type": "application/json"}, body)


async def etag(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    if r.headers.get("if-none-match") == '"v1"':
        return await send(w, 304, {"ETag": '"v1"'}, length=False) or True
    return await send(w, 200, {"ETag": '"v1"', "Content-Type": "text/plain"}, b"fresh")


def encoded(coding: str, body: bytes) -> Handler:
    async def handler(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
        return await send(w, 200, {"Content-Encoding": coding, "Content-Type": "text/plain"}, body)

    return handler


def redirect_to(location: str, status: int = 302) -> Handler:
    async def handler(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
        return await send(w, status, {"Location": location})

    return handler


async def redirect(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    status = int(r.query.get("status", "302"))
    return await send(w, status, {"Location": r.query["to"]})


async def chain(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    n = int(r.path.rsplit("/", 1)[1])
    if n >= 30:
        return await send(w, 200, {"Content-Type": "text/plain"}, b"end of chain")
    return await send(w, 302, {"Location": f"/chain/{n + 1}"})


async def status(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    headers = {"Retry-After": r.query["retry-after"]} if "retry-after" in r.query else {}
    return await send(w, int(r.query["code"]), headers, b"go away")


async def huge(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    """200 MB with no Content-Length: the body ends when the connection does (RFC 9112 §6.3)."""
    await send(w, 200, {"Content-Type": "text/plain", "Connection": "close"}, length=False)
    await _stream_zeros(s, w, 200_000_000)
    return False


async def huge_chunked(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    await send(w, 200, {"Transfer-Encoding": "chunked"}, length=False)
    chunk = b"10000\r\n" + bytes(0x10000) + b"\r\n"
    for _ in range(200_000_000 // 0x10000):
        w.write(chunk)
        s.bytes_sent += len(chunk)
        await w.drain()
    return False


async def _stream_zeros(s: HttpServer, w: asyncio.StreamWriter, total: int) -> None:
    piece = bytes(0x10000)
    for _ in range(total // len(piece)):
        w.write(piece)
        s.bytes_sent += len(piece)
        await w.drain()


async def short_length(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    """`Content-Length: 5` followed by 1 MiB: only the declared 5 bytes are the body."""
    await send(w, 200, {"Content-Length": "5"}, b"hello" + bytes(MiB))
    return False


async def long_length(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    """`Content-Length: 1000`, then 10 bytes and the connection closes."""
    await send(w, 200, {"Content-Length": "1000"}, b"0123456789")
    return False


def bad_length(value: str) -> Handler:
    async def handler(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
        await send(w, 200, {"Content-Length": value}, b"hello")
        return False

    return handler


async def declared_huge(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    await send(w, 200, {"Content-Length": "200000000"}, length=False)
    await _stream_zeros(s, w, 200_000_000)
    return False


async def drip(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    """Headers, then one byte every 0.5 s, forever."""
    await send(w, 200, {"Content-Length": "100000"}, length=False)
    while True:
        w.write(b"x")
        await w.drain()
        await asyncio.sleep(0.5)


async def dribble_headers(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    """The status line, then header bytes one every 0.2 s, forever."""
    w.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while True:
        w.write(b"a")
        await w.drain()
        await asyncio.sleep(0.2)


async def hang(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    """Accept the request and never answer (until the client goes away)."""
    await r.reader.read()
    return False


async def slow(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
    await asyncio.sleep(float(r.query.get("delay", "0.2")))
    return await send(w, 200, {"Content-Type": "text/plain"}, b"slow")


def default_routes() -> dict[str, Handler]:
    text = b"Bonjour " * 100
    return {
        "/ok": ok,
        "/echo": echo,
        "/etag": etag,
        "/gzip": encoded("gzip", gzip.compress(text)),
        "/x-gzip": encoded("x-gzip", gzip.compress(text)),
        "/deflate": encoded("deflate", zlib.compress(text)),
        "/raw-deflate": encoded("deflate", zlib.compress(text, wbits=-15)),
        "/stacked": encoded("deflate, gzip", gzip.compress(zlib.compress(text))),
        "/brotli": encoded("br", b"\x1b\x00"),
        "/bomb": encoded("gzip", gzip_bomb()),
        "/deflate-bomb": encoded("deflate", deflate_bomb()),
        "/double-bomb": encoded("gzip, gzip", double_gzip_bomb()),
        "/huge": huge,
        "/huge-chunked": huge_chunked,
        "/short-length": short_length,
        "/long-length": long_length,
        "/negative-length": bad_length("-5"),
        "/garbage-length": bad_length("abc"),
        "/declared-huge": declared_huge,
        "/drip": drip,
        "/dribble-headers": dribble_headers,
        "/hang": hang,
        "/slow": slow,
        "/loop-a": redirect_to("/loop-b"),
        "/loop-b": redirect_to("/loop-a"),
        "/chain/": chain,
        "/redirect": redirect,
        "/status": status,
    }


# --- the fake resolver ----------------------------------------------------------------------


class FakeResolver:
    """Stands in for `socket.getaddrinfo`: names in `answers` get fake addresses, each call counted.

    An answer is a list of addresses, or a list of such lists consumed one per call (the last one
    repeats), which is how a rebinding DNS server behaves.
    """

    def __init__(self, real: Callable[..., Any]) -> None:
        self._real = real
        self.answers: dict[str, list[list[str]]] = {}
        self.calls: Counter[str] = Counter()

    def add(self, name: str, *answers: list[str] | str) -> None:
        self.answers[name] = [[a] if isinstance(a, str) else a for a in answers]

    def __call__(
        self, host: Any, port: Any, family: int = 0, type: int = 0, proto: int = 0, flags: int = 0
    ) -> list[Any]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.calls[name] += 1
        if name not in self.answers:
            return self._real(host, port, family, type, proto, flags)  # type: ignore[no-any-return]
        queue = self.answers[name]
        if not queue[0]:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        return [_addrinfo(a, int(port or 0)) for a in addresses]


def _addrinfo(address: str, port: int) -> tuple[Any, ...]:
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> FakeResolver:
    fake = FakeResolver(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


# --- servers and fetchers -------------------------------------------------------------------


@contextlib.asynccontextmanager
async def running(tls: ssl.SSLContext | None = None) -> AsyncIterator[HttpServer]:
    server = await HttpServer(tls=tls).start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def server() -> AsyncIterator[HttpServer]:
    """A server the fetcher under test is allowed to reach (its port is in the allowlist)."""
    async with running() as s:
        yield s


@pytest.fixture
async def blocked() -> AsyncIterator[HttpServer]:
    """Another loopback server that is NOT allowlisted: it must never see a request."""
    async with running() as s:
        yield s


def make_policy(*allowed: str, **overrides: Any) -> FetchPolicy:
    defaults: dict[str, Any] = {"timeout": 5.0, "connect_timeout": 2.0, "max_bytes": MiB}
    return FetchPolicy(allow=Allowlist.parse(allowed), **{**defaults, **overrides})


@contextlib.asynccontextmanager
async def fetcher_for(
    *allowed: str, ssl_context: ssl.SSLContext | None = None, **overrides: Any
) -> AsyncIterator[Fetcher]:
    async with Fetcher(make_policy(*allowed, **overrides), ssl_context=ssl_context) as fetcher:
        yield fetcher


@pytest.fixture
async def fetcher(server: HttpServer) -> AsyncIterator[Fetcher]:
    """A fetcher allowed to reach `server` only, with a 1 MiB cap and a 5 s deadline."""
    async with fetcher_for(server.addr) as f:
        yield f


# --- TLS --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self, names: list[str]) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        context.sni_callback = lambda _sock, name, _ctx: names.append(name or "")
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for the name `alaune.test` only (no IP address in it)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=alaune.test", "-addext",
         "subjectAltName=DNS:alaune.test", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return Certificate(cert, key)
