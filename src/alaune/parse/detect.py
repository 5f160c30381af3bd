"""Recognise a listing's format from its text, then hand it to the right parser.

The format is always sniffed from the document: an outlet's declared kind is a hint that can be
out of date (feeds move from RSS to Atom; a feed URL may start answering with an HTML page). HTML
is read as a section page only when the caller allows it: for a feed URL, an HTML answer is
"not a feed", not a page to harvest links from.

Bytes in, always: these functions must never be handed, or hand on, a path or a URL.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from alaune.model import FeedItem
from alaune.parse.charset import as_utf8_xml, decode
from alaune.parse.feeds import parse_feed
from alaune.parse.items import Context
from alaune.parse.jsonfeed import parse_jsonfeed
from alaune.parse.limits import check_size, gunzip, strip_doctype_text
from alaune.parse.result import ListingError, ParsedFeed
from alaune.parse.sections import SectionRules, parse_section
from alaune.parse.sitemaps import parse_sitemap

_MARKUP = re.compile(r"<(?:!--.*?-->|\?.*?\?>|![^>]*>|([A-Za-z_][\w.:-]*))", re.DOTALL)
_ROOTS = {
    "rss": "rss",
    "channel": "rss",  # some RSS 0.9x documents start at <channel>
    "rdf": "rdf",
    "feed": "atom",
    "urlset": "sitemap",
    "sitemapindex": "sitemapindex",
    "html": "html",
    "head": "html",
    "body": "html",
}
SECTION_KINDS = frozenset({"html", "section"})


def sniff(text: str) -> str:
    """The format of a document's text, "xml" for an unknown root element, "" for no markup."""
    head = text[:8192].lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return "jsonfeed"
    for match in _MARKUP.finditer(head):
        if match.group(0)[:9].lower() == "<!doctype" and "html" in match.group(0).lower():
            return "html"
        if match.group(1):
            return _ROOTS.get(match.group(1).rsplit(":", 1)[-1].lower(), "xml")
    return ""


def parse_document(
    data: bytes,
    *,
    now: datetime,
    url: str = "",
    charset: str = "",
    allow_html: bool = True,
    rules: SectionRules | None = None,
    backend: str = "",
) -> ParsedFeed:
    """Parse a feed, sitemap or section page given as bytes. Raises ListingError.

    `url` is where the document came from (the base for relative links), `now` the fetch time,
    `charset` the one named by the HTTP Content-Type header, if any.
    """
    check_size(data)
    decoded = decode(gunzip(data), declared=charset)
    text = strip_doctype_text(decoded.text)
    # The bytes the text was decoded from, when they are its UTF-8 encoding as is.
    encoded = decoded.utf8 if text is decoded.text else None
    fmt = sniff(text)
    ctx = Context(base_url=url, now=now, damaged=decoded.damaged)
    if fmt == "jsonfeed":
        parsed = parse_jsonfeed(text, ctx=ctx)
    elif fmt in ("sitemap", "sitemapindex"):
        parsed = parse_sitemap(as_utf8_xml(text, encoded=encoded), ctx=ctx)
    elif fmt == "html" and allow_html:
        page = encoded if encoded is not None else text.encode()
        parsed = parse_section(page, ctx=ctx, rules=rules or SectionRules())
    elif fmt in ("rss", "rdf", "atom", "xml"):
        xml = as_utf8_xml(text, encoded=encoded)
        parsed = parse_feed(xml, fmt=_feed_format(fmt), ctx=ctx, backend_name=backend)
    else:
        raise ListingError("not_a_feed", f"not a feed: {_describe(fmt, text)}")
    return replace(parsed, encoding=decoded.encoding)


def parse_listing(
    data: bytes, *, kind: str, base_url: str, now: datetime, charset: str = ""
) -> list[FeedItem]:
    """The article items of a listing, for the crawler. Raises ParseError (ListingError).

    `kind` is the outlet's declared kind ("rss", "atom", "jsonfeed", "sitemap", "html", "auto");
    only "html"/"section" listings may be HTML pages. Entries rejected for bad encoding, and
    entries without a safe link, are left out; `parse_document` reports them.
    """
    parsed = parse_document(
        data, now=now, url=base_url, charset=charset, allow_html=kind in SECTION_KINDS
    )
    if parsed.format == "sitemapindex":
        raise ListingError(
            "parse_error",
            "sitemap index: follow its sitemaps (parse_document, then sitemaps_to_follow)",
        )
    return parsed.feed_items()


def _feed_format(fmt: str) -> str:
    # An unknown root element is handed to the feed parser, which salvages what it can (C3).
    return "rss" if fmt == "xml" else fmt


def _describe(fmt: str, text: str) -> str:
    if fmt == "html":
        return "an HTML page"
    if not text.strip():
        return "empty document"
    return "no feed elements found"
