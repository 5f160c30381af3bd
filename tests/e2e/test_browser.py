"""A reader in a real browser: Debian's chromium, driven by Playwright, against the live site.

Playwright drives Debian's chromium (tests/e2e/browser_support.py).
Screenshots of the home page in each UI language are kept under test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import chromium, serving
from crawl_support import crawl
from playwright.sync_api import Browser

from alaune.config import load_settings
from alaune.demo.corpus import Corpus
from alaune.demo.server import DemoOutlets
from alaune.store import migrate, search
from alaune.store.engine import open_database
from alaune.text.normalize import fold
from alaune.web.app import create_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo: DemoOutlets) -> Iterator[str]:
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('site') / 'alaune.db'}")
    migrate.upgrade(db)
    settings = dataclasses.replace(load_settings(env={}), fetch_allow=list(demo.allow))
    crawl(db, demo, settings)
    with db.write() as conn:  # in case the crawler does not index as it stores
        search.reindex_all(conn)
    with serving(create_app(settings, db)) as url:
        yield url
    db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def test_a_reader_goes_from_home_to_story_to_article_to_its_source(
    site: str, browser: Browser, demo: DemoOutlets, corpus: Corpus
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site + "/")
    cards = page.locator("#stories article.card")
    assert cards.count() >= 10
    story_link = cards.first.locator("h2 a")
    story_title = story_link.inner_text()
    story_link.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("h1").inner_text() == story_title
    report = page.locator(".coverage-groups li a").first
    title = report.inner_text()
    report.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").inner_text() == title
    attribution = page.locator("article .attribution").inner_text()
    assert attribution.startswith("Publié dans ")
    article = next(a for a in corpus.articles if a.title == title)
    assert corpus.outlet(article.outlet).name in attribution
    source = page.locator("a.source-link")
    assert source.inner_text() == "Lire l'article depuis sa source"
    assert source.get_attribute("href") == demo.url_of(article.key)
    assert "noopener" in (source.get_attribute("rel") or "")
    assert errors == []  # no CSP violation, no missing file


def test_the_arabic_ui_is_laid_out_right_to_left(site: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site + "/ar/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    brand = page.locator(".brand").bounding_box()
    search_box = page.locator(".search-box").bounding_box()
    assert brand is not None
    assert search_box is not None
    assert brand["x"] > search_box["x"]  # the masthead starts on the right
    page.goto(site + "/en/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"


def test_search_finds_an_arabic_article_from_an_unvoweled_query_without_its_article(
    site: str, browser: Browser, corpus: Corpus
) -> None:
    article, word = next(
        (a, w)
        for a in corpus.articles
        if a.language == "ar" and a.copy_of is None
        for w in a.title.split()
        if w.startswith("ال") and len(fold(w)) >= 6 and w.isalpha()
    )
    query = fold(word)[2:]  # no harakat, no article: "المدرسة" → "مدرسه"
    page = browser.new_page()
    page.goto(site + "/ar/")
    page.fill("#site-q", query)
    page.press("#site-q", "Enter")
    page.wait_for_url(re.compile(r".*/ar/search\?q=.*"))
    titles = page.locator("ol.results .row-title").all_inner_texts()
    assert article.title in titles, (query, titles[:5])
    assert page.locator("ol.results mark").count() >= 1


def test_screenshots_of_the_home_page_in_each_language(site: str, browser: Browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for lang, path in (("fr", "/"), ("ar", "/ar/"), ("en", "/en/")):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(site + path)
        shot = ARTIFACTS / f"home-{lang}.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000


def test_the_home_page_fits_a_phone(site: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    for path in ("/", "/ar/", "/search?q=maroc"):
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_focus_is_visible(site: str, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(site + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_search_results_follow_the_words_as_they_are_typed(site: str, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(site + "/search")
    assert page.locator("ol.results .row").count() == 0
    page.locator("#q").press_sequentially("maroc", delay=30)
    page.wait_for_selector("ol.results .row", timeout=10_000)
    assert "/search?q=maroc" in page.url  # htmx pushed the URL: the page stays linkable
