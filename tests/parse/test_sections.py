"""Section pages: article links found with an outlet's include/exclude patterns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alaune.parse import ListingError, SectionRules, parse_document, parse_listing

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
PAGE_URL = "https://www.hespress.example/economie/"
PAGE = """<!doctype html><html><head><title>اقتصاد</title></head><body>
<nav><a href="/">الرئيسية</a><a href="/economie/">اقتصاد</a><a href="/tag/bourse/">بورصة</a></nav>
<a href="/economie/2026/11/28/bourse-de-casablanca-termine-en-hausse">Bourse de Casablanca</a>
<a href="/economie/123456.html">مقال رقم</a>
<a href="https://m.hespress.example/economie/le-dirham-se-stabilise-face-euro">Dirham</a>
<a href="https://autre.example/economie/un-article-ailleurs-ici">Ailleurs</a>
<a href="/video/les-images-du-jour-en-video">Vidéo</a>
<a href="mailto:redaction@hespress.example">Contact</a>
<a href="/economie/2026/11/28/bourse-de-casablanca-termine-en-hausse#comments">3 تعليقات</a>
</body></html>""".encode()


def links(rules: SectionRules, page: bytes = PAGE, url: str = PAGE_URL) -> list[str]:
    return [i.link for i in parse_document(page, now=NOW, url=url, rules=rules).items]


def test_default_rules_find_article_like_links_on_the_same_site() -> None:
    assert links(SectionRules()) == [
        "https://www.hespress.example/economie/2026/11/28/bourse-de-casablanca-termine-en-hausse",
        "https://www.hespress.example/economie/123456.html",
        "https://m.hespress.example/economie/le-dirham-se-stabilise-face-euro",
        "https://www.hespress.example/video/les-images-du-jour-en-video",
    ]


def test_include_and_exclude_patterns_decide() -> None:
    rules = SectionRules(include=[r"/economie/"], exclude=[r"/\d+\.html$"], same_host=False)
    assert links(rules) == [
        "https://www.hespress.example/economie/",
        "https://www.hespress.example/economie/2026/11/28/bourse-de-casablanca-termine-en-hausse",
        "https://m.hespress.example/economie/le-dirham-se-stabilise-face-euro",
        "https://autre.example/economie/un-article-ailleurs-ici",
    ]


def test_titles_come_from_the_link_text_and_duplicates_fold() -> None:
    items = parse_document(PAGE, now=NOW, url=PAGE_URL, rules=SectionRules()).items
    assert items[0].title == "Bourse de Casablanca"
    assert len([i for i in items if "bourse" in i.link]) == 1


def test_base_href_is_honoured() -> None:
    page = (
        b'<html><head><base href="https://www.hespress.example/fr/"></head><body>'
        b'<a href="economie/un-titre-assez-long-ici">x</a></body></html>'
    )
    assert links(SectionRules(), page) == [
        "https://www.hespress.example/fr/economie/un-titre-assez-long-ici"
    ]


def test_a_section_page_is_not_a_feed_for_the_crawler_unless_declared() -> None:
    with pytest.raises(ListingError, match="not a feed"):
        parse_listing(PAGE, kind="rss", base_url=PAGE_URL, now=NOW)
    items = parse_listing(PAGE, kind="html", base_url=PAGE_URL, now=NOW)
    assert len(items) == 4


def test_a_section_page_in_windows_1256_is_decoded() -> None:
    page = (
        '<html><head><meta charset="windows-1256"><title>اقتصاد</title></head><body>'
        '<a href="/economie/un-titre-assez-long-ici">البورصة ترتفع</a></body></html>'
    )
    parsed = parse_document(page.encode("cp1256"), now=NOW, url=PAGE_URL)
    assert parsed.title == "اقتصاد"
    assert parsed.items[0].title == "البورصة ترتفع"
