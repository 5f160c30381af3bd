"""Which sitemaps of an index to fetch next: the loop, depth and breadth bounds of C7, as a pure
function the crawler calls after each index it parses.

The crawler keeps the set of sitemap URLs already visited in this walk and the depth of the index
at hand (the listed sitemap is depth 0); this module decides, and never fetches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from alaune.parse.result import ParsedFeed
from alaune.text.urls import canonical_url

MAX_SITEMAP_DEPTH = 2  # an index of indexes is common; deeper is a trap
MAX_SITEMAPS_PER_INDEX = 50  # news sites list recent sitemaps first


@dataclass(frozen=True, slots=True)
class SitemapPlan:
    """The sitemaps to fetch, and how many were left out and why (for the outlet's health)."""

    follow: tuple[str, ...]
    loops: int = 0  # already visited in this walk, the index itself included
    too_deep: int = 0
    over_limit: int = 0


def sitemaps_to_follow(
    index: ParsedFeed,
    *,
    index_url: str,
    visited: Iterable[str] = (),
    depth: int = 0,
    max_depth: int = MAX_SITEMAP_DEPTH,
    limit: int = MAX_SITEMAPS_PER_INDEX,
) -> SitemapPlan:
    """The child sitemaps of `index` (fetched from `index_url`, at `depth`) worth fetching.

    URLs are compared canonically, so an index that lists itself with a tracking parameter or a
    fragment is still a loop.
    """
    children = [item.link for item in index.items if item.is_sitemap and item.link]
    if depth + 1 > max_depth:
        return SitemapPlan(follow=(), too_deep=len(children))
    seen = {_key(url) for url in (*visited, index_url) if _key(url)}
    follow: list[str] = []
    loops = over = 0
    for url in children:
        key = _key(url)
        if not key or key in seen:
            loops += 1
        elif len(follow) >= limit:
            over += 1
        else:
            seen.add(key)
            follow.append(url)
    return SitemapPlan(follow=tuple(follow), loops=loops, over_limit=over)


def _key(url: str) -> str:
    try:
        return canonical_url(url)
    except ValueError:
        return ""
