"""A tiny loopback site whose feeds and pages a test rewrites between crawls.

`FeedSite` serves `routes` (path → `Page`) from a thread, with ETag/If-None-Match so that
conditional polls answer 304, and counts requests per path. `rss(items)` writes an RSS 2.0
feed; `article(title)` an HTML page with enough text for extraction; `illustrated(title, *srcs)`
one with a lead picture, inline figures and picture furniture; `picture` an image response.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from PIL import Image


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class FeedSite:
    routes: dict[str, Page | Callable[[], Page]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    conditional: Counter[str] = field(default_factory=Counter)  # requests with If-None-Match
    _server: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def addr(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def __enter__(self) -> FeedSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                site.hits[path] += 1
                route = site.routes.get(path)
                page = route() if callable(route) else route
                if page is None:
                    page = Page(b"not found", "text/plain", 404)
                tag = '"' + hashlib.sha256(page.body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match"):
                    site.conditional[path] += 1
                if page.status == 200 and self.headers.get("If-None-Match") == tag:
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                if page.status == 200:
                    self.send_header("ETag", tag)
                for name, value in page.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


def rss(*items: tuple[str, str, str]) -> Page:
    """An RSS 2.0 feed of (link, guid, title) items."""
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<guid isPermaLink='false'>{escape(guid)}</guid>"
        "<pubDate>Sun, 29 Nov 2026 07:00:00 GMT</pubDate></item>"
        for link, guid, title in items
    )
    body = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Test</title><link>http://example.test/</link>{entries}</channel></rss>"
    )
    return Page(body.encode(), "application/rss+xml")


def article(title: str) -> Page:
    """A news page that extraction reads as `title` with a few paragraphs of text."""
    paragraphs = "".join(
        f"<p>{escape(title)} — paragraphe {i}: le conseil régional a présenté son plan, "
        "les élus ont débattu des financements et des délais annoncés pour les travaux.</p>"
        for i in range(6)
    )
    body = (
        f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title></head><body><article><h1>{escape(title)}</h1>{paragraphs}</article>"
        "</body></html>"
    )
    return Page(body.encode())


TEXT = (
    "Le port de Tanger Med a traité un volume record de conteneurs cette année, selon "
    "l'autorité portuaire, qui prévoit d'agrandir encore ses quais d'ici deux ans ({})."
)


def picture(fmt: str, colour: tuple[int, int, int]) -> Page:
    out = io.BytesIO()
    Image.new("RGB", (320, 180), colour).save(out, format=fmt)
    return Page(out.getvalue(), f"image/{fmt.lower()}")


def illustrated(title: str, *inline: str) -> Page:
    """A demo-like article: a lead picture, `inline` figures between its paragraphs, and the
    furniture a page has around them (logo, a linked "lire aussi" thumbnail, a footer)."""
    figures = [
        f"<figure><img src='{src}'><figcaption>{src}</figcaption></figure>" for src in inline
    ]
    body = f"<p>{TEXT.format(0)}</p>"
    for i, figure in enumerate(figures, start=1):
        body += f"{figure}<p>{TEXT.format(i)}</p>"
    body += "<aside><a href='/b'><img src='/img/thumb.jpg'></a> <a href='/b'>Lire aussi</a></aside>"
    body += f"<p>{TEXT.format(99)}</p>"
    html = (
        f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title>"
        "<meta property='og:image' content='/img/lead.jpg'></head><body>"
        "<header><img src='/img/logo.png' alt='logo'></header>"
        f"<article><h1>{title}</h1><figure><img src='/img/lead.jpg'></figure>{body}</article>"
        "<footer><img src='/img/footer.png'></footer></body></html>"
    )
    return Page(html.encode())
