"""Reading one listing response into the article items to ingest.

Feeds and news sitemaps give their items directly; a sitemap index is followed one level down
(its child sitemaps fetched through the same fetcher and robots check, each redirect hop checked
by the fetcher itself; loops and excess cut by `parse.sitemaps_to_follow`); a section page
("section"/"html" listings) yields the article links its outlet's include/exclude patterns
accept. Every item is finally filtered by those
patterns, so that a worldwide outlet's feed contributes only the articles the registry wants.
It must not store anything or decide schedules.
"""

from __future__ import annotations

import re
from datetime import datetime

from alaune.fetch import Fetcher, Response, RobotsCache
from alaune.model import FeedItem, Outlet
from alaune.parse import SectionRules, parse_document, sitemaps_to_follow

SECTION_KINDS = frozenset({"section", "html"})
SITEMAP_ACCEPT = "application/xml, text/xml;q=0.9, */*;q=0.5"


async def read_listing(
    response: Response,
    *,
    kind: str,
    outlet: Outlet,
    fetcher: Fetcher,
    robots: RobotsCache,
    now: datetime,
) -> list[FeedItem]:
    """The article items of `response`; raises ParseError (ListingError) or FetchError."""
    rules = SectionRules(include=outlet.include, exclude=outlet.exclude)
    parsed = parse_document(
        response.body,
        now=now,
        url=response.url,
        charset=response.charset or "",
        allow_html=kind in SECTION_KINDS,
        rules=rules if kind in SECTION_KINDS else None,
    )
    items = parsed.feed_items()
    if parsed.format == "sitemapindex":
        plan = sitemaps_to_follow(parsed, index_url=response.url)
        for url in plan.follow:
            await robots.check(url)
            child = await fetcher.get(url, accept=SITEMAP_ACCEPT)
            document = parse_document(
                child.body, now=now, url=child.url, charset=child.charset or "", allow_html=False
            )
            # One level only: an index inside an index is left for its own registry entry.
            items.extend(document.feed_items() if document.format != "sitemapindex" else [])
    return [item for item in items if wanted(item.url, outlet)]


def wanted(url: str, outlet: Outlet) -> bool:
    """Whether the outlet's URL patterns accept `url` (no patterns: everything)."""
    if outlet.include and not any(re.search(p, url) for p in outlet.include):
        return False
    return not any(re.search(p, url) for p in outlet.exclude)
