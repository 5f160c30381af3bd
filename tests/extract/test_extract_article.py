"""One article page in, text and metadata out (alaune.extract.article, .metadata).

The golden pages under pages/ are the hard cases of issue 4, written for alaune: Arabic with
mixed-direction text, an article split by "lire aussi" boxes, a comment section longer than the
article, a page whose only date is in its URL. Each has its expected text and metadata beside it.
"""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from alaune.errors import ParseError
from alaune.extract import extract, extract_article
from alaune.extract.scoring import leaked, token_score
from alaune.model import Extracted
from alaune.text.sanitize import sanitize_html

PAGES = Path(__file__).parent / "pages"
FLOORS = tomllib.loads((Path(__file__).parent / "floors.toml").read_text(encoding="utf-8"))
GOLDEN = sorted(p.stem for p in PAGES.glob("*.html"))
URL = "https://journal.example/societe/article.html"


def golden(name: str) -> tuple[bytes, dict[str, Any]]:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return (PAGES / f"{name}.html").read_bytes(), expected


def page(head: str = "", body: str = "") -> bytes:
    text = "<p>" + "Le conseil a voté le budget après un long débat en séance publique. " * 3
    return (
        f"<html><head>{head}</head><body><article>{body}{text}</p></article></body></html>".encode()
    )


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_pages_give_their_text(name: str) -> None:
    document, expected = golden(name)
    found = extract(document, url=expected["url"])
    score = token_score(found.text, "\n\n".join(expected["paragraphs"]))
    assert score.recall == 1.0, name
    assert found.html == sanitize_html(found.html)  # joined safe blocks: nothing left to strip
    assert score.f1 >= FLOORS["hard_pages"]["f1"], (
        name,
        leaked(found.paragraphs, expected["paragraphs"]),
    )


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_pages_give_their_metadata(name: str) -> None:
    document, expected = golden(name)
    found = extract(document, url=expected["url"])
    published = found.published.isoformat() if found.published else None
    updated = found.updated.isoformat() if found.updated else None
    assert (found.title, list(found.authors), published, updated) == (
        expected["title"], expected["authors"], expected["published"], expected["updated"],
    )  # fmt: skip
    assert (found.image_url, found.canonical_url, found.language) == (
        expected["image"], expected["canonical"], expected["language"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "head", "body", "field", "expected"),
    [
        ("og:title first", '<meta property="og:title" content="OG"><title>T</title>', "",
         "title", "OG"),
        ("h1 without og:title", "<title>T - Site</title>", "<h1>Le titre</h1>", "title",
         "Le titre"),
        ("JSON-LD people, not organisations",
         '<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":'
         '"Person","name":"A. Idrissi"},{"@type":"Organization","name":"Journal"}]}</script>',
         "", "authors", ("A. Idrissi",)),
        ("meta author", '<meta name="author" content="Leila Amrani">', "", "authors",
         ("Leila Amrani",)),
        ("an author that is a URL is not a name",
         '<meta name="author" content="https://facebook.com/journal">', "", "authors", ()),
        ("the outlet is not its own author", '<meta property="og:site_name" content="Journal">'
         '<meta name="author" content="Journal">', "", "authors", ()),
        ("og:image made absolute", '<meta property="og:image" content="/img/a.jpg">', "",
         "image_url", "https://journal.example/img/a.jpg"),
        ("twitter:image when no og:image", '<meta name="twitter:image" content="https://c.example/b.png">',
         "", "image_url", "https://c.example/b.png"),
        ("JSON-LD ImageObject", '<script type="application/ld+json">{"@type":"NewsArticle",'
         '"image":{"@type":"ImageObject","url":"https://c.example/c.jpg"}}</script>', "",
         "image_url", "https://c.example/c.jpg"),
        ("first figure when no meta", "", '<figure><img src="d.jpg"></figure>', "image_url",
         "https://journal.example/societe/d.jpg"),
        ("a javascript: image is dropped (D6)",
         '<meta property="og:image" content="javascript:alert(1)">',
         "", "image_url", ""),
        ("a data: image is dropped (D6)",
         '<meta property="og:image" content="data:image/png;base64,AA">',
         "", "image_url", ""),
        ("canonical link", '<link rel="canonical" href="/societe/article-1.html">', "",
         "canonical_url", "https://journal.example/societe/article-1.html"),
        ("og:url when no canonical", '<meta property="og:url" content="https://journal.example/x">',
         "", "canonical_url", "https://journal.example/x"),
        ("JSON-LD inside @graph", '<script type="application/ld+json">{"@graph":[{"@type":'
         '"WebSite","name":"J"},{"@type":"NewsArticle","headline":"Graphe"}]}</script>', "",
         "title", "Graphe"),
        ("broken JSON-LD is ignored", '<script type="application/ld+json">{"@type": </script>'
         "<title>T</title>", "", "title", "T"),
    ],
)  # fmt: skip
def test_metadata(name: str, head: str, body: str, field: str, expected: object) -> None:
    assert getattr(extract(page(head, body), url=URL), field) == expected, name


@pytest.mark.parametrize(
    ("name", "head", "body", "expected"),
    [
        ("JSON-LD first", '<script type="application/ld+json">{"@type":"NewsArticle",'
         '"datePublished":"2026-11-27T09:00:00+01:00"}</script>'
         '<meta property="article:published_time" content="2026-11-20T09:00:00+01:00">', "",
         [("json-ld", "2026-11-27T08:00:00+00:00"), ("meta", "2026-11-20T08:00:00+00:00")]),
        ("a flagged <time> over the first one", "",
         '<time datetime="2026-01-01">x</time>'
         '<time class="published" datetime="2026-11-27T10:00Z">',
         [("time", "2026-11-27T10:00:00+00:00")]),
        ("unreadable dates are no dates",
         '<meta property="article:published_time" content="demain">',
         "", []),
    ],
)  # fmt: skip
def test_page_dates_are_kept_per_source(
    name: str, head: str, body: str, expected: list[tuple[str, str]]
) -> None:
    found = extract(page(head, body), url=URL)
    assert [(s, t.isoformat()) for s, t in found.page_dates] == expected, name


def test_title_lead_and_byline_repeated_in_the_body_are_dropped_but_a_longer_paragraph_kept() -> (
    None
):
    lead = "Le conseil a adopté le budget de la ville après six heures de débat houleux"
    head = '<meta property="og:title" content="Budget adopté">'
    head += f'<meta name="description" content="{lead}">'
    head += '<meta name="author" content="Karim Bennani">'
    body = f"<h1>Budget adopté</h1><p>Par Karim Bennani</p><p>{lead}</p>"
    found = extract(page(head, body), url=URL)
    assert found.paragraphs[0].startswith("Le conseil a voté")
    assert found.lead_in_body
    # A description that is the first paragraph cut short must not cost the paragraph.
    first = f"{lead} et un vote serré de justesse en fin de soirée."
    found = extract(page(head.replace(lead, lead[:60] + "…"), f"<p>{first}</p>"), url=URL)
    assert found.paragraphs[0] == first


def test_hostile_markup_in_the_body_never_reaches_the_html() -> None:
    body = (
        '<p>Texte <a href="javascript:alert(1)">lien</a> <img src=x onerror=alert(1)>'
        "<script>alert(1)</script> <iframe srcdoc='<script>alert(1)</script>'></iframe>"
        "<svg><a><animate attributeName=href values=javascript:alert(1) /></a></svg></p>"
    )
    found = extract(page(body=body), url=URL)
    lowered = found.html.lower()
    for vector in ("javascript:", "onerror", "<script", "<iframe", "<svg", "<img"):
        assert vector not in lowered
    assert "alert" not in found.text


def test_language_word_count_and_reading_time() -> None:
    found = extract(page(), url=URL, language_hint="ar")
    assert found.language == "fr"  # detected on the text; the hint is for short texts only
    assert found.word_count == 39
    assert found.reading_minutes == 1
    document, expected = golden("ar-mixed-direction")
    assert extract(document, url=expected["url"]).language == "ar"


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("empty", b""),
        ("not html", b"\x00\x01\x02"),
        ("no text", b"<html><body><nav></nav><script>var a = 1;</script></body></html>"),
    ],
)
def test_a_page_without_text_is_a_parse_error(name: str, document: bytes) -> None:
    with pytest.raises(ParseError):
        extract(document, url=URL)


def test_extract_article_keeps_the_pipeline_s_contract() -> None:
    head = '<meta property="article:published_time" content="2026-11-27T09:00:00+01:00">'
    head += '<script type="application/ld+json">{"@type":"NewsArticle","author":['
    head += '{"@type":"Person","name":"A"},{"@type":"Person","name":"B"}]}</script>'
    found = extract_article(page(head), url=URL, language_hint="fr")
    assert isinstance(found, Extracted)
    assert found.author == "A, B"
    assert found.published == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert found.html.startswith("<p>Le conseil")
    assert found.paragraphs == (found.text,)
    assert lxml.html.fragment_fromstring(found.html).text_content() == found.text
