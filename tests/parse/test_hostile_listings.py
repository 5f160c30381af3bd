"""Parsers against hostile and broken listings (SECURITY.md C1–C3, C5–C7, D6 for links)."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, datetime

import pytest

from alaune.errors import ParseError
from alaune.parse import parse_listing
from alaune.parse.limits import MAX_ITEMS, MAX_TITLE

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
BASE = "https://news.example/feed"


def rss(items: str, prolog: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>{prolog}
<rss version="2.0"><channel><title>T</title><link>https://news.example/</link>
{items}</channel></rss>""".encode()


def item(n: int = 1, *, link: str = "", title: str = "", date: str = "") -> str:
    link = link or f"https://news.example/a/{n}"
    date_tag = f"<pubDate>{date}</pubDate>" if date else ""
    return f"<item><title>{title or f'Titre {n}'}</title><link>{link}</link>{date_tag}</item>"


LAUGHS = """<!DOCTYPE rss [
<!ENTITY a "lollollollollollollollollollol">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>"""


@pytest.mark.parametrize("kind", ["rss", "auto"])
def test_c1_billion_laughs_does_not_expand(kind: str) -> None:
    document = rss(item(1, title="&i;"), prolog=LAUGHS)
    tracemalloc.start()
    try:
        items = parse_listing(document, kind=kind, base_url=BASE, now=NOW)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    assert all("lollol" not in i.title for i in items)


def test_c1_billion_laughs_in_a_sitemap() -> None:
    document = (
        LAUGHS.replace("rss", "urlset")
        + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://news.example/&i;</loc></url></urlset>"
    ).encode()
    items = parse_listing(document, kind="sitemap", base_url=BASE, now=NOW)
    assert all(len(i.url) < 200 for i in items)


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:9/dtd"> %p;]>',
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">',
    ],
)
def test_c2_external_entities_are_never_resolved(prolog: str) -> None:
    items = parse_listing(
        rss(item(1, title="&x;"), prolog=prolog), kind="rss", base_url=BASE, now=NOW
    )
    assert [i.url for i in items] == ["https://news.example/a/1"]
    assert "root:" not in items[0].title


def test_c2_sitemap_external_entity_is_not_read() -> None:
    document = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://news.example/&x;a</loc></url></urlset>"
    )
    items = parse_listing(document, kind="sitemap", base_url=BASE, now=NOW)
    assert all("root:" not in i.url for i in items)


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("empty document", b""),
        (
            "html page instead of a feed",
            b"<!doctype html><html><body><p>Bienvenue</p></body></html>",
        ),
        ("plain text", b"404 not found"),
    ],
)
def test_c3_non_feeds_are_a_clear_error(name: str, document: bytes) -> None:
    with pytest.raises(ParseError, match="not a feed"):
        parse_listing(document, kind="rss", base_url=BASE, now=NOW)


def test_c3_ill_formed_feeds_are_salvaged() -> None:
    document = rss(item(1, title="Sécurité & santé") + "\x01" + item(2) + "<item><title>cut")
    items = parse_listing(document, kind="rss", base_url=BASE, now=NOW)
    assert [i.url for i in items][:2] == ["https://news.example/a/1", "https://news.example/a/2"]


def test_c4_arabic_windows_1256_feed_is_decoded() -> None:
    title = "الحكومة تعلن عن خطة جديدة"
    document = (
        '<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><link>https://news.example/ar/1</link></item>"
        "</channel></rss>"
    ).encode("cp1256")
    (parsed,) = parse_listing(document, kind="rss", base_url=BASE, now=NOW)
    assert parsed.title == title


def test_c5_items_and_fields_are_capped() -> None:
    many = "".join(item(n) for n in range(MAX_ITEMS + 50))
    assert len(parse_listing(rss(many), kind="rss", base_url=BASE, now=NOW)) == MAX_ITEMS
    (big,) = parse_listing(rss(item(1, title="x" * 100_000)), kind="rss", base_url=BASE, now=NOW)
    assert len(big.title) == MAX_TITLE
    long_link = "https://news.example/" + "a" * 5000
    assert parse_listing(rss(item(1, link=long_link)), kind="rss", base_url=BASE, now=NOW) == []


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Fri, 31 Dec 9999 23:59:59 GMT", NOW),  # the future is clamped to the fetch time
        ("Sat, 28 Nov 2026 10:00:00 +0100", datetime(2026, 11, 28, 9, 0, tzinfo=UTC)),
        ("0000-00-00", None),
        ("tomorrow", None),
    ],
)
def test_c5_dates_are_clamped_or_dropped(date: str, expected: datetime | None) -> None:
    (parsed,) = parse_listing(rss(item(1, date=date)), kind="rss", base_url=BASE, now=NOW)
    assert parsed.published == expected


@pytest.mark.parametrize(
    ("name", "document", "message"),
    [
        ("invalid JSON", b"{not json", "invalid JSON feed"),
        ("items not a list", b'{"version": "x", "items": {}}', "no list of items"),
        ("deep nesting", b"[" * 100_000 + b"]" * 100_000, "invalid JSON feed"),
    ],
)
def test_c6_broken_json_feeds(name: str, document: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_listing(document, kind="jsonfeed", base_url=BASE, now=NOW)


def test_c6_json_feed_items_go_through_the_same_link_checks() -> None:
    document = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {"id": "1", "url": "javascript:alert(1)", "title": "x"},
                {"id": "2", "url": "https://news.example/ok", "title": "ok", "image": "data:x"},
                {"id": "3", "url": "/relative", "title": "rel"},
                "not an object",
            ],
        }
    ).encode()
    items = parse_listing(document, kind="jsonfeed", base_url=BASE, now=NOW)
    assert [(i.url, i.image_url) for i in items] == [
        ("https://news.example/ok", ""),
        ("https://news.example/relative", ""),
    ]


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "ftp://x/y",
    ],
)
def test_d6_only_http_links_are_kept(link: str) -> None:
    assert parse_listing(rss(item(1, link=link)), kind="rss", base_url=BASE, now=NOW) == []


def test_c7_sitemap_url_count_is_capped() -> None:
    urls = "".join(f"<url><loc>https://news.example/{n}</loc></url>" for n in range(60_000))
    document = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    assert (
        len(parse_listing(document.encode(), kind="sitemap", base_url=BASE, now=NOW)) == MAX_ITEMS
    )
