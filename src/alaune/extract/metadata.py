"""Metadata the page states about itself: publication time, canonical URL, lead image, title.

Read from `<meta>` tags, JSON-LD and `<time>` with lxml; nothing is resolved or fetched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml import html as lxml_html

from alaune.text.urls import absolute_http_url


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str = ""
    published: datetime | None = None
    canonical_url: str = ""
    image_url: str = ""
    description: str = ""


def read_meta(document: bytes, *, url: str) -> PageMeta:
    try:
        tree = lxml_html.fromstring(document)
    except (ValueError, lxml_html.etree.ParserError):
        return PageMeta()
    meta = {
        (node.get("property") or node.get("name") or "").lower(): node.get("content") or ""
        for node in tree.iter("meta")
    }
    canonical = next(
        (n.get("href", "") for n in tree.iter("link") if n.get("rel") == "canonical"), ""
    )
    ld = _json_ld(tree)
    published = (
        _date(meta.get("article:published_time"))
        or _date(str(ld.get("datePublished", "")))
        or _date(next((t.get("datetime", "") for t in tree.iter("time")), ""))
    )
    image = meta.get("og:image") or meta.get("twitter:image") or ""
    return PageMeta(
        title=meta.get("og:title", ""),
        published=published,
        canonical_url=absolute_http_url(canonical, url) or "",
        image_url=absolute_http_url(image, url) or "" if image else "",
        description=meta.get("og:description") or meta.get("description") or "",
    )


def _json_ld(tree: Any) -> dict[str, Any]:
    for node in tree.iter("script"):
        if node.get("type") != "application/ld+json" or not node.text:
            continue
        try:
            data = json.loads(node.text)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return {}


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
