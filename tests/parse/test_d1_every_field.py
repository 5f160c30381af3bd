"""D1 at the parser level: an attack vector in any field of any format comes out inert.

The full vector list and the allowlist itself are tested in tests/unit/test_sanitize.py; here a
handful of representative vectors go through every field that can carry HTML — title, summary,
content, author, category — in RSS, Atom and JSON Feed, through the one cleaning path.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

import lxml.html
import pytest

from alaune.parse import ParsedItem, parse_document

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<svg><a><animate attributeName=href values=javascript:alert(1) /></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<div style="background:url(javascript:alert(1))" onmouseover="alert(1)">x</div>',
]
_STRIP = re.compile(r"[\x00-\x20\x7f]+")
pytestmark = pytest.mark.usefixtures("backend")


def assert_clean(item: ParsedItem) -> None:
    for text in (item.title, item.author, *item.categories):
        assert "<script" not in text.lower()
        assert "onerror" not in text.lower()
    for fragment in (item.summary, item.content):
        if not fragment:
            continue
        for element in lxml.html.fragment_fromstring(fragment, create_parent="div").iter():
            if not isinstance(element.tag, str):
                continue
            assert element.tag not in {"script", "style", "iframe", "svg", "math", "animate"}
            for name, value in element.attrib.items():
                assert not name.startswith("on")
                assert name != "style"
                if name in {"href", "src"}:
                    assert _STRIP.sub("", html.unescape(value)).startswith(("http:", "https:"))


def escaped(vector: str) -> str:
    return html.escape(vector, quote=False)


@pytest.mark.parametrize("vector", VECTORS)
def test_rss_fields(vector: str) -> None:
    v = escaped(vector)
    document = (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
        f"<item><title>{v}</title><link>https://n.example/1</link><description>{v}</description>"
        f"<content:encoded>{v}</content:encoded><dc:creator>{v}</dc:creator>"
        f"<category>{v}</category></item></channel></rss>"
    ).encode()
    (item,) = parse_document(document, now=NOW, url="https://n.example/feed").items
    assert_clean(item)


@pytest.mark.parametrize("vector", VECTORS)
def test_atom_fields(vector: str) -> None:
    v = escaped(vector)
    document = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry>'
        f'<title type="html">{v}</title><link href="https://n.example/1"/><id>1</id>'
        f'<summary type="html">{v}</summary><content type="html">{v}</content>'
        f'<author><name>{v}</name></author><category term="x" label="{html.escape(vector)}"/>'
        "</entry></feed>"
    ).encode()
    (item,) = parse_document(document, now=NOW, url="https://n.example/feed").items
    assert_clean(item)


@pytest.mark.parametrize("vector", VECTORS)
def test_json_feed_fields(vector: str) -> None:
    entry = {
        "id": "1",
        "url": "https://n.example/1",
        "title": vector,
        "summary": vector,
        "content_html": vector,
        "authors": [{"name": vector}],
        "tags": [vector],
    }
    document = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [entry]})
    (item,) = parse_document(document.encode(), now=NOW, url="https://n.example/feed").items
    assert_clean(item)
