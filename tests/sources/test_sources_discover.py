"""Feed discovery on pages, robots.txt files and bodies written for the tests (never fetched)."""

from __future__ import annotations

import pytest

from alaune.sources.discover import (
    Candidate,
    guesses,
    is_comments_feed,
    is_news_sitemap,
    read_homepage,
    robots_sitemaps,
    sniff,
)

BASE = "https://www.example.ma/"

WORDPRESS = b"""<!doctype html><html lang="fr-FR"><head>
<title>Exemple Info - Actualit\xc3\xa9 du Maroc</title>
<meta property="og:site_name" content="Exemple Info">
<link rel="alternate" type="application/rss+xml" title="Exemple Info &raquo; Flux" href="https://www.example.ma/feed/">
<link rel="alternate" type="application/rss+xml" title="Exemple Info &raquo; Flux des commentaires" href="https://www.example.ma/comments/feed/">
<link rel="stylesheet" href="/style.css">
</head><body><a href="/feed/">RSS</a></body></html>"""

ARABIC = """<html dir="rtl" lang="ar"><head><title>موقع المثال | الرئيسية</title>
<base href="https://cdn.example.ma/ar/">
<link rel="alternate feed" type="application/atom+xml; charset=utf-8" href="atom.xml"
 title="الأخبار">
<link rel="ALTERNATE" type="application/feed+json" href="/feed.json">
</head><body></body></html>""".encode()

HOSTILE = b"""<html><head>
<link rel="alternate" type="application/rss+xml" href="http://169.254.169.254/latest/meta-data/">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">
<link rel="alternate" type="application/rss+xml" href="http://localhost:6379/">
<link rel="alternate" type="text/html" hreflang="en" href="https://www.example.ma/en/">
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
</head></html>"""

HOMEPAGES = {
    "wordpress: posts feed kept, comments feed dropped": (
        WORDPRESS,
        "Exemple Info",
        "fr",
        [Candidate("https://www.example.ma/feed/", "rss", "link", "Exemple Info » Flux")],
    ),
    "arabic: base href, rel with two tokens, media type parameters, json feed": (
        ARABIC,
        "موقع المثال",
        "ar",
        [
            Candidate("https://cdn.example.ma/ar/atom.xml", "atom", "link", "الأخبار"),
            Candidate("https://cdn.example.ma/feed.json", "jsonfeed", "link"),
        ],
    ),
    "hostile links are dropped, translations are not feeds": (
        HOSTILE,
        "",
        "",
        [Candidate("https://www.example.ma/rss.xml", "rss", "link")],
    ),
    "not html at all": (b"\x00\x01\x02", "", "", []),
    "empty": (b"", "", "", []),
}


@pytest.mark.parametrize(
    ("body", "name", "language", "candidates"), HOMEPAGES.values(), ids=HOMEPAGES.keys()
)
def test_homepages(body: bytes, name: str, language: str, candidates: list[Candidate]) -> None:
    page = read_homepage(body, base_url=BASE)
    assert (page.name, page.language, list(page.candidates)) == (name, language, candidates)


def test_og_locale_gives_the_language_when_html_lang_is_missing() -> None:
    body = b'<html><head><meta property="og:locale" content="en_US"><title>X</title></head></html>'
    assert read_homepage(body, base_url=BASE).language == "en"


def test_robots_txt_sitemap_lines() -> None:
    robots = """User-agent: *
Disallow: /wp-admin/
Sitemap: https://www.example.ma/sitemap_index.xml
sitemap: https://www.example.ma/sitemap-news.xml   # news
Sitemap: /relative.xml
Sitemap: http://10.0.0.1/internal.xml
Sitemap: https://www.example.ma/sitemap-news.xml
"""
    assert [c.url for c in robots_sitemaps(robots)] == [
        "https://www.example.ma/sitemap_index.xml",
        "https://www.example.ma/sitemap-news.xml",
    ]


def test_common_paths_are_guessed_at_the_origin() -> None:
    urls = [c.url for c in guesses("https://www.example.ma/fr/accueil")]
    assert urls[:3] == [
        "https://www.example.ma/feed",
        "https://www.example.ma/rss",
        "https://www.example.ma/rss.xml",
    ]
    assert {
        "https://www.example.ma/atom.xml",
        "https://www.example.ma/feed.json",
        "https://www.example.ma/sitemap-news.xml",
    } <= set(urls)
    assert guesses("http://127.0.0.1:9/") == []  # nothing internal unless allowed
    assert len(guesses("http://127.0.0.1:9/", allow=["127.0.0.1:9"])) == len(urls)


BODIES = {
    "rss 2.0": (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "rss"),
    "rss with BOM and stylesheet": (
        b'\xef\xbb\xbf<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><rss>',
        "rss",
    ),
    "rss 1.0": (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', "rss"),
    "atom": (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>', "atom"),
    "json feed": (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "jsonfeed"),
    "other json": (b'{"error": "not found"}', None),
    "json array": (b"[1, 2]", None),
    "news sitemap": (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', "sitemap"),
    "sitemap index": (b"<sitemapindex>", "sitemap"),
    "html page": (b"<!DOCTYPE html><html><head><title>404</title></head></html>", None),
    "plain text": (b"Not Found", None),
}


@pytest.mark.parametrize(("body", "kind"), BODIES.values(), ids=BODIES.keys())
def test_sniffing_what_a_candidate_answered(body: bytes, kind: str | None) -> None:
    assert sniff(body) == kind


def test_news_sitemaps_are_told_from_site_maps() -> None:
    news = b'<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
    assert is_news_sitemap("https://x.ma/sitemap.xml", news)
    assert is_news_sitemap("https://x.ma/news-sitemap.xml", b"<urlset>")
    assert not is_news_sitemap("https://x.ma/sitemap_index.xml", b"<sitemapindex>")


@pytest.mark.parametrize(
    ("url", "title", "expected"),
    [
        ("https://x.ma/comments/feed/", "", True),
        ("https://x.ma/feed/", "Flux des commentaires", True),
        ("https://x.ma/feed/", "تعليقات", True),
        ("https://x.ma/feed/", "Exemple » Flux", False),
    ],
)
def test_comment_feeds_are_recognised(url: str, title: str, expected: bool) -> None:
    assert is_comments_feed(url, title) is expected
