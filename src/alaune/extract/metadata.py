"""Metadata a page states about itself: title, lead, authors, dates, canonical URL, lead image.

Read from `<meta>` tags (Open Graph, Twitter, Dublin Core, article:*), JSON-LD (schema.org
Article types, also inside `@graph`), `<link rel=canonical>`, `rel=author` links, `<time>` and
the first `<figure>` image, all from one lxml tree. Dates are read with `alaune.text.dates` and
kept per source, unreconciled: `alaune.extract.dates` decides which one to trust. URLs are made
absolute and kept only when http(s).

Pure: nothing is resolved or fetched, and the tree is only read, never changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from alaune.text.dates import read_date
from alaune.text.sanitize import html_to_text
from alaune.text.urls import absolute_http_url

MAX_FIELD = 1_000
MAX_AUTHORS = 10
_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
     "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
     "webpage", "socialmediaposting"}
)  # fmt: skip
# Meta names some CMSs use for the publication time, after the Open Graph one (article:*).
_PUBLISHED_NAMES = (
    "article:published_time", "og:published_time", "datepublished", "publishdate",
    "publish-date", "pubdate", "date", "dc.date", "dc.date.issued", "dcterms.created",
    "parsely-pub-date", "sailthru.date",
)  # fmt: skip
_MODIFIED_NAMES = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")
_IMAGE_NAMES = (
    "og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src",
)  # fmt: skip
# The only meta tags read: pages carry dozens (verification codes, app links, pixels…).
_WANTED = frozenset(
    {"og:title", "twitter:title", "og:site_name", "og:description", "description", "author",
     "og:url", "og:locale", *_PUBLISHED_NAMES, *_MODIFIED_NAMES, *_IMAGE_NAMES}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str = ""
    site_name: str = ""
    description: str = ""
    authors: tuple[str, ...] = ()
    # (source, time) for every statement of the publication time: "json-ld", "meta", "time".
    published: tuple[tuple[str, datetime], ...] = ()
    modified: datetime | None = None
    canonical_url: str = ""
    image_url: str = ""
    language: str = ""  # as the page declares it (<html lang>), not detected


def read_meta(tree: Any, *, url: str) -> PageMeta:
    """Everything the page says about itself; empty fields where it says nothing usable."""
    meta: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        if key in _WANTED and key not in meta:  # the first statement wins, as browsers do
            meta[key] = _clean(node.get("content") or "")
    ld = _json_ld(tree)
    return PageMeta(
        title=_title(tree, meta, ld),
        site_name=meta.get("og:site_name", ""),
        description=meta.get("og:description")
        or meta.get("description")
        or _ld_text(ld, "description"),
        authors=_authors(tree, meta, ld),
        published=_published(tree, meta, ld),
        modified=_first_date(
            [*(meta.get(n) for n in _MODIFIED_NAMES), _ld_text(ld, "dateModified")]
        ),
        canonical_url=_canonical(tree, meta, url),
        image_url=_image(tree, meta, ld, url),
        language=(tree.get("lang") or meta.get("og:locale", "") or "")[:2].lower(),
    )


def _clean(value: str) -> str:
    return html_to_text(value[:MAX_FIELD])


def _title(tree: Any, meta: dict[str, str], ld: dict[str, Any]) -> str:
    title = meta.get("og:title") or meta.get("twitter:title") or _ld_text(ld, "headline")
    if title:
        return title
    heading = next(iter(tree.iter("h1")), None)
    if heading is not None and heading.text_content().strip():
        return _clean(heading.text_content())
    node = next(iter(tree.iter("title")), None)
    return _clean(node.text_content()) if node is not None else ""


def _authors(tree: Any, meta: dict[str, str], ld: dict[str, Any]) -> tuple[str, ...]:
    """Person names: JSON-LD first, then `<meta name=author>`, then `rel=author` links."""
    names = _ld_people(ld.get("author"))
    if not names and meta.get("author"):
        names = [meta["author"]]
    if not names:
        names = [_clean(a.text_content()) for a in tree.iter("a") if a.get("rel") == "author"]
    site = meta.get("og:site_name", "").casefold()
    kept: list[str] = []
    for name in names:
        # A URL (article:author often is one) or the outlet itself is not an author.
        if name and "://" not in name and name.casefold() != site and name not in kept:
            kept.append(name[:300])
    return tuple(kept[:MAX_AUTHORS])


def _ld_people(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items[:MAX_AUTHORS]:
        if isinstance(item, str):
            names.append(_clean(item))
        elif isinstance(item, dict) and item.get("@type", "Person") == "Person":
            names.append(_clean(str(item.get("name", ""))))
    return names


def _published(
    tree: Any, meta: dict[str, str], ld: dict[str, Any]
) -> tuple[tuple[str, datetime], ...]:
    found: list[tuple[str, datetime]] = []
    sources: tuple[tuple[str, list[str | None]], ...] = (
        ("json-ld", [_ld_text(ld, "datePublished"), _ld_text(ld, "dateCreated")]),
        ("meta", [meta.get(name) for name in _PUBLISHED_NAMES]),
        ("time", [_time_element(tree)]),
    )
    for source, values in sources:
        moment = _first_date(values)
        if moment is not None:
            found.append((source, moment))
    return tuple(found)


def _time_element(tree: Any) -> str:
    """The `<time>` that marks the publication: one flagged as such, else the first one."""
    times = [t for t in tree.iter("time") if t.get("datetime")]
    flagged = [
        t
        for t in times
        if t.get("pubdate") is not None
        or t.get("itemprop") == "datePublished"
        or "publi" in (t.get("class") or "")
    ]
    chosen = (flagged or times or [None])[0]
    return chosen.get("datetime", "") if chosen is not None else ""


def _first_date(values: list[str | None]) -> datetime | None:
    for value in values:
        moment = read_date(value) if value else None
        if moment is not None:
            return moment
    return None


def _canonical(tree: Any, meta: dict[str, str], url: str) -> str:
    for node in tree.iter("link"):
        if "canonical" in (node.get("rel") or "").lower().split():
            return absolute_http_url(node.get("href", ""), url) or ""
    return absolute_http_url(meta.get("og:url", ""), url) or "" if meta.get("og:url") else ""


def _image(tree: Any, meta: dict[str, str], ld: dict[str, Any], url: str) -> str:
    """og:image, then twitter:image, then JSON-LD image, then the first `<figure>`'s picture."""
    candidates = [*(meta.get(name) for name in _IMAGE_NAMES), _ld_image(ld.get("image"))]
    for figure in tree.iter("figure"):
        image = next(iter(figure.iter("img")), None)
        if image is not None:
            candidates.append(image.get("src") or image.get("data-src"))
            break
    for value in candidates:
        resolved = absolute_http_url(value.strip(), url) if value else None
        if resolved:
            return resolved
    return ""


def _ld_image(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or ""
    return value if isinstance(value, str) else ""


def _ld_text(ld: dict[str, Any], key: str) -> str:
    value = ld.get(key)
    return _clean(value) if isinstance(value, str) else ""


def _json_ld(tree: Any) -> dict[str, Any]:
    """The page's schema.org article object (from a list or `@graph` too), else the first object."""
    first: dict[str, Any] = {}
    for node in tree.iter("script"):
        if (node.get("type") or "").lower() != "application/ld+json" or not node.text:
            continue
        try:
            data = json.loads(node.text)
        except ValueError:
            continue
        for item in _objects(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            lowered = {str(k).lower() for k in kinds}
            # A bare WebPage is the article only when it carries the article's headline.
            if lowered & _ARTICLE_TYPES and ("webpage" not in lowered or "headline" in item):
                return item
            first = first or item
    return first


def _objects(data: Any) -> list[dict[str, Any]]:
    items = data if isinstance(data, list) else [data]
    found: list[dict[str, Any]] = []
    for item in items[:50]:
        if not isinstance(item, dict):
            continue
        graph = item.get("@graph")
        if isinstance(graph, list):
            found.extend(g for g in graph[:50] if isinstance(g, dict))
        else:
            found.append(item)
    return found
