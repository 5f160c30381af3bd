"""Section pages (an outlet's "Économie" or "رياضة" page): links to articles found in HTML.

An outlet's registry entry can give regular expressions that a link must match (`include`) or
must not (`exclude`), searched in the absolute URL. Without `include`, a link is taken for an
article when its path looks like one: a slug of three or more words, a long number, or a page
ending in .html. Links are resolved against the page (and its `<base href>` when http(s)), kept
on the page's site unless told otherwise (its `www.`, `m.` and `amp.` editions are one site),
and deduplicated by canonical URL.

lxml's HTML parser never loads anything; this module does no I/O and runs no script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from alaune.parse.items import Context, RawItem, finish, plain
from alaune.parse.limits import MAX_ITEMS, MAX_TITLE
from alaune.parse.result import ListingError, ParsedFeed, ParsedItem
from alaune.text.urls import absolute_http_url, canonical_url

_ARTICLE_PATH = re.compile(
    r"/[^/?#]*\w+-\w+-\w+[^/?#]*/?$|/[^/?#]*\d{4,}[^/?#]*/?(?:$|\?)|\.s?html?$", re.UNICODE
)
_NOT_ARTICLE = re.compile(
    r"/(?:tag|tags|category|categories|categorie|author|auteur|page|search|recherche|login|"
    r"account|compte|wp-content|feed|rss)(?:/|$)|\.(?:jpe?g|png|gif|webp|svg|pdf|xml|css|js|zip)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SectionRules:
    """How to pick article links out of an outlet's section pages (from its registry entry)."""

    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    same_host: bool = True
    _compiled: tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        compiled = (
            tuple(re.compile(p) for p in self.include),
            tuple(re.compile(p) for p in self.exclude),
        )
        object.__setattr__(self, "_compiled", compiled)

    def wants(self, url: str) -> bool:
        include, exclude = self._compiled
        if any(p.search(url) for p in exclude):
            return False
        if include:
            return any(p.search(url) for p in include)
        path = urlsplit(url).path
        return bool(_ARTICLE_PATH.search(path)) and not _NOT_ARTICLE.search(path)


def parse_section(document: bytes, *, ctx: Context, rules: SectionRules) -> ParsedFeed:
    """Article links of an HTML page (UTF-8 bytes), in page order. Raises ListingError."""
    try:
        root = lxml.html.document_fromstring(document, parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise ListingError("not_a_feed", f"not a feed: unreadable HTML ({exc})") from None
    base = _base(root, ctx.base_url)
    found: dict[str, ParsedItem] = {}
    for anchor in root.iter("a"):
        url = absolute_http_url(anchor.get("href", ""), base)
        if url is None or not _allowed(url, base, rules):
            continue
        key = canonical_url(url)
        if key in found and found[key].title:
            continue
        # The anchor's text is already text: escaped, so `finish` reads "x<y" as text, not a tag.
        title = html.escape(_anchor_text(anchor))
        item = finish(RawItem(link=url, title=title), ctx)
        if isinstance(item, ParsedItem):
            found[key] = item
        if len(found) >= MAX_ITEMS:
            break
    title = root.findtext(".//title") or ""
    return ParsedFeed(
        format="html", title=plain(title, MAX_TITLE), link=base, items=tuple(found.values())
    )


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)


def _base(root: lxml.html.HtmlElement, page_url: str) -> str:
    for node in root.iter("base"):
        href = absolute_http_url(node.get("href", ""), page_url)
        if href:
            return href
    if not page_url:
        # A saved page read without its URL (parse-feed on a file) still names itself.
        for node in root.iter("link"):
            if "canonical" in (node.get("rel") or "").lower().split():
                return absolute_http_url(node.get("href", "")) or ""
    return page_url


def _allowed(url: str, base: str, rules: SectionRules) -> bool:
    if rules.same_host and _host(url) != _host(base):
        return False
    return rules.wants(url)


def _host(url: str) -> str:
    """The site of a URL, its www., m. and amp. editions folded as canonical URLs fold them."""
    try:
        return urlsplit(canonical_url(url)).netloc
    except ValueError:
        return ""


def _anchor_text(anchor: lxml.html.HtmlElement) -> str:
    text = " ".join(anchor.text_content().split())
    if text:
        return text
    for image in anchor.iter("img"):
        if image.get("alt"):
            return str(image.get("alt"))
    return str(anchor.get("title") or "")
