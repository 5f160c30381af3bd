"""SECURITY.md D5, D6, D8: hostile text escaped in every output context, links made safe.

Contexts: HTML text, attribute values, <title>, the JSON API, RSS and Atom, JSON-LD inside
<script>. Text comes from outlets (title, lead, author, outlet name), so each carries the vectors.
"""

from __future__ import annotations

import json
import re

import feedparser
import pytest
from lxml import etree, html
from newsroom_support import FULL, NOW, Newsroom
from starlette.testclient import TestClient

from alaune.model import Outlet
from alaune.store import outlets
from alaune.store.engine import Database

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "{{7*7}}",
    "</script><script>alert(1)</script><!--",
]


def hostile_outlet(db: Database, name: str) -> Outlet:
    outlet = Outlet(id="evil", name=name, homepage="https://evil.example/", languages=("fr",))
    with db.write() as conn:
        outlets.sync_outlets(conn, [outlet], now=NOW)
    return outlet


@pytest.mark.parametrize("hostile", HOSTILE)
def test_d5_html_pages_escape_text_attributes_and_title(
    db: Database, newsroom: Newsroom, client: TestClient, hostile: str
) -> None:
    outlet = hostile_outlet(db, hostile)
    article = newsroom.add(
        outlet,
        title=hostile,
        lead=hostile,
        author=hostile,
        category="sport",
        text=f"{hostile}\n\n{hostile}",
    )
    story = newsroom.story([article])
    pages = [
        "/",
        f"/stories/{story}",
        f"/articles/{article}",
        "/outlets/evil",
        "/outlets",
        "/categories/sport",
        "/search?q=" + hostile,
        "/search?q=script+alert",
    ]
    for path in pages:
        body = client.get(path).text
        assert "<img src=x" not in body, path
        assert "<script>alert" not in body, path
        document = html.fromstring(body)
        assert not [a for el in document.iter() for a in el.attrib if a.startswith("on")], path
        scripts = document.xpath("//script")
        assert all(s.get("src") or s.get("type") == "application/ld+json" for s in scripts)
        assert ">49<" not in body, path
        assert " 49 " not in body, path
        title = re.search(r"<title>(.*?)</title>", body, re.S)
        assert title is not None, path
        assert "<" not in title.group(1), path
        for attr in re.findall(r'content="([^"]*)"', body.split("</head>", 1)[0]):
            assert "<" not in attr, path


def test_d5_json_ld_cannot_close_its_script(
    db: Database, newsroom: Newsroom, client: TestClient
) -> None:
    nasty = "</script><script>alert(1)</script><!-- & \u2028"
    article = newsroom.add(hostile_outlet(db, nasty), title=nasty, author=nasty)
    body = client.get(f"/articles/{article}").text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert block is not None
    assert "<" not in block.group(1)
    assert "&" not in block.group(1)
    data = json.loads(block.group(1))
    assert data["headline"] == nasty
    assert data["publisher"]["name"] == nasty


@pytest.mark.parametrize("hostile", HOSTILE)
def test_d5_the_json_api_returns_text_as_data(
    db: Database, newsroom: Newsroom, client: TestClient, hostile: str
) -> None:
    article = newsroom.add(hostile_outlet(db, hostile), title=hostile, author=hostile)
    response = client.get(f"/api/v1/articles/{article}")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    document = response.json()
    assert document["title"] == hostile
    assert document["author"] == hostile
    assert document["outlet"]["name"] == hostile


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_d5_feeds_carry_text_escaped_never_markup(
    db: Database, newsroom: Newsroom, client: TestClient, hostile: str, kind: str
) -> None:
    newsroom.add(hostile_outlet(db, hostile), title=hostile, lead=hostile)
    body = client.get(f"/outlets/evil.{kind}").content
    tree = etree.fromstring(body, etree.XMLParser(resolve_entities=False))
    assert not tree.xpath("//*[local-name()='img' or local-name()='script']")
    titles = [t.text for t in tree.iter("{*}title", "title")]
    assert hostile in titles
    parsed = feedparser.parse(body)
    assert parsed.entries[0].title == hostile


def test_d6_only_http_links_reach_pages_and_the_api(newsroom: Newsroom, client: TestClient) -> None:
    article = newsroom.add(FULL, url="javascript:alert(1)")
    body = client.get(f"/articles/{article}").text
    assert "javascript:" not in body
    assert 'class="source-link"' not in body
    assert client.get(f"/api/v1/articles/{article}").json()["source_url"] == ""


def test_d8_bidi_overrides_stay_inside_isolates_and_leave_urls(
    db: Database, newsroom: Newsroom, client: TestClient
) -> None:
    spoof = "Résultats \u202eelif.exe\u202c officiels"
    outlet = hostile_outlet(db, "Zero\u200dWidth \u2067Press\u2069")
    article = newsroom.add(outlet, title=spoof, url="https://evil.example/\u202egpj.exe?\u2066x=1")
    body = client.get(f"/articles/{article}").text
    assert f'<h1 id="article-title" dir="auto">{spoof}</h1>' in body
    assert "<bdi>Zero\u200dWidth \u2067Press\u2069</bdi>" in body
    link = re.search(r'class="source-link" href="([^"]+)"', body)
    assert link is not None
    assert link.group(1) == "https://evil.example/gpj.exe?x=1"
    domain = body.split('class="source-domain"', 1)[1].split("</span>", 1)[0]
    assert "\u202e" not in domain
    assert "\u2066" not in domain
    home = client.get("/").text
    assert re.search(f'dir="auto"><a href="/stories/\\d+">{re.escape(spoof)}</a>', home)
