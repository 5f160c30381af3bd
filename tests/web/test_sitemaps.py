"""The sitemaps: an index of files, every story and article listed once whatever their number,
merged stories left out, each file well-formed and in the sitemaps.org namespace."""

from __future__ import annotations

import pytest
from lxml import etree
from newsroom_support import EXCERPT, FULL, HERALD, Newsroom
from sqlalchemy import update
from starlette.testclient import TestClient

from alaune.store.engine import Database
from alaune.store.schema import stories
from alaune.store.stories import merge_stories
from alaune.web.pages import seo

NS = {"s": seo.SITEMAP_NS}
ORIGIN = "http://127.0.0.1:8000"


def _xml(client: TestClient, path: str) -> etree._Element:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"].startswith("application/xml")
    # A strict parser: no recovery from broken markup.
    return etree.fromstring(response.content, etree.XMLParser(recover=False))


def _locs(root: etree._Element) -> list[str]:
    return [str(loc) for loc in root.xpath("//s:loc/text()", namespaces=NS)]


def test_every_story_and_article_is_in_one_file(
    newsroom: Newsroom, client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seo, "BLOCK", 3)  # 7 articles: files of 3, 3 and 1
    ids = [newsroom.add(outlet) for outlet in (FULL, EXCERPT, HERALD) * 2 + (FULL,)]
    kept = newsroom.story(ids[:2])  # the second article's story of one is deleted
    with db.write() as conn:
        story_ids = sorted(conn.execute(stories.select().with_only_columns(stories.c.id)).scalars())
        gone = story_ids[-1]
        merge_stories(conn, keep=kept, gone=gone)
        conn.execute(update(stories).where(stories.c.id == gone).values(status="merged"))

    index = _xml(client, "/sitemap.xml")
    assert etree.QName(index).localname == "sitemapindex"
    files = [loc.removeprefix(ORIGIN) for loc in _locs(index)]
    last_story = story_ids[-1]
    story_files = -(-last_story // 3)
    assert files == [
        "/sitemaps/pages.xml",
        *(f"/sitemaps/stories-{n}.xml" for n in range(story_files, 0, -1)),
        "/sitemaps/articles-3.xml",
        "/sitemaps/articles-2.xml",
        "/sitemaps/articles-1.xml",
    ]

    listed_articles: list[str] = []
    listed_stories: list[str] = []
    for path in files[1:]:
        root = _xml(client, path)
        assert etree.QName(root).localname == "urlset"
        entries = root.findall("s:url", NS)
        # Every entry has its date of last change.
        assert all(entry.findtext("s:lastmod", namespaces=NS) for entry in entries)
        (listed_stories if "stories" in path else listed_articles).extend(_locs(root))
    # Each once (the files come newest first, each file by id).
    assert sorted(listed_articles) == sorted(f"{ORIGIN}/articles/{i}" for i in ids)
    assert len(listed_articles) == len(ids)
    live = [s for s in story_ids if s != gone]
    assert sorted(listed_stories) == sorted(f"{ORIGIN}/stories/{s}" for s in live)
    assert len(listed_stories) == len(live)
    assert f"{ORIGIN}/stories/{gone}" not in listed_stories

    pages = _locs(_xml(client, "/sitemaps/pages.xml"))
    assert pages[0] == f"{ORIGIN}/"
    assert f"{ORIGIN}/outlets/full" in pages
    assert f"{ORIGIN}/categories/sport" in pages


def test_a_file_past_the_end_is_not_found(newsroom: Newsroom, client: TestClient) -> None:
    newsroom.add(FULL)
    assert client.get("/sitemaps/articles-1.xml").status_code == 200
    for path in (
        "/sitemaps/articles-2.xml",
        "/sitemaps/articles-0.xml",
        "/sitemaps/stories-2.xml",
        "/sitemaps/articles-x.xml",
        "/sitemaps/articles-99999999999999999999999.xml",
    ):
        assert client.get(path).status_code == 404, path


def test_an_empty_site_has_an_index_of_its_pages(client: TestClient) -> None:
    assert _locs(_xml(client, "/sitemap.xml")) == [f"{ORIGIN}/sitemaps/pages.xml"]
