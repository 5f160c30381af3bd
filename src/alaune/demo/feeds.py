"""The listing a demo outlet offers: RSS 2.0, Atom, JSON Feed 1.1 or a Google News sitemap.

Each renderer turns an `Edition` (entries newest first) into the document's bytes, UTF-8, with the
lead image as the format carries it (RSS media:content and enclosure, an Atom enclosure link, the
JSON Feed `image`, a sitemap image:image). Feeds give times in UTC. Pure: no clock, no I/O; the
XML is built with lxml so that every text is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from lxml import etree

from alaune.demo.entries import Edition, Entry
from alaune.demo.images import image_bytes

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
MEDIA = "http://search.yahoo.com/mrss/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: The Content-Type each listing is served with.
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "jsonfeed": "application/feed+json; charset=utf-8",
    "sitemap": "application/xml; charset=utf-8",
}


def render_feed(edition: Edition) -> bytes:
    """The outlet's listing, in the kind its `feed` names."""
    renderers: dict[str, Callable[[Edition], bytes]] = {
        "rss": render_rss,
        "atom": render_atom,
        "jsonfeed": render_jsonfeed,
        "sitemap": render_sitemap,
    }
    return renderers[edition.outlet.feed](edition)


def render_rss(edition: Edition) -> bytes:
    rss = etree.Element("rss", version="2.0", nsmap={"atom": ATOM, "dc": DC, "media": MEDIA})
    channel = _sub(rss, "channel")
    _sub(channel, "title", edition.outlet.name)
    _sub(channel, "link", edition.base_url + "/")
    _sub(channel, "description", edition.outlet.name)
    _sub(channel, "language", edition.outlet.language)
    _sub(channel, "lastBuildDate", _rfc822(edition.updated))
    _sub(channel, f"{{{ATOM}}}link", href=edition.feed_url, rel="self", type="application/rss+xml")
    for entry in edition.entries:
        _rss_item(_sub(channel, "item"), entry)
    return _xml(rss)


def render_atom(edition: Edition) -> bytes:
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    feed.set(XML_LANG, edition.outlet.language)
    _sub(feed, f"{{{ATOM}}}id", edition.base_url + "/")
    _sub(feed, f"{{{ATOM}}}title", edition.outlet.name)
    _sub(feed, f"{{{ATOM}}}updated", _rfc3339(edition.updated))
    _sub(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=edition.base_url + "/")
    _sub(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=edition.feed_url)
    # A feed-level author covers entries without a byline (RFC 4287 4.1.1).
    _sub(_sub(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", edition.outlet.name)
    for entry in edition.entries:
        _atom_entry(_sub(feed, f"{{{ATOM}}}entry"), entry)
    return _xml(feed)


def render_jsonfeed(edition: Edition) -> bytes:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": edition.outlet.name,
        "home_page_url": edition.base_url + "/",
        "feed_url": edition.feed_url,
        "language": edition.outlet.language,
        "items": [_json_item(entry) for entry in edition.entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def render_sitemap(edition: Edition) -> bytes:
    urlset = etree.Element(
        f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP, "news": NEWS, "image": IMAGE}
    )
    for entry in edition.entries:
        url = _sub(urlset, f"{{{SITEMAP}}}url")
        _sub(url, f"{{{SITEMAP}}}loc", entry.url)
        _sub(url, f"{{{SITEMAP}}}lastmod", entry.published.isoformat())
        news = _sub(url, f"{{{NEWS}}}news")
        publication = _sub(news, f"{{{NEWS}}}publication")
        _sub(publication, f"{{{NEWS}}}name", edition.outlet.name)
        _sub(publication, f"{{{NEWS}}}language", edition.outlet.language)
        _sub(news, f"{{{NEWS}}}publication_date", entry.published.isoformat())
        _sub(news, f"{{{NEWS}}}title", entry.article.title)
        _sub(_sub(url, f"{{{IMAGE}}}image"), f"{{{IMAGE}}}loc", entry.image_url)
    return _xml(urlset)


def _rss_item(item: Any, entry: Entry) -> None:
    article = entry.article
    _sub(item, "title", article.title)
    _sub(item, "link", entry.url)
    _sub(item, "guid", entry.url, isPermaLink="true")
    _sub(item, "pubDate", _rfc822(entry.published))
    if article.author:
        _sub(item, f"{{{DC}}}creator", article.author)
    _sub(item, "category", article.section)
    _sub(item, "description", article.lead)
    image = entry.image
    _sub(
        item,
        "enclosure",
        url=entry.image_url,
        type=image.media_type,
        length=str(len(image_bytes(image))),
    )
    _sub(
        item,
        f"{{{MEDIA}}}content",
        url=entry.image_url,
        type=image.media_type,
        medium="image",
        width=str(image.width),
        height=str(image.height),
    )


def _atom_entry(node: Any, entry: Entry) -> None:
    article = entry.article
    _sub(node, f"{{{ATOM}}}id", entry.url)
    _sub(node, f"{{{ATOM}}}title", article.title)
    _sub(node, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=entry.url)
    _sub(node, f"{{{ATOM}}}published", _rfc3339(entry.published))
    _sub(node, f"{{{ATOM}}}updated", _rfc3339(entry.published))
    if article.author:
        _sub(_sub(node, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", article.author)
    _sub(node, f"{{{ATOM}}}category", term=article.section)
    _sub(node, f"{{{ATOM}}}summary", article.lead, type="text")
    _sub(
        node,
        f"{{{ATOM}}}link",
        rel="enclosure",
        type=entry.image.media_type,
        href=entry.image_url,
        length=str(len(image_bytes(entry.image))),
    )


def _json_item(entry: Entry) -> dict[str, Any]:
    article = entry.article
    item: dict[str, Any] = {
        "id": entry.url,
        "url": entry.url,
        "title": article.title,
        "summary": article.lead,
        "content_text": article.lead,
        "image": entry.image_url,
        "date_published": _rfc3339(entry.published),
        "tags": [article.section],
        "language": article.language,
    }
    if article.author:
        item["authors"] = [{"name": article.author}]
    return item


def _sub(parent: Any, tag: str, text: str | None = None, **attributes: str) -> Any:
    node = etree.SubElement(parent, tag, attributes)
    if text is not None:
        node.text = text
    return node


def _xml(root: Any) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return data


def _rfc822(moment: datetime) -> str:
    """As RSS 2.0 writes dates (RFC 822, here in GMT)."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _rfc3339(moment: datetime) -> str:
    """UTC with a "Z", as RFC 3339 (Atom, JSON Feed) writes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
