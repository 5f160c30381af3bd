"""Choose the parser for a listing by its declared kind, or by sniffing its first bytes."""

from __future__ import annotations

from datetime import datetime

from alaune.model import FeedItem
from alaune.parse.feeds import parse_feed
from alaune.parse.jsonfeed import parse_jsonfeed
from alaune.parse.sitemaps import parse_sitemap


def sniff(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        return "jsonfeed"
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    return "rss"


def parse_listing(data: bytes, *, kind: str, base_url: str, now: datetime) -> list[FeedItem]:
    """Items of a feed or sitemap; `kind` "auto" sniffs. Raises ParseError."""
    actual = sniff(data) if kind == "auto" else kind
    if actual == "jsonfeed":
        return parse_jsonfeed(data, base_url=base_url, now=now)
    if actual == "sitemap":
        return parse_sitemap(data, base_url=base_url, now=now)
    return parse_feed(data, base_url=base_url, now=now)
