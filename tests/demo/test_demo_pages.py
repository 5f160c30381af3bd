"""Pages of the demo outlets: boilerplate by style and language, and the whole corpus renders."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import lxml.html
import pytest
from demo_support import NOW

from alaune.demo import parts
from alaune.demo.corpus import Corpus, load_corpus
from alaune.demo.entries import build_edition
from alaune.demo.server import DemoOutlets
from alaune.demo.site import OutletSite
from alaune.demo.strings import COMMENTS, UI
from alaune.demo.urls import slugify


def page(demo: DemoOutlets, key: str) -> lxml.html.HtmlElement:
    """An article page, asked of the outlet's site without a socket."""
    site = demo.site(key.split("/")[0])
    response = site.respond(urlsplit(demo.url_of(key)).path, {})
    assert response.status == 200
    return lxml.html.fromstring(response.body)


def test_every_language_has_every_ui_string() -> None:
    keys = set(UI["fr"])
    for language in ("ar", "en"):
        assert set(UI[language]) == keys, language
    assert all(len(COMMENTS[language]) >= 3 for language in UI)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Économie", "economie"),
        ("Maroc-Espagne", "maroc-espagne"),
        ("رياضة", "ryada"),
        ("ثقافة وفنون", "thqafa-wfnwn"),
        ("!!!", "rubrique"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


BOILERPLATE = [
    "//div[@id='cookie-consent']",
    "//nav[@class='main-nav']//a[@href='/']",
    "//figure[@class='lead-image']/figcaption",
    "//div[@class='image-report']/button",
    "//div[@class='share']//a[contains(@href, 'facebook')]",
    "//section[@class='newsletter']//input[@type='email']",
    "//section[@id='comments']//li[@class='comment']",
    "//footer//p[@class='copyright']",
    "//time[@datetime]",
]


@pytest.mark.parametrize(
    "key",
    [
        "gazette-test/festival-musique-ouverture",
        "nour-test/mahrajan-musiqa-iftitah",
        "ledger-test/port-container-record",
    ],
)
def test_article_pages_carry_the_boilerplate(demo: DemoOutlets, corpus: Corpus, key: str) -> None:
    tree = page(demo, key)
    for xpath in BOILERPLATE:
        assert tree.xpath(xpath), xpath
    comments = tree.xpath("//li[@class='comment']")
    assert 2 <= len(comments) <= 3
    language = corpus.article(key).language
    text = html.unescape(lxml.html.tostring(tree, encoding="unicode"))
    for word in ("report_image", "report_thanks", "cookie_accept", "newsletter_title"):
        assert UI[language][word] in text
    outlet = corpus.outlet(key.split("/")[0])
    assert outlet.name in tree.xpath("string(//p[@class='copyright'])")
    assert tree.xpath("//body/@class") == [f"style-{outlet.style}"]


def test_the_ticker_lists_the_outlets_other_titles(demo: DemoOutlets, corpus: Corpus) -> None:
    key = "gazette-test/festival-musique-ouverture"
    ticker = page(demo, key).xpath("//div[@class='ticker']//a/text()")
    others = {a.title for a in corpus.articles_of("gazette-test") if a.key != key}
    assert set(ticker) == others


def test_read_also_placement_differs_by_style(demo: DemoOutlets) -> None:
    classic = page(demo, "gazette-test/festival-musique-ouverture")
    box = classic.xpath("//div[@class='article-body']/aside[@class='read-also-box']")
    assert box
    assert box[0].getprevious().tag == "p"
    assert box[0].getnext().tag == "p"  # between paragraphs
    agency = page(demo, "ledger-test/port-container-record")
    assert agency.xpath(
        "//div[@class='dispatch-text']/following-sibling::aside[@class='read-also-box']"
    )


PARAGRAPHS = ("one", "two", "three", "four")


@pytest.mark.parametrize(
    ("style", "kinds"),
    [
        ("classic", ["p", "p", "read_also_box", "p", "p"]),
        ("magazine", ["p", "read_also_line", "p", "p", "read_also_line", "p"]),
        ("agency", ["p", "p", "p", "p"]),
    ],
)
def test_body_inserts_read_also_as_the_style_does(style: str, kinds: list[str]) -> None:
    links = [
        parts.Card(
            title=t,
            path=f"/{t}.html",
            lead="",
            section="",
            section_path="/",
            iso="",
            when="",
            clock="",
            image_path="",
        )
        for t in ("a", "b", "c")
    ]
    blocks = parts.body(PARAGRAPHS, links, style)
    assert [b.kind for b in blocks] == kinds
    assert [b.text for b in blocks if b.kind == "p"] == list(PARAGRAPHS)


def test_a_wire_copy_credits_its_source(demo: DemoOutlets) -> None:
    tree = page(demo, "gazette-test/port-ksar-test-record")
    assert "Agence Test Presse" in tree.xpath("string(//span[@class='credit'])")
    assert "Agence Test Presse" in tree.xpath("string(//span[@class='photo-credit'])")


def test_every_page_of_the_package_corpus_renders() -> None:
    """The stories written for the demo: every path of every outlet answers, pages hold texts."""
    package = load_corpus()
    for outlet in package.outlets:
        edition = build_edition(package, outlet.id, base_url="http://127.0.0.1:9", started_at=NOW)
        site = OutletSite(edition)
        for path in site.paths:
            assert site.respond(path, {}).status == 200, (outlet.id, path)
        for entry in edition.entries:
            body = html.unescape(site.respond(entry.path, {}).body.decode())
            assert all(p in body for p in entry.article.paragraphs), entry.article.key
