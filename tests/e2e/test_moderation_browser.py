"""Image reports end to end, in Debian's chromium: three readers on three networks (behind a
trusted proxy that says each one's address) report a demo image; it disappears from its article
and from its wire copy; an admin signs in, restores it, and it shows again.

The demo is crawled for real (feeds, pages, images through the safe fetcher), so the wire copy's
picture is the agency's, re-encoded by the copying outlet: it is hidden because it is the same
picture (copy group and pHash), not because it has the same id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from browser_support import chromium, serving
from crawl_support import crawl
from playwright.sync_api import Browser, Page
from sqlalchemy import select
from sqlalchemy.orm import aliased

from alaune.auth.passwords import hash_password
from alaune.config import load_settings
from alaune.demo.server import DemoOutlets
from alaune.store import admins, migrate
from alaune.store.engine import Database, open_database
from alaune.store.schema import articles, images
from alaune.web.app import create_app

PASSWORD = "a long demo password"
READERS = ("203.0.113.10", "203.0.113.11", "198.51.100.20")

pytestmark = pytest.mark.browser


@dataclasses.dataclass
class Site:
    url: str
    db: Database


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo: DemoOutlets) -> Iterator[Site]:
    from datetime import UTC, datetime

    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('moderation') / 'alaune.db'}")
    migrate.upgrade(db)
    settings = dataclasses.replace(
        load_settings(env={}), fetch_allow=list(demo.allow), trusted_proxies=["127.0.0.1"]
    )
    crawl(db, demo, settings)
    with db.write() as conn:
        admins.create_user(conn, "editor", hash_password(PASSWORD), now=datetime.now(UTC))
    with serving(create_app(settings, db, cache_ttl=0)) as url:
        yield Site(url, db)
    db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _copy_with_images(db: Database) -> tuple[int, int, int, int]:
    """(original article, its image, a wire copy, the copy's image), all images stored."""
    copy = aliased(articles)
    original_image, copy_image = aliased(images), aliased(images)
    query = (
        select(articles.c.id, articles.c.image_id, copy.c.id, copy.c.image_id)
        .join(copy, copy.c.copy_of == articles.c.id)
        .join(original_image, original_image.c.id == articles.c.image_id)
        .join(copy_image, copy_image.c.id == copy.c.image_id)
        .where(original_image.c.status == "stored", copy_image.c.status == "stored")
        .where(articles.c.image_id != copy.c.image_id)
        .order_by(articles.c.id)
    )
    with db.read() as conn:
        row = conn.execute(query).first()
    assert row is not None, "the demo has a wire copy whose picture both outlets show"
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _shows(page: Page, image_id: int) -> bool:
    return page.locator(f'img[src^="/images/{image_id}/"]').count() == 1


def _report(browser: Browser, site: Site, article_id: int, image_id: int, address: str) -> None:
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": address})
    page = context.new_page()
    page.goto(f"{site.url}/articles/{article_id}")
    control = page.locator(f'[data-image-report="{image_id}"]')
    control.get_by_role("button", name="Signaler cette image").click()
    page.get_by_label("Pourquoi ? (facultatif)").fill("photo choquante")
    page.get_by_role("button", name="Envoyer le signalement").click()
    thanks = page.locator(".report-thanks")
    thanks.wait_for()
    assert thanks.inner_text() == (
        "Merci d'avoir signalé ! Cette image sera bloquée automatiquement après plusieurs "
        "signalements."
    )
    context.close()


def test_reports_hide_an_image_on_its_article_and_wire_copy_and_an_admin_restores_it(
    site: Site, browser: Browser
) -> None:
    original, image_id, copy, copy_image = _copy_with_images(site.db)
    page = browser.new_page()
    page.goto(f"{site.url}/articles/{original}")
    assert _shows(page, image_id)
    page.goto(f"{site.url}/articles/{copy}")
    assert _shows(page, copy_image)

    for address in READERS:
        _report(browser, site, original, image_id, address)

    page.goto(f"{site.url}/articles/{original}")
    assert not _shows(page, image_id)
    assert page.locator(".image-placeholder").is_visible()
    page.goto(f"{site.url}/articles/{copy}")
    assert not _shows(page, copy_image)
    assert page.locator(".image-placeholder").is_visible()

    admin = browser.new_context().new_page()
    admin.goto(f"{site.url}/admin")
    admin.wait_for_url("**/admin/login**")
    admin.get_by_label("Nom").fill("editor")
    admin.get_by_label("Mot de passe").fill(PASSWORD)
    admin.get_by_role("button", name="Se connecter").click()
    admin.wait_for_url(f"{site.url}/admin")
    item = admin.locator(f'[data-queue-image="{image_id}"]').first
    assert "3 signaleurs depuis 2 réseaux" in item.inner_text()
    item.get_by_role("button", name="Rétablir").click()
    admin.wait_for_url(f"{site.url}/admin")

    page.goto(f"{site.url}/articles/{original}")
    assert _shows(page, image_id)
    page.goto(f"{site.url}/articles/{copy}")
    assert _shows(page, copy_image)
    admin.goto(f"{site.url}/admin/audit")
    assert "restore" in admin.locator("table").inner_text()
