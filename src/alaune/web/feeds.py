"""RSS 2.0 and Atom (RFC 4287) documents for any listing: home, story, outlet, category, search.

lxml builds the tree, so every text is escaped by the serializer, never by hand, and no CDATA
section exists for a `]]>` to close (SECURITY.md D7). Characters XML 1.0 cannot carry (C0
controls but tab and newlines, U+FFFE/U+FFFF, lone surrogates) are dropped first; bidi marks are
legal XML and stay in text, and are stripped from links (D8).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree
from starlette.responses import Response

from alaune.web.links import clean_url

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MEDIA_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/F)."""
    return _NOT_XML.sub("", value)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str  # our page for the entry: link and id
    title: str
    summary: str
    published: datetime
    updated: datetime
    author: str = ""
    category: str = ""
    language: str = ""


@dataclass(frozen=True, slots=True)
class FeedDocument:
    title: str
    page_url: str  # the HTML page this feed mirrors
    self_url: str
    description: str
    language: str
    entries: Sequence[FeedEntry]

    @property
    def updated(self) -> datetime:
        return max((e.updated for e in self.entries), default=_EPOCH)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def rss(doc: FeedDocument) -> bytes:
    root = etree.Element("rss", version="2.0", nsmap={"atom": ATOM_NS, "dc": DC_NS})
    channel = _sub(root, "channel")
    _sub(channel, "title", doc.title)
    _sub(channel, "link", clean_url(doc.page_url))
    _sub(channel, "description", doc.description)
    _sub(channel, "language", doc.language)
    _sub(channel, "lastBuildDate", format_datetime(doc.updated.astimezone(UTC), usegmt=True))
    _sub(channel, "generator", "alaune")
    _sub(
        channel,
        f"{{{ATOM_NS}}}link",
        href=clean_url(doc.self_url),
        rel="self",
        type="application/rss+xml",
    )
    for entry in doc.entries:
        item = _sub(channel, "item")
        _sub(item, "title", entry.title)
        _sub(item, "link", clean_url(entry.url))
        _sub(item, "guid", clean_url(entry.url), isPermaLink="true")
        _sub(item, "pubDate", format_datetime(entry.published.astimezone(UTC), usegmt=True))
        _sub(item, "description", entry.summary)
        if entry.category:
            _sub(item, "category", entry.category)
        if entry.author:
            # RSS <author> must be an e-mail address; Dublin Core's creator takes a name.
            _sub(item, f"{{{DC_NS}}}creator", entry.author)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def atom(doc: FeedDocument) -> bytes:
    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", doc.language)
    _sub(root, f"{{{ATOM_NS}}}id", clean_url(doc.self_url))
    _sub(root, f"{{{ATOM_NS}}}title", doc.title)
    _sub(root, f"{{{ATOM_NS}}}subtitle", doc.description)
    _sub(root, f"{{{ATOM_NS}}}updated", doc.updated.astimezone(UTC).isoformat())
    _sub(root, f"{{{ATOM_NS}}}link", href=clean_url(doc.self_url), rel="self")
    _sub(
        root, f"{{{ATOM_NS}}}link", href=clean_url(doc.page_url), rel="alternate", type="text/html"
    )
    _sub(root, f"{{{ATOM_NS}}}generator", "alaune")
    author = _sub(root, f"{{{ATOM_NS}}}author")
    _sub(author, f"{{{ATOM_NS}}}name", "alaune")
    for entry in doc.entries:
        node = _sub(root, f"{{{ATOM_NS}}}entry")
        if entry.language:
            node.set("{http://www.w3.org/XML/1998/namespace}lang", xml_text(entry.language))
        _sub(node, f"{{{ATOM_NS}}}id", clean_url(entry.url))
        _sub(node, f"{{{ATOM_NS}}}title", entry.title, type="text")
        _sub(node, f"{{{ATOM_NS}}}link", href=clean_url(entry.url), rel="alternate")
        _sub(node, f"{{{ATOM_NS}}}published", entry.published.astimezone(UTC).isoformat())
        _sub(node, f"{{{ATOM_NS}}}updated", entry.updated.astimezone(UTC).isoformat())
        _sub(node, f"{{{ATOM_NS}}}summary", entry.summary, type="text")
        if entry.author:
            _sub(_sub(node, f"{{{ATOM_NS}}}author"), f"{{{ATOM_NS}}}name", entry.author)
        if entry.category:
            _sub(node, f"{{{ATOM_NS}}}category", term=entry.category)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def feed_response(doc: FeedDocument, kind: str) -> Response:
    body = rss(doc) if kind == "rss" else atom(doc)
    return Response(body, media_type=MEDIA_TYPES[kind])
