"""The demo outlets over real loopback sockets: feeds, pages, images, validators, ports."""

from __future__ import annotations

import html
import io
import json
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import lxml.etree
import lxml.html
import pytest
from demo_support import FIXTURE_ROOT, NOW, fetch
from PIL import Image

from alaune.demo.corpus import Corpus, DemoArticle, load_corpus
from alaune.demo.server import DemoOutlets
from alaune.model import FeedRef

OUTLET_IDS = [o.id for o in load_corpus(FIXTURE_ROOT).outlets]
ARTICLE_KEYS = [a.key for a in load_corpus(FIXTURE_ROOT).articles]
SAFE_XML = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}


def published(article: DemoArticle) -> datetime:
    return (NOW - timedelta(minutes=article.minutes_ago)).replace(second=0, microsecond=0)


def newest_first(corpus: Corpus, outlet_id: str) -> list[DemoArticle]:
    return sorted(corpus.articles_of(outlet_id), key=lambda a: a.minutes_ago)


def read_listing(kind: str, body: bytes) -> list[dict[str, Any]]:
    """(url, title, published, image) of each item, whatever the listing's format."""
    if kind in ("rss", "atom"):
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.get("bozo_exception")
        return [
            {
                "url": e.link,
                "title": e.title,
                "image": _feed_image(e),
                "published": _utc(e.published_parsed),
            }
            for e in parsed.entries
        ]
    if kind == "jsonfeed":
        document = json.loads(body)
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        return [
            {
                "url": i["url"],
                "title": i["title"],
                "image": i["image"],
                "published": datetime.fromisoformat(i["date_published"]),
            }
            for i in document["items"]
        ]
    root = lxml.etree.fromstring(body, parser=SAFE_XML)
    return [
        {
            "url": u.findtext("s:loc", namespaces=NS),
            "title": u.findtext("news:news/news:title", namespaces=NS),
            "image": u.findtext("image:image/image:loc", namespaces=NS),
            "published": datetime.fromisoformat(
                u.findtext("news:news/news:publication_date", namespaces=NS)
            ),
        }
        for u in root.findall("s:url", namespaces=NS)
    ]


def _utc(parsed: Any) -> datetime:
    year, month, day, hour, minute, second = parsed[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _feed_image(entry: Any) -> str:
    if entry.get("media_content"):
        return str(entry.media_content[0]["url"])
    return str(next(link.href for link in entry.links if link.rel == "enclosure"))


# --- ports and registry ----------------------------------------------------------------------


def test_each_outlet_is_on_its_own_loopback_port(demo: DemoOutlets, corpus: Corpus) -> None:
    addresses = [r.address for r in demo.outlets]
    assert len(set(addresses)) == len(corpus.outlets) == len(demo.outlets)
    assert all(a.startswith("127.0.0.1:") for a in addresses)
    assert demo.allow == addresses
    assert demo.started_at == NOW.replace(microsecond=0)


def test_registry_describes_the_running_outlets(demo: DemoOutlets) -> None:
    registry = {o.id: o for o in demo.registry()}
    wire = registry["wire-test"]
    running = next(r for r in demo.outlets if r.outlet.id == "wire-test")
    assert wire.homepage == running.base_url + "/"
    assert wire.feeds == (FeedRef(running.base_url + "/feed.json", "jsonfeed"),)
    assert wire.languages == ("fr",)
    assert (wire.agency, wire.policy, wire.country) == (True, "full", "MA")
    assert registry["bulletin-test"].feeds[0].kind == "sitemap"
    assert registry["bulletin-test"].feeds[0].url.endswith("/sitemap-news.xml")


# --- feeds -----------------------------------------------------------------------------------


@pytest.mark.parametrize("outlet_id", OUTLET_IDS)
def test_feed_lists_exactly_the_outlets_articles_newest_first(
    demo: DemoOutlets, corpus: Corpus, outlet_id: str
) -> None:
    running = next(r for r in demo.outlets if r.outlet.id == outlet_id)
    got = fetch(running.feed_url)
    assert got.status == 200
    assert "charset=utf-8" in got.headers["content-type"]
    items = read_listing(running.feed_kind, got.body)
    expected = newest_first(corpus, outlet_id)
    assert [i["url"] for i in items] == [demo.url_of(a.key) for a in expected]
    assert [i["title"] for i in items] == [a.title for a in expected]
    assert [i["published"] for i in items] == [published(a) for a in expected]
    assert all(i["image"].startswith(running.base_url + "/media/") for i in items)


def test_feeds_are_stable_between_polls(demo: DemoOutlets) -> None:
    running = demo.outlets[0]
    assert fetch(running.feed_url).body == fetch(running.feed_url).body


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ARTICLE_KEYS)
def test_article_page_shows_title_lead_and_every_paragraph(
    demo: DemoOutlets, corpus: Corpus, key: str
) -> None:
    article = corpus.article(key)
    url = demo.url_of(key)
    got = fetch(url)
    assert got.status == 200
    assert got.headers["content-type"] == "text/html; charset=utf-8"
    page = html.unescape(got.body.decode("utf-8"))
    for text in (article.title, article.lead, *article.paragraphs):
        assert text in page
    tree = lxml.html.fromstring(got.body)
    assert tree.get("lang") == article.language
    assert tree.get("dir") == ("rtl" if article.language == "ar" else "ltr")
    assert tree.xpath("//link[@rel='canonical']/@href") == [url]
    meta_time = tree.xpath("//meta[@property='article:published_time']/@content")[0]
    assert datetime.fromisoformat(meta_time) == published(article)
    ld = json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])
    assert (ld["@type"], ld["headline"]) == ("NewsArticle", article.title)
    assert datetime.fromisoformat(ld["datePublished"]) == published(article)
    assert tree.xpath("//meta[@property='og:image']/@content") == ld["image"]


def test_html_is_escaped(demo: DemoOutlets) -> None:
    body = fetch(demo.url_of("herald-test/cup-final-win")).body.decode()
    assert "&#34;&lt;Atlas&gt;&#34; &amp; celebrate" in body
    assert "<Atlas>" not in body
    assert "<Test>" not in body


def test_home_and_section_pages_link_to_the_articles(demo: DemoOutlets, corpus: Corpus) -> None:
    running = next(r for r in demo.outlets if r.outlet.id == "gazette-test")
    home = fetch(running.base_url + "/")
    assert home.status == 200
    links = set(lxml.html.fromstring(home.body).xpath("//a/@href"))
    for article in corpus.articles_of("gazette-test"):
        assert demo.url_of(article.key).removeprefix(running.base_url) in links
    section = fetch(running.base_url + "/economie/")
    assert section.status == 200
    assert "Ksar Test : un mois record pour le port" in section.body.decode()


def test_unknown_path_is_a_404_page_in_the_outlets_language(demo: DemoOutlets) -> None:
    running = next(r for r in demo.outlets if r.outlet.id == "nour-test")
    got = fetch(running.base_url + "/nothing/here.html")
    assert got.status == 404
    assert "الصفحة غير موجودة" in got.body.decode()
    assert 'dir="rtl"' in got.body.decode()


def test_robots_txt_points_sitemap_outlets_to_their_sitemap(demo: DemoOutlets) -> None:
    for running in demo.outlets:
        robots = fetch(running.base_url + "/robots.txt")
        assert robots.status == 200
        assert robots.headers["content-type"] == "text/plain; charset=utf-8"
        has_sitemap = f"Sitemap: {running.feed_url}" in robots.body.decode()
        assert has_sitemap == (running.feed_kind == "sitemap")


# --- validators ------------------------------------------------------------------------------


def test_etag_and_last_modified_give_304(demo: DemoOutlets) -> None:
    url = demo.outlets[0].feed_url
    first = fetch(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = fetch(url, {"If-None-Match": etag})
    assert (again.status, again.body) == (304, b"")
    assert again.headers["etag"] == etag
    assert fetch(url, {"If-Modified-Since": modified}).status == 304
    assert fetch(url, {"If-None-Match": '"stale"'}).status == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    assert fetch(url, {"If-None-Match": '"stale"', "If-Modified-Since": modified}).status == 200
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status == 200


def test_article_pages_answer_304_too(demo: DemoOutlets) -> None:
    url = demo.url_of("gazette-test/finale-coupe-test-fc")
    etag = fetch(url).headers["etag"]
    assert fetch(url, {"If-None-Match": f"W/{etag}"}).status == 304


def test_head_sends_headers_without_body(demo: DemoOutlets) -> None:
    url = demo.outlets[0].feed_url
    got = fetch(url, method="HEAD")
    assert got.status == 200
    assert got.body == b""
    assert int(got.headers["content-length"]) == len(fetch(url).body)


# --- images ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ARTICLE_KEYS)
def test_lead_images_are_real_images(demo: DemoOutlets, key: str) -> None:
    page = lxml.html.fromstring(fetch(demo.url_of(key)).body)
    image_url = page.xpath("//meta[@property='og:image']/@content")[0]
    got = fetch(image_url)
    assert got.status == 200
    assert got.headers["content-type"].startswith("image/")
    with Image.open(io.BytesIO(got.body)) as picture:
        picture.load()
        assert got.headers["content-type"] == f"image/{(picture.format or '').lower()}"
        assert picture.width > 0


def test_a_wire_copy_serves_the_same_picture_at_another_size_or_format(demo: DemoOutlets) -> None:
    original = _image_of(demo, "wire-test/port-record-conteneurs")
    copy_ = _image_of(demo, "gazette-test/port-ksar-test-record")
    other = _image_of(demo, "ledger-test/port-container-record")
    assert (original.format, original.size) != (copy_.format, copy_.size)
    assert _distance(original, copy_) < _distance(original, other) / 3


def _image_of(demo: DemoOutlets, key: str) -> Image.Image:
    page = lxml.html.fromstring(fetch(demo.url_of(key)).body)
    body = fetch(page.xpath("//meta[@property='og:image']/@content")[0]).body
    picture = Image.open(io.BytesIO(body))
    picture.load()
    return picture


def _distance(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference of two pictures brought to one small grey size."""
    small_a = a.convert("L").resize((32, 18))
    small_b = b.convert("L").resize((32, 18))
    pairs = zip(small_a.tobytes(), small_b.tobytes(), strict=True)
    return sum(abs(x - y) for x, y in pairs) / (32 * 18)


# --- lifecycle -------------------------------------------------------------------------------


def test_base_port_puts_outlets_on_consecutive_ports(corpus: Corpus) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        base = probe.getsockname()[1]
    try:
        outlets = DemoOutlets(corpus, base_port=base, now=NOW).start()
    except OSError:
        pytest.skip("the consecutive ports are taken on this machine")
    try:
        assert [int(a.rsplit(":", 1)[1]) for a in outlets.allow] == [
            base + i for i in range(len(corpus.outlets))
        ]
    finally:
        outlets.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", base), timeout=1).close()


def test_not_started_outlets_say_so(corpus: Corpus) -> None:
    outlets = DemoOutlets(corpus)
    with pytest.raises(RuntimeError, match="not started"):
        _ = outlets.outlets
    with pytest.raises(RuntimeError, match="not started"):
        _ = outlets.started_at
    outlets.stop()  # harmless


@pytest.mark.parametrize(
    ("faults", "problem"),
    [
        ({"nowhere": {}}, "unknown outlet 'nowhere'"),
        ({"wire-test": {"explode": True}}, "unknown switch(es) explode"),
    ],
)
def test_faults_are_checked(corpus: Corpus, faults: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=r".") as caught:
        DemoOutlets(corpus, faults=faults)
    assert problem in str(caught.value)


def test_now_must_be_aware(corpus: Corpus) -> None:
    with pytest.raises(ValueError, match="aware"):
        DemoOutlets(corpus, now=datetime(2025, 1, 1))
