"""The demo outlets on loopback: one threaded HTTP server per outlet, each on its own port.

`DemoOutlets` binds every outlet of the corpus to 127.0.0.1 (OS-assigned ports, or
`base_port + i`), fixes the start time once so feeds are stable between polls, serves each
outlet's `OutletSite` from daemon threads and describes the running outlets as registry entries
(`alaune.model.Outlet`). It only listens on loopback and must never fetch anything; what a page
or feed contains is decided in the site, pages and feeds modules, not here.
"""

from __future__ import annotations

import logging
import socketserver
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from alaune.demo.corpus import Corpus, DemoOutlet, load_corpus
from alaune.demo.entries import build_edition
from alaune.demo.faults import Faults, FaultSwitches, check_faults
from alaune.demo.responses import Response
from alaune.demo.site import OutletSite
from alaune.demo.urls import article_path
from alaune.model import FeedRef, Outlet

HOST = "127.0.0.1"  # loopback only: the demo outlets are never exposed
_POLL_INTERVAL = 0.2  # how soon serve_forever notices stop()
_STREAM_CHUNK = 64 * 1024

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunningOutlet:
    """A demo outlet being served."""

    outlet: DemoOutlet
    base_url: str  # "http://127.0.0.1:port"
    address: str  # "127.0.0.1:port"
    feed_url: str
    feed_kind: str  # rss | atom | jsonfeed | sitemap


class DemoOutlets:
    """Every outlet of a corpus, each served on its own loopback port.

    `now` is the start time to use (aware; default: the clock at `start()`); `faults` maps an
    outlet id to fault switches (see `alaune.demo.faults`).
    """

    def __init__(
        self,
        corpus: Corpus | None = None,
        *,
        base_port: int | None = None,
        now: datetime | None = None,
        faults: Faults | None = None,
    ) -> None:
        if now is not None and now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        self.corpus = corpus if corpus is not None else load_corpus()
        self._base_port = base_port
        self._now = now
        self._faults = check_faults(faults, (o.id for o in self.corpus.outlets))
        self._started_at: datetime | None = None
        self._servers: list[_OutletServer] = []
        self._threads: list[threading.Thread] = []
        self._running: list[RunningOutlet] = []

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> DemoOutlets:
        """Bind every outlet, then serve them all from daemon threads."""
        if self._servers:
            raise RuntimeError("the demo outlets are already started")
        now = self._now if self._now is not None else datetime.now(UTC)
        self._started_at = now.astimezone(UTC).replace(microsecond=0)
        servers = self._bind_all()
        try:
            for server, outlet in zip(servers, self.corpus.outlets, strict=True):
                server.site = self._site_of(server, outlet, self._started_at)
        except BaseException:
            _close(servers)
            raise
        for server in servers:
            self._serve(server)
        return self

    def stop(self) -> None:
        """Stop serving and close every port; safe to call twice."""
        stoppers = [threading.Thread(target=s.shutdown) for s in self._servers]
        for thread in stoppers:
            thread.start()
        for thread in stoppers + self._threads:
            thread.join()
        _close(self._servers)
        self._servers, self._threads, self._running = [], [], []

    def __enter__(self) -> DemoOutlets:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    # --- what is running -------------------------------------------------------------------

    @property
    def started_at(self) -> datetime:
        """The start time (aware UTC): publication times count back from it."""
        if self._started_at is None:
            raise RuntimeError("the demo outlets are not started")
        return self._started_at

    @property
    def outlets(self) -> list[RunningOutlet]:
        self._require_running()
        return list(self._running)

    @property
    def allow(self) -> list[str]:
        """The "127.0.0.1:port" addresses a fetcher must allow to reach the outlets."""
        return [r.address for r in self.outlets]

    def site(self, outlet_id: str) -> OutletSite:
        """The site an outlet serves (for tests that skip the socket); KeyError if unknown."""
        self._require_running()
        return {s.site.edition.outlet.id: s.site for s in self._servers}[outlet_id]

    def url_of(self, article_key: str) -> str:
        """The absolute URL of an article's page."""
        article = self.corpus.article(article_key)
        return self.site(article.outlet).edition.base_url + article_path(article)

    def registry(self) -> list[Outlet]:
        """The running outlets as registry entries, ready to be followed."""
        return [_registry_entry(r) for r in self.outlets]

    # --- internals -------------------------------------------------------------------------

    def _require_running(self) -> None:
        if not self._servers:
            raise RuntimeError("the demo outlets are not started")

    def _bind_all(self) -> list[_OutletServer]:
        servers: list[_OutletServer] = []
        try:
            for i, _ in enumerate(self.corpus.outlets):
                port = 0 if self._base_port is None else self._base_port + i
                servers.append(_OutletServer((HOST, port), _Handler))
        except OSError:
            _close(servers)
            raise
        return servers

    def _site_of(
        self, server: _OutletServer, outlet: DemoOutlet, started_at: datetime
    ) -> OutletSite:
        edition = build_edition(
            self.corpus, outlet.id, base_url=_base_url(server), started_at=started_at
        )
        switches: FaultSwitches = self._faults.get(outlet.id, {})
        return OutletSite(edition, switches)

    def _serve(self, server: _OutletServer) -> None:
        outlet = server.site.edition.outlet
        thread = threading.Thread(
            target=server.serve_forever,
            args=(_POLL_INTERVAL,),
            name=f"demo-{outlet.id}",
            daemon=True,
        )
        thread.start()
        self._servers.append(server)
        self._threads.append(thread)
        base_url = _base_url(server)
        self._running.append(
            RunningOutlet(
                outlet=outlet,
                base_url=base_url,
                address=base_url.removeprefix("http://"),
                feed_url=server.site.edition.feed_url,
                feed_kind=outlet.feed,
            )
        )


def _base_url(server: _OutletServer) -> str:
    return f"http://{HOST}:{server.server_port}"


def _close(servers: list[_OutletServer]) -> None:
    for server in servers:
        server.server_close()


def _registry_entry(running: RunningOutlet) -> Outlet:
    outlet = running.outlet
    return Outlet(
        id=outlet.id,
        name=outlet.name,
        homepage=running.base_url + "/",
        languages=(outlet.language,),
        country=outlet.country,
        feeds=(FeedRef(running.feed_url, running.feed_kind),),
        policy=outlet.policy,
        agency=outlet.agency,
    )


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    site: OutletSite  # set before serve_forever starts

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name (getfqdn), which can stall for seconds
        # on a machine without DNS; the demo knows its name.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.socket.getsockname()[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer (a crawler hitting its own cap or deadline, a test
        # ending) is normal for a news site; anything else is still reported.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _OutletServer
    protocol_version = "HTTP/1.1"  # keep-alive: conditional polls reuse connections
    server_version = "alaune-demo"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection is closed after this many seconds

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, *, with_body: bool) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        response = self.server.site.respond(self.path, headers)
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self._write(response)

    def _write(self, response: Response) -> None:
        """The body, dripped or followed by a stream of zeros when a fault says so (until the
        client hangs up: the `ConnectionError` then ends this thread quietly)."""
        if response.drip > 0:
            for offset in range(len(response.body)):
                self.wfile.write(response.body[offset : offset + 1])
                self.wfile.flush()
                time.sleep(response.drip)
        else:
            self.wfile.write(response.body)
        zeros = bytes(_STREAM_CHUNK)
        for _ in range(0, response.stream, _STREAM_CHUNK):
            self.wfile.write(zeros)
        if response.stream:
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)
