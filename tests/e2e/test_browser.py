"""A reader in a real browser: Debian's chromium, driven by Playwright, against the live site.

Never `playwright install`: the browser is /usr/bin/chromium (installed by `make test`).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from crawl_support import crawl
from playwright.sync_api import Browser, sync_playwright

from alaune.config import Settings
from alaune.demo.corpus import Corpus
from alaune.demo.server import DemoOutlets
from alaune.store.engine import Database
from alaune.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
# Without these, chromium tries Google's services at start, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def site(sqlite_db: Database, demo: DemoOutlets, demo_settings: Settings) -> Iterator[str]:
    crawl(sqlite_db, demo, demo_settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(demo_settings, sqlite_db), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the site did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (or: apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_a_reader_opens_an_article_and_finds_its_source(
    site: str, browser: Browser, demo: DemoOutlets, corpus: Corpus
) -> None:
    page = browser.new_page()
    page.goto(site + "/")
    cards = page.locator("ol.cards li.card")
    assert cards.count() == 30
    first = cards.first.locator("h2 a")
    title = first.inner_text()
    first.click()
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


def test_the_home_page_fits_a_phone(site: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(site + "/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360
