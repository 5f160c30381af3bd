"""RSS 2.0 and Atom for every listing: well-formed for any content (SECURITY.md D7), read back
by a strict XML parser and by feedparser, in every UI language."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser
import pytest
from lxml import etree
from newsroom_support import EXCERPT, FULL, HERALD, Newsroom
from starlette.testclient import TestClient

from alaune.web.feeds import FeedDocument, FeedEntry, atom, rss, xml_text

STRICT = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
NASTY = "Fin ]]> de CDATA \x00\x01\x08\x0b\x1f \ud800 lone \udfff \u200f\u202eRTL\u202c & <b>"
# What a database can hold (no NUL, no lone surrogate) but XML cannot (C0 controls).
STORED = "Fin ]]> de CDATA \x01\x08\x0b\x1f \u200f\u202eRTL\u202c & <b>"


def listing_paths(newsroom: Newsroom) -> list[str]:
    a = newsroom.add(FULL, title="Le port de Tanger", category="economie")
    b = newsroom.add(EXCERPT, title="ميناء طنجة", category="economie")
    c = newsroom.add(HERALD, title="Tangier port")
    story = newsroom.story([a, b, c])
    return [
        "/index",
        f"/stories/{story}",
        "/outlets/full",
        "/categories/economie",
        "/search",
    ]


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("prefix", ["", "/ar", "/en"])
def test_every_listing_has_feeds_that_parse_strictly_and_back(
    newsroom: Newsroom, client: TestClient, kind: str, prefix: str
) -> None:
    for path in listing_paths(newsroom):
        query = "?q=port" if path == "/search" else ""
        response = client.get(f"{prefix}{path}.{kind}{query}")
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith(f"application/{kind}+xml")
        etree.fromstring(response.content, STRICT)
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.link.startswith("http://127.0.0.1:8000" + prefix + "/")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_d7_any_text_gives_well_formed_xml(
    newsroom: Newsroom, client: TestClient, kind: str
) -> None:
    newsroom.add(FULL, title=STORED, lead=STORED, author=STORED)
    body = client.get(f"/outlets/full.{kind}").content
    tree = etree.fromstring(body, STRICT)
    assert tree is not None
    parsed = feedparser.parse(body)
    assert not parsed.bozo
    title = parsed.entries[0].title
    assert "]]>" in title
    assert "\u202eRTL" in title
    assert "<b>" in title
    assert "\x01" not in title
    # ]]>, NUL, U+0001 and an encoded lone surrogate (invalid UTF-8) in the query.
    search = client.get(f"/search.{kind}?q=cdata%20%5D%5D%3E%20%00%01%20%ED%A0%80")
    etree.fromstring(search.content, STRICT)


@pytest.mark.parametrize("writer", [rss, atom])
def test_d7_the_writers_alone_survive_hostile_fields(writer: object) -> None:
    when = datetime(2026, 11, 29, tzinfo=UTC)
    document = FeedDocument(
        title=NASTY,
        page_url="https://alaune.example/\u202e",
        self_url="https://alaune.example/feed",
        description=NASTY,
        language="ar",
        entries=[
            FeedEntry(
                url="https://alaune.example/articles/1",
                title=NASTY,
                summary=NASTY,
                published=when,
                updated=when,
                author=NASTY,
                category=NASTY,
                language="ar",
            )
        ],
    )
    body = writer(document)  # type: ignore[operator]
    etree.fromstring(body, STRICT)
    assert not feedparser.parse(body).bozo


def test_xml_text_keeps_what_xml_allows() -> None:
    assert xml_text("a\tb\nc\r\u200f\U0001f600") == "a\tb\nc\r\u200f\U0001f600"
    assert xml_text("\x00\x1f\ufffe\uffff\ud83d") == ""
