"""Parsers: bytes of a feed, JSON Feed or news sitemap in, `FeedItem`s out.

Pure: they never fetch, never read a path or URL (feedparser would, given one: always pass bytes),
and never resolve XML entities. Each caps what it returns (items, field lengths) so that a hostile
document cannot grow the work downstream.
"""

from alaune.parse.detect import parse_listing

__all__ = ["parse_listing"]
