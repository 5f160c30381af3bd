"""Parsers against hostile and broken listings (SECURITY.md C1–C7, D6 for links and images).

Every test that reaches the RSS/Atom engine runs once per installed backend (`backend` fixture).
Time and memory are asserted with bounds far from the expected values (seconds where
milliseconds are expected), as SECURITY.md asks.
"""

from __future__ import annotations

import gzip
import json
import time
import tracemalloc
from datetime import UTC, datetime

import pytest
from parse_support import Listener

from alaune.errors import ParseError
from alaune.parse import ListingError, parse_document, parse_listing
from alaune.parse.limits import (
    MAX_AUTHOR,
    MAX_CATEGORIES,
    MAX_CONTENT,
    MAX_DOCUMENT,
    MAX_ITEMS,
    MAX_SUMMARY,
    MAX_TITLE,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
BASE = "https://news.example/feed"
pytestmark = pytest.mark.usefixtures("backend")


def rss(items: str, prolog: str = "", encoding: str = "utf-8") -> bytes:
    return f"""<?xml version="1.0" encoding="{encoding}"?>{prolog}
<rss version="2.0"><channel><title>T</title><link>https://news.example/</link>
{items}</channel></rss>""".encode()


def item(n: int = 1, *, link: str = "", title: str = "", date: str = "", extra: str = "") -> str:
    link = link or f"https://news.example/a/{n}"
    date_tag = f"<pubDate>{date}</pubDate>" if date else ""
    return (
        f"<item><title>{title or f'Titre {n}'}</title><link>{link}</link>{date_tag}{extra}</item>"
    )


def atom(entries: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>A</title>{entries}</feed>"
    ).encode()


def parse(document: bytes, kind: str = "rss") -> list:  # type: ignore[type-arg]
    return parse_listing(document, kind=kind, base_url=BASE, now=NOW)


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
QUADRATIC = '<!DOCTYPE rss [<!ENTITY x "' + "x" * 50_000 + '">]>'


def bounded(document: bytes, kind: str = "rss") -> tuple[list, float, int]:  # type: ignore[type-arg]
    tracemalloc.start()
    start = time.perf_counter()
    try:
        items = parse(document, kind)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return items, elapsed, peak


@pytest.mark.parametrize("kind", ["rss", "auto"])
def test_c1_billion_laughs_does_not_expand(kind: str) -> None:
    items, elapsed, peak = bounded(rss(item(1, title="&i;"), prolog=LAUGHS), kind)
    assert elapsed < 2
    assert peak < 50 * 1024 * 1024
    assert all("lollol" not in i.title for i in items)


def test_c1_billion_laughs_in_atom() -> None:
    entry = '<entry><title>&i;</title><link href="https://news.example/a/1"/><id>1</id></entry>'
    items, elapsed, peak = bounded(atom(entry, prolog=LAUGHS.replace("rss", "feed")), "atom")
    assert elapsed < 2
    assert peak < 50 * 1024 * 1024
    assert all("lollol" not in i.title for i in items)


def test_c1_quadratic_blowup_does_not_expand() -> None:
    references = "&x;" * 10_000
    items, elapsed, peak = bounded(rss(item(1, title=references), prolog=QUADRATIC))
    assert elapsed < 2
    assert peak < 50 * 1024 * 1024
    assert all(len(i.title) <= MAX_TITLE for i in items)


def test_c1_billion_laughs_in_a_sitemap() -> None:
    document = (
        LAUGHS.replace("rss", "urlset")
        + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://news.example/&i;</loc></url></urlset>"
    ).encode()
    items, elapsed, _ = bounded(document, "sitemap")
    assert elapsed < 2
    assert all(len(i.url) < 200 for i in items)


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss [<!ENTITY x SYSTEM "{url}/x">]>',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "{url}/dtd"> %p;]>',
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "{url}/rss-0.91.dtd">',
        '<!DOCTYPE rss SYSTEM "{url}/rss.dtd">',
    ],
)
def test_c2_external_entities_and_dtds_are_never_fetched(prolog: str, listener: Listener) -> None:
    document = rss(item(1, title="&x;"), prolog=prolog.format(url=listener.url))
    items = parse(document)
    assert [i.url for i in items] == ["https://news.example/a/1"]  # Netscape 0.91 still parses
    assert "root:" not in items[0].title
    assert not listener.was_contacted()


def test_c2_sitemap_external_entity_is_not_read(listener: Listener) -> None:
    document = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">'
        b'<!ENTITY y SYSTEM "' + listener.url.encode() + b'/y">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://news.example/&x;a&y;</loc></url></urlset>"
    )
    items = parse(document, "sitemap")
    assert all("root:" not in i.url for i in items)
    assert not listener.was_contacted()


def test_c2_documents_that_look_like_urls_or_paths_are_never_opened(listener: Listener) -> None:
    # feedparser (and feedparser-rs) fetch a URL or open a path they are handed as a string.
    for document in (f"{listener.url}/feed".encode(), b"/etc/passwd", b"file:///etc/passwd"):
        with pytest.raises(ListingError, match="not a feed"):
            parse(document, "auto")
    assert not listener.was_contacted()


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("empty document", b""),
        ("only whitespace", b" \n\t "),
        (
            "html page instead of a feed",
            b"<!doctype html><html><body><p>Bienvenue</p></body></html>",
        ),
        ("html without doctype", b"<html><head><title>x</title></head><body></body></html>"),
        ("plain text", b"404 not found"),
        ("unknown xml", b"<?xml version='1.0'?><note><to>x</to></note>"),
    ],
)
def test_c3_non_feeds_are_a_clear_error(name: str, document: bytes) -> None:
    with pytest.raises(ParseError, match="not a feed") as caught:
        parse(document)
    assert isinstance(caught.value, ListingError)
    assert caught.value.kind == "not_a_feed"


def test_c3_ill_formed_feeds_are_salvaged() -> None:
    document = rss(item(1, title="Sécurité & santé") + "\x01" + item(2) + "<item><title>cut")
    items = parse(document)
    assert [i.url for i in items][:2] == ["https://news.example/a/1", "https://news.example/a/2"]
    assert items[0].title == "Sécurité & santé"


@pytest.mark.parametrize(
    ("name", "items_xml", "expected_titles"),
    [
        ("control characters", item(1, title="A\x00B\x08C\x1fD"), ["ABCD"]),
        ("html entity unknown to xml", item(1, title="Caf&eacute;&nbsp;Clock"), ["Café Clock"]),
        ("duplicate title", item(1, title="Un</title><title>Deux"), None),
        ("undeclared namespace", item(1, extra="<dc:creator>X</dc:creator>"), ["Titre 1"]),
        ("truncated document", item(1) + "<item><title>Tronqu", None),
        (
            "unescaped ampersand in link",
            item(1, link="https://news.example/a?x=1&y=2"),
            ["Titre 1"],
        ),
    ],
)
def test_c3_broken_details_never_crash(
    name: str, items_xml: str, expected_titles: list[str] | None
) -> None:
    items = parse(rss(items_xml))
    assert items
    assert items[0].url.startswith("https://news.example/a")
    if expected_titles is not None:
        assert [i.title for i in items] == expected_titles


# --- C4: encodings that lie -------------------------------------------------------------------

ARABIC = "الحكومة تعلن عن خطة جديدة لدعم الفلاحين"
FRENCH = "Été : les élèves de Fès reçoivent « leurs » résultats"


def feed_with(title: str, *, encoding: str, declared: str | None) -> bytes:
    prolog = f'<?xml version="1.0" encoding="{declared}"?>' if declared else ""
    body = (
        f'{prolog}<rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><link>https://news.example/1</link></item></channel></rss>"
    )
    return body.encode(encoding)


LATIN1 = FRENCH.replace("«", '"').replace("»", '"')  # ISO-8859-1 has no curly quotes
RUSSIAN = "Привет, мир: новости"
BOM_UTF8, BOM_LE, BOM_BE = b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"


@pytest.mark.parametrize(
    ("title", "encoding", "declared", "bom"),
    [
        (ARABIC, "cp1256", "windows-1256", b""),
        (ARABIC, "cp1256", "utf-8", b""),  # windows-1256 declared UTF-8
        (ARABIC, "cp1256", None, b""),
        (ARABIC, "cp1256", "iso-8859-1", b""),
        (ARABIC, "iso-8859-6", "utf-8", b""),
        (LATIN1, "latin-1", None, b""),  # ISO-8859-1 without prolog
        (FRENCH, "cp1252", "utf-8", b""),
        (FRENCH, "utf-8", "iso-8859-1", b""),
        (ARABIC, "utf-8", "windows-1256", b""),
        (FRENCH, "utf-8", "UTF-16", BOM_UTF8),  # UTF-8 BOM + encoding="UTF-16"
        (FRENCH, "utf-16-le", "utf-16", BOM_LE),
        (ARABIC, "utf-16-be", "utf-16", BOM_BE),
        (FRENCH, "utf-16-le", "utf-16", b""),
        (RUSSIAN, "koi8-r", "KOI8-R", b""),
        (RUSSIAN, "koi8-r", None, b""),
    ],
)
def test_c4_lying_encodings_are_read_correctly(
    title: str, encoding: str, declared: str | None, bom: bytes
) -> None:
    (parsed,) = parse(bom + feed_with(title, encoding=encoding, declared=declared))
    assert parsed.title == title


def test_c4_the_http_charset_is_evidence_too() -> None:
    document = feed_with(ARABIC, encoding="cp1256", declared=None)
    parsed = parse_document(document, now=NOW, url=BASE, charset="windows-1256")
    assert parsed.encoding == "cp1256"
    assert parsed.items[0].title == ARABIC


def test_c4_a_mixed_encoding_item_is_rejected_not_stored_as_mojibake() -> None:
    good = item(1, title="Tanger : record").encode()
    bad = item(2, title="Fès : la médina rénovée").encode("cp1252")
    arabic = item(3, title=ARABIC).encode()
    document = rss("").replace(b"</channel>", good + bad + arabic + b"</channel>")
    parsed = parse_document(document, now=NOW, url=BASE)
    assert [i.title for i in parsed.items] == ["Tanger : record", ARABIC]
    assert [r.reason for r in parsed.rejected] == ["encoding error"]
    assert [i.url for i in parse(document)] == [
        "https://news.example/a/1",
        "https://news.example/a/3",
    ]


def test_c4_bytes_no_charset_explains_are_rejected() -> None:
    noise = bytes(range(0x80, 0x100)) * 3
    document = rss(item(1)).replace(b"Titre 1", noise)
    parsed = parse_document(document, now=NOW, url=BASE)
    assert parsed.items == ()
    assert [r.reason for r in parsed.rejected] == ["encoding error"]


def test_c4_output_is_always_valid_utf8() -> None:
    for document in (
        feed_with(ARABIC, encoding="cp1256", declared="utf-8"),
        feed_with(FRENCH, encoding="cp1252", declared=None),
    ):
        for parsed in parse(document):
            parsed.title.encode("utf-8", errors="strict")
            assert "\ufffd" not in parsed.title


# --- C5: sizes and dates ---------------------------------------------------------------------


def test_c5_items_and_fields_are_capped() -> None:
    many = "".join(item(n) for n in range(MAX_ITEMS + 50))
    assert len(parse(rss(many))) == MAX_ITEMS
    (big,) = parse(rss(item(1, title="x" * 100_000)))
    assert len(big.title) == MAX_TITLE
    long_link = "https://news.example/" + "a" * 5000
    assert parse(rss(item(1, link=long_link))) == []


def test_c5_a_hundred_thousand_items_stay_bounded() -> None:
    document = rss("".join(item(n) for n in range(100_000)))
    start = time.perf_counter()
    items = parse(document)
    assert len(items) == MAX_ITEMS
    assert time.perf_counter() - start < 30


def test_c5_a_ten_megabyte_title_is_cut_cheaply() -> None:
    start = time.perf_counter()
    (big,) = parse(rss(item(1, title="&lt;b&gt;é&lt;/b&gt;" * 500_000)))
    assert len(big.title) == MAX_TITLE
    assert time.perf_counter() - start < 10


def test_c5_every_field_has_a_cap() -> None:
    extra = (
        f"<description>{'d' * (MAX_SUMMARY * 2)}</description>"
        f"<author>{'a' * (MAX_AUTHOR * 2)}</author>"
        + "".join(f"<category>c{n}</category>" for n in range(1000))
        + f"<content:encoded xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        f"{'&lt;a href=&quot;https://x.example/&quot;&gt;x&lt;/a&gt;' * 50_000}</content:encoded>"
    )
    document = parse_document(rss(item(1, extra=extra)), now=NOW, url=BASE)
    (parsed,) = document.items
    assert len(parsed.summary) <= MAX_SUMMARY
    assert len(parsed.author) <= MAX_AUTHOR
    assert len(parsed.categories) == MAX_CATEGORIES
    assert 0 < len(parsed.content) <= MAX_CONTENT  # cut in the source: never a half-written tag
    assert parsed.content.endswith("</a>")


def test_c5_a_document_past_the_size_cap_is_refused() -> None:
    document = rss(item(1, title="x" * (MAX_DOCUMENT + 1)))
    with pytest.raises(ListingError, match="too large") as caught:
        parse(document)
    assert caught.value.kind == "too_large"


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Fri, 31 Dec 9999 23:59:59 GMT", NOW),  # the future is clamped to the fetch time
        ("Sun, 29 Nov 2026 13:00:00 GMT", NOW),
        ("Sat, 28 Nov 2026 10:00:00 +0100", datetime(2026, 11, 28, 9, 0, tzinfo=UTC)),
        ("28/11/2026 10:00", datetime(2026, 11, 28, 9, 0, tzinfo=UTC)),  # Casablanca
        ("0000-00-00", None),
        ("tomorrow", None),
        ("Thu, 01 Jan 1970 00:00:00 GMT", None),
    ],
)
def test_c5_dates_are_clamped_or_dropped(date: str, expected: datetime | None) -> None:
    (parsed,) = parse(rss(item(1, date=date)))
    assert parsed.published == expected


# --- C6: JSON Feed ---------------------------------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("name", "document", "message"),
    [
        ("invalid JSON", b"{not json", "invalid JSON feed"),
        ("items not a list", b'{"version": "x", "items": {}}', "no list of items"),
        ("not an object", b'["a", "b"]', "no list of items"),
        ("deep nesting", DEEP, "invalid JSON feed"),
        ("deep nesting in an item", b'{"items": [' + DEEP + b"]}", "invalid JSON feed"),
    ],
)  # fmt: skip
def test_c6_broken_json_feeds(name: str, document: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(document, "jsonfeed")


def test_c6_json_feed_items_go_through_the_same_checks() -> None:
    document = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {"id": "1", "url": "javascript:alert(1)", "title": "x"},
                {
                    "id": "2",
                    "url": "https://news.example/ok",
                    "title": "ok",
                    "image": "data:x",
                    "content_html": '<p onclick="x()">ok<script>alert(1)</script></p>',
                },
                {"id": "3", "url": "/relative", "title": "rel", "image": "vbscript:x"},
                "not an object",
                {"id": 4, "url": 5, "title": ["not", "text"], "tags": "nope", "authors": {}},
            ],
        }
    ).encode()
    parsed = parse_document(document, now=NOW, url=BASE)
    assert [(i.link, i.image) for i in parsed.items] == [
        ("", ""),
        ("https://news.example/ok", ""),
        ("https://news.example/relative", ""),
    ]
    assert parsed.items[1].content == "<p>ok</p>"
    assert [i.url for i in parse(document, "jsonfeed")] == [
        "https://news.example/ok",
        "https://news.example/relative",
    ]


# --- C7: sitemaps ----------------------------------------------------------------------------


def urlset(count: int) -> bytes:
    urls = "".join(f"<url><loc>https://news.example/{n}</loc></url>" for n in range(count))
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def test_c7_sitemap_url_count_is_capped() -> None:
    assert len(parse(urlset(60_000), "sitemap")) == MAX_ITEMS


def test_c7_a_gzip_sitemap_is_read() -> None:
    items = parse(gzip.compress(urlset(3)), "sitemap")
    assert [i.url for i in items] == [f"https://news.example/{n}" for n in range(3)]


def test_c7_a_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (MAX_DOCUMENT * 2), compresslevel=9)
    assert len(bomb) < 100 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ListingError, match="too large"):
            parse(bomb, "sitemap")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MAX_DOCUMENT * 3


def test_c7_a_sitemap_index_is_not_taken_for_articles() -> None:
    index = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://news.example/s1.xml</loc></sitemap></sitemapindex>"
    )
    with pytest.raises(ListingError, match="sitemap index"):
        parse(index, "sitemap")
    parsed = parse_document(index, now=NOW, url=BASE)
    assert parsed.format == "sitemapindex"
    assert parsed.items[0].is_sitemap


# --- D6: links and images at ingestion -------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        " javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "ftp://x/y",
        "file:///etc/passwd",
    ],
)
def test_d6_only_http_links_are_kept(link: str) -> None:
    assert parse(rss(item(1, link=link))) == []


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("javascript:alert(1)", ""),
        ("data:image/png;base64,AAAA", ""),
        ("vbscript:x", ""),
        (
            "//cdn.news.example/i.jpg",
            "https://cdn.news.example/i.jpg",
        ),  # resolved, never stored raw
        ("/i.jpg", "https://news.example/i.jpg"),
    ],
)
def test_d6_enclosures_and_thumbnails_are_http_or_dropped(image: str, expected: str) -> None:
    media = 'xmlns:media="http://search.yahoo.com/mrss/"'
    for extra in (
        f'<enclosure url="{image}" type="image/jpeg" length="1"/>',
        f'<media:thumbnail {media} url="{image}"/>',
        f'<media:content {media} url="{image}" medium="image"/>',
    ):
        (parsed,) = parse(rss(item(1, extra=extra)))
        assert parsed.image_url == expected, extra


def test_d6_protocol_relative_urls_without_a_base_are_dropped() -> None:
    extra = '<enclosure url="//cdn.news.example/i.jpg" type="image/jpeg" length="1"/>'
    document = rss(item(1, extra=extra)).replace(b"<link>https://news.example/</link>", b"")
    parsed = parse_document(document, now=NOW)
    assert parsed.items[0].image == ""


@pytest.mark.parametrize(
    "date",
    [
        "Fri, 31 Dec 9999 23:00:00 -0500",  # past datetime's last year once in UTC
        "Mon, 01 Jan 0001 00:00:00 +0100",  # before its first
        "9999-12-31T23:00:00-05:00",
        "0001-01-01T00:00:00+01:00",
    ],
)
def test_a_date_past_the_ends_of_time_is_no_crash(date: str, backend: str) -> None:
    """A zone shift past year 9999 or before year 1 raised OverflowError and lost the feed;
    the far future is the time first seen, the far past no date, and the item is kept."""
    items = [
        f"<item><title>A {n}</title><link>https://news.example/a/{n}</link>"
        f"<pubDate>{value}</pubDate></item>"
        for n, value in enumerate((date, "Tue, 24 Nov 2026 10:00:00 +0100"))
    ]
    parsed = parse_document(rss("".join(items)), now=NOW, url=BASE, backend=backend)
    assert [item.link for item in parsed.items] == [
        "https://news.example/a/0",
        "https://news.example/a/1",
    ]
    assert parsed.items[0].published in (NOW, None)
    assert parsed.items[0].published == (NOW if date.startswith(("Fri", "9999")) else None)
    assert parsed.items[1].published == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
