"""Feed discovery from what a site serves: its homepage, its robots.txt, and common feed paths.

Pure functions over bytes a caller fetched (`alaune sources add` fetches through alaune.fetch):
`read_homepage` finds `<link rel="alternate">` feeds (RSS, Atom, JSON Feed), the site's name and
language; `robots_sitemaps` reads `Sitemap:` lines; `guesses` lists the paths sites commonly use;
`sniff` says whether a fetched body is a feed or a sitemap, and `is_news_sitemap` whether a
sitemap is a Google News one. Candidates naming non-public addresses are dropped here, before
anything fetches them. This module must not fetch, and must not import alaune.fetch.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from alaune.sources.urls import UrlRefused, check_url

MAX_HTML = 5 * 1024 * 1024
MAX_ROBOTS_LINES = 2_000
LINK_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "jsonfeed",
    "application/json": "jsonfeed",
    "application/rdf+xml": "rss",
}
# The paths most sites serve a feed or a news sitemap at (WordPress, Drupal, Arc XP, Hugo…).
COMMON_PATHS = (
    "/feed",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
    "/sitemap-news.xml",
    "/news-sitemap.xml",
)
# WordPress advertises its comments feed beside the posts feed; we want articles, not comments.
_COMMENTS = re.compile(r"comments?|commentaires|تعليقات", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+[|–—:-]\s+|\s+-\s+")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A URL that may be a feed: where we heard of it (link, robots, guess) and what it claims."""

    url: str
    kind: str  # rss | atom | jsonfeed | sitemap | auto (unknown until fetched)
    source: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Homepage:
    """What a homepage says about its site."""

    name: str
    language: str
    candidates: tuple[Candidate, ...]


def read_homepage(
    body: bytes, *, base_url: str, charset: str | None = None, allow: Collection[str] = ()
) -> Homepage:
    """The site name, main language and advertised feeds of a homepage.

    `charset` is the one the response's Content-Type declared, if any.
    """
    body = body[:MAX_HTML]
    parser = lxml.html.HTMLParser(encoding=_encoding(body, charset))
    try:
        doc = lxml.html.document_fromstring(body, parser=parser)
    except (etree.ParserError, ValueError):
        return Homepage("", "", ())
    base = _base(doc, base_url)
    candidates = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = LINK_TYPES.get((link.get("type") or "").split(";")[0].strip().lower())
        href, title = link.get("href") or "", (link.get("title") or "").strip()
        if "alternate" not in rel or kind is None or not href or _COMMENTS.search(href + title):
            continue
        url = _public(urljoin(base, href.strip()), allow)
        if url is not None:
            candidates.append(Candidate(url, kind, "link", title[:200]))
    return Homepage(_name(doc), _language(doc), tuple(_unique(candidates)))


def robots_sitemaps(text: str, *, allow: Collection[str] = ()) -> list[Candidate]:
    """The `Sitemap:` URLs of a robots.txt (absolute by RFC 9309 §2.3.5)."""
    found = []
    for line in text.splitlines()[:MAX_ROBOTS_LINES]:
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap":
            url = _public(value.split("#", 1)[0].strip(), allow)
            if url is not None:
                found.append(Candidate(url, "sitemap", "robots"))
    return _unique(found)


def guesses(homepage: str, *, allow: Collection[str] = ()) -> list[Candidate]:
    """The common feed paths at the homepage's origin, to try when nothing is advertised."""
    parts = urlsplit(homepage)
    origin = f"{parts.scheme}://{parts.netloc}"
    urls = (_public(origin + path, allow) for path in COMMON_PATHS)
    return [Candidate(url, "auto", "guess") for url in urls if url is not None]


def sniff(body: bytes) -> str | None:
    """rss, atom, jsonfeed or sitemap when `body` is one, else None (an HTML page, an error)."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        try:
            version = json.loads(body.decode("utf-8")).get("version", "")
        except (ValueError, UnicodeDecodeError, AttributeError):
            return None
        return "jsonfeed" if str(version).startswith("https://jsonfeed.org/version/") else None
    lowered = head.lower()
    if not lowered.startswith(b"<") or b"<html" in lowered:
        return None
    for marker, kind in ((b"<rss", "rss"), (b"<rdf:rdf", "rss"), (b"<feed", "atom")):
        if marker in lowered:
            return kind
    if b"<urlset" in lowered or b"<sitemapindex" in lowered:
        return "sitemap"
    return None


def is_news_sitemap(url: str, body: bytes) -> bool:
    """A Google News sitemap (recent articles), or an index of them, rather than a site map."""
    return b"sitemap-news" in body[:8192] or "news" in urlsplit(url).path.lower()


def is_comments_feed(url: str, title: str) -> bool:
    return bool(_COMMENTS.search(url + " " + title))


def _encoding(body: bytes, declared: str | None) -> str | None:
    """The encoding to read the page in; None lets libxml2 follow the page's <meta charset>."""
    if declared:
        try:
            return codecs.lookup(declared).name
        except LookupError:
            pass
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # libxml2 reads an undeclared page as Latin-1, which garbles every Arabic page served
        # as UTF-8 without a charset; a body cut at the cap may end inside a character.
        return "utf-8" if exc.start >= len(body) - 3 else None
    return "utf-8"


def _base(doc: lxml.html.HtmlElement, base_url: str) -> str:
    for element in doc.iter("base"):
        href = element.get("href")
        if href:
            return urljoin(base_url, str(href).strip())
    return base_url


def _name(doc: lxml.html.HtmlElement) -> str:
    for meta in doc.iter("meta"):
        if (meta.get("property") or "").lower() == "og:site_name" and meta.get("content"):
            return str(meta.get("content")).strip()[:200]
    title = doc.find(".//title")
    text = " ".join((title.text_content() if title is not None else "").split())
    return _TITLE_SEPARATORS.split(text, maxsplit=1)[0][:200]


def _language(doc: lxml.html.HtmlElement) -> str:
    lang = str(doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang") or "")
    for meta in doc.iter("meta"):
        if not lang and (meta.get("property") or "").lower() == "og:locale":
            lang = meta.get("content") or ""
    return re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]


def _public(url: str, allow: Collection[str]) -> str | None:
    try:
        return check_url(url, allow=allow)
    except UrlRefused:
        return None


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    kept = []
    for candidate in candidates:
        if candidate.url.rstrip("/") not in seen:
            seen.add(candidate.url.rstrip("/"))
            kept.append(candidate)
    return kept
