"""The RSS/Atom engines: both read documents the same, and feedparser-rs's known faults stay
worked around (alaune.parse.backend). If a new feedparser-rs fixes a fault, the pinning test
here fails and says which workaround can go."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alaune.parse import parse_document
from alaune.parse.backend import BACKENDS, expand_empty_elements, feedparser_rs, run

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
needs_rust = pytest.mark.skipif(feedparser_rs is None, reason="feedparser-rs is not installed")
DC = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'


def rss(item_body: str) -> bytes:
    return (
        f'<rss version="2.0" {DC}><channel><title>T</title><link>https://n.example/</link>'
        f"<item>{item_body}</item></channel></rss>"
    ).encode()


@needs_rust
def test_feedparser_rs_still_loses_the_element_after_a_self_closing_one() -> None:
    raw = feedparser_rs.parse(
        rss("<dc:creator/><link>https://n.example/1</link><title>T</title>"),
        sanitize_html=False,
    )
    assert not raw.entries[0].get("link"), "fixed upstream: expand_empty_elements can go"


@needs_rust
def test_feedparser_rs_still_blanks_links_to_private_addresses() -> None:
    raw = feedparser_rs.parse(rss("<link>http://127.0.0.1:8001/a</link>"), sanitize_html=False)
    assert raw.entries[0].get("link") == "", "fixed upstream: the feedparser fallback can go"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "body",
    [
        "<dc:creator/><link>https://n.example/1</link><title>Titre</title><guid>g</guid>",
        "<description/><title>Titre</title><link>https://n.example/1</link><guid>g</guid>",
        "<title>Titre</title><comments/><guid>g</guid><link>https://n.example/1</link>",
    ],
)
def test_no_field_is_lost_after_an_empty_element(body: str, backend: str) -> None:
    (item,) = parse_document(rss(body), now=NOW, backend=backend).items
    assert (item.title, item.link, item.guid) == ("Titre", "https://n.example/1", "g")


def test_links_to_loopback_outlets_are_kept() -> None:
    # The demo outlets and the test servers live on 127.0.0.1: their links must survive.
    (item,) = parse_document(
        rss("<title>x</title><link>http://127.0.0.1:8001/a</link>"), now=NOW
    ).items
    assert item.link == "http://127.0.0.1:8001/a"


def test_empty_elements_are_expanded_outside_cdata_only() -> None:
    document = b'<a/><b x="https://i.example/x.jpg" /><![CDATA[<br/>]]><c:d y="1"/> 1/2 />'
    assert expand_empty_elements(document) == (
        b'<a></a><b x="https://i.example/x.jpg" ></b><![CDATA[<br/>]]><c:d y="1"></c:d> 1/2 />'
    )


def test_an_unrecognised_document_falls_back_and_still_says_so() -> None:
    parsed = run(b"<html><body>x</body></html>", base_url="", xml_base=False)
    assert not parsed.entries
    assert not parsed.get("version")
