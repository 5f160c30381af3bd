"""Parsers: bytes of a feed, sitemap or section page in, cleaned items out.

Pure: they never fetch, never read a path or URL (feedparser would, given one: always pass bytes),
and never resolve XML entities. Each caps what it returns (items, field lengths) so that a hostile
document cannot grow the work downstream, and every format's entries go through the same
cleaning (`items.finish`): plain-text titles, sanitized HTML, UTC dates, http(s) URLs only.

- `parse_document`: any listing → `ParsedFeed` (format, title, link, `ParsedItem`s, rejections).
- `parse_listing`: the crawler's shortcut → `model.FeedItem`s of the articles.
- `sitemaps_to_follow`: which sitemaps of an index to fetch next (loops, depth, breadth).
"""

from alaune.parse.detect import parse_document, parse_listing, sniff
from alaune.parse.result import FORMATS, ListingError, ParsedFeed, ParsedItem, Rejected
from alaune.parse.sections import SectionRules
from alaune.parse.walk import SitemapPlan, sitemaps_to_follow

__all__ = [
    "FORMATS",
    "ListingError",
    "ParsedFeed",
    "ParsedItem",
    "Rejected",
    "SectionRules",
    "SitemapPlan",
    "parse_document",
    "parse_listing",
    "sitemaps_to_follow",
    "sniff",
]
