"""Google News sitemaps and plain sitemaps, with lxml configured never to resolve anything.

A sitemap index is returned as items whose URLs are sitemaps (the caller decides whether to
follow them); loops and depth are the caller's to bound (C7).
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from alaune.errors import ParseError
from alaune.model import FeedItem
from alaune.parse.limits import MAX_ITEMS, MAX_TITLE, clamp_date, clip, strip_doctype
from alaune.text.urls import absolute_http_url

_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )


def parse_sitemap(data: bytes, *, base_url: str, now: datetime) -> list[FeedItem]:
    try:
        root = etree.fromstring(strip_doctype(data), parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"invalid sitemap: {exc}") from None
    if root is None or etree.QName(root).localname not in {"urlset", "sitemapindex"}:
        raise ParseError("not a sitemap: no <urlset> or <sitemapindex>")
    items = []
    for node in root.iterfind("sm:url", _NS):
        item = _item(node, base_url=base_url, now=now)
        if item is not None:
            items.append(item)
        if len(items) >= MAX_ITEMS:
            break
    return items


def _item(node: etree._Element, *, base_url: str, now: datetime) -> FeedItem | None:
    url = absolute_http_url(node.findtext("sm:loc", "", _NS), base_url)
    if url is None:
        return None
    published = node.findtext("news:news/news:publication_date", "", _NS) or node.findtext(
        "sm:lastmod", "", _NS
    )
    image = node.findtext("image:image/image:loc", "", _NS)
    return FeedItem(
        url=url,
        title=clip(node.findtext("news:news/news:title", "", _NS), MAX_TITLE),
        published=clamp_date(_date(published), now=now),
        image_url=absolute_http_url(image, base_url) or "" if image else "",
    )


def _date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
