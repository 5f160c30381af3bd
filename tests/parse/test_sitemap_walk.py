"""Following sitemap indexes: loops, depth and breadth are bounded (SECURITY.md C7)."""

from __future__ import annotations

from alaune.parse import ParsedFeed, ParsedItem, sitemaps_to_follow
from alaune.parse.walk import MAX_SITEMAP_DEPTH

INDEX_URL = "https://news.example/sitemap-index.xml"


def index(*urls: str) -> ParsedFeed:
    return ParsedFeed(
        format="sitemapindex", items=tuple(ParsedItem(link=u, is_sitemap=True) for u in urls)
    )


def test_children_are_followed_in_order() -> None:
    plan = sitemaps_to_follow(
        index("https://news.example/s1.xml", "https://news.example/s2.xml"), index_url=INDEX_URL
    )
    assert plan.follow == ("https://news.example/s1.xml", "https://news.example/s2.xml")


def test_an_index_listing_itself_is_a_loop() -> None:
    plan = sitemaps_to_follow(
        index(INDEX_URL, "https://NEWS.example/sitemap-index.xml?utm_source=x#top"),
        index_url=INDEX_URL,
    )
    assert plan.follow == ()
    assert plan.loops == 2


def test_a_sitemap_seen_earlier_in_the_walk_is_a_loop() -> None:
    visited = ["https://news.example/root.xml", "https://news.example/s1.xml"]
    plan = sitemaps_to_follow(
        index(
            "https://news.example/s1.xml",
            "https://news.example/root.xml",
            "https://news.example/s3.xml",
        ),
        index_url=INDEX_URL,
        visited=visited,
        depth=1,
    )
    assert plan.follow == ("https://news.example/s3.xml",)
    assert plan.loops == 2


def test_duplicates_within_one_index_are_followed_once() -> None:
    plan = sitemaps_to_follow(
        index("https://news.example/s1.xml", "https://www.news.example/s1.xml#x"),
        index_url=INDEX_URL,
    )
    assert plan.follow == ("https://news.example/s1.xml",)
    assert plan.loops == 1


def test_depth_is_bounded() -> None:
    plan = sitemaps_to_follow(
        index("https://news.example/deeper.xml"), index_url=INDEX_URL, depth=MAX_SITEMAP_DEPTH
    )
    assert plan.follow == ()
    assert plan.too_deep == 1


def test_breadth_is_bounded() -> None:
    urls = [f"https://news.example/s{n}.xml" for n in range(60)]
    plan = sitemaps_to_follow(index(*urls), index_url=INDEX_URL, limit=50)
    assert len(plan.follow) == 50
    assert plan.over_limit == 10


def test_articles_in_a_urlset_are_not_sitemaps() -> None:
    urlset = ParsedFeed(format="sitemap", items=(ParsedItem(link="https://news.example/a"),))
    assert sitemaps_to_follow(urlset, index_url=INDEX_URL).follow == ()
