"""Re-extraction: the demo crawl's first pages of each outlet, extracted before their site
template knew the furniture, come out clean after `alaune reextract`; and when it is due."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from alaune.cli.main import cli
from alaune.config import load_settings
from alaune.demo.corpus import Corpus, load_corpus
from alaune.demo.server import DemoOutlets
from alaune.extract import extract
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest import reextract as reextract_module
from alaune.ingest.items import extraction_pool
from alaune.ingest.pipeline import Crawler, utcnow
from alaune.ingest.reextract import due, reextract
from alaune.store.engine import Database, open_database
from alaune.store.migrate import upgrade
from alaune.store.schema import articles, site_templates
from alaune.text.urls import canonical_url


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoOutlets]:
    with DemoOutlets() as outlets:
        yield outlets


def crawl_demo(url: str, demo: DemoOutlets) -> None:
    """Crawl the demo outlets once into the database at `url`, as `crawl --once --demo` does."""
    settings = dataclasses.replace(load_settings(env={}), fetch_allow=list(demo.allow))
    db = open_database(url)

    async def run() -> None:
        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            crawler = Crawler(db, fetcher)
            crawler.register(demo.registry())
            await crawler.crawl_once()

    try:
        asyncio.run(run())
    finally:
        db.dispose()


def migrated(path: Path) -> str:
    url = f"sqlite:///{path}"
    db = open_database(url)
    upgrade(db)
    db.dispose()
    return url


def template_pages(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return dict(conn.execute(select(site_templates.c.outlet_id, site_templates.c.pages)).all())


def leaked(db: Database, demo: DemoOutlets, corpus: Corpus) -> int:
    """Boilerplate paragraphs in the stored texts, measured on the corpus's gold texts."""
    with db.read() as conn:
        texts = dict(conn.execute(select(articles.c.canonical_url, articles.c.text)).all())
    count = 0
    for article in corpus.articles:
        text = texts[canonical_url(demo.url_of(article.key))]
        expected = corpus.expected_text(article.key)
        assert all(paragraph in text for paragraph in expected.split("\n\n"))
        count += sum(
            1 for line in text.split("\n\n") if line not in expected and line not in article.lead
        )
    return count


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (0, 1, False),
        (2, 3, True),
        (3, 4, False),
        (9, 10, True),
        (29, 30, True),
        (30, 99, False),
        (99, 100, True),
        (150, 200, True),
        (200, 201, False),
        (3, 3, False),  # a page learned twice counts once: nothing crossed
    ],
)
def test_reextraction_is_due_at_3_10_30_then_every_100(
    before: int, after: int, expected: bool
) -> None:
    assert due(before, after) is expected


def test_reextract_leaves_no_boilerplate_in_the_demo_crawl(
    tmp_path: Path, demo: DemoOutlets, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = migrated(tmp_path / "demo.db")
    # Without the crawl's own re-extraction, the first pages of each outlet, extracted before
    # three pages agreed on the furniture, keep it (docs/extraction.md: 18 paragraphs).
    monkeypatch.setattr(reextract_module, "due", lambda before, after: False)
    crawl_demo(url, demo)
    monkeypatch.undo()
    db = open_database(url)
    try:
        pages = template_pages(db)
        assert 0 < leaked(db, demo, corpus) <= 40
        result = CliRunner().invoke(cli, ["--database", url, "reextract"])
        assert result.exit_code == 0, result.output
        assert f"of {len(corpus.outlets)} outlets" in result.output
        assert leaked(db, demo, corpus) == 0
        # Apply only, never learn: a second run changes nothing.
        again = reextract(db, now=utcnow())
        assert again.articles == len(corpus.articles)
        assert again.changed == 0
        assert template_pages(db) == pages
    finally:
        db.dispose()


def test_reextract_says_when_there_is_nothing_to_do(tmp_path: Path) -> None:
    url = migrated(tmp_path / "empty.db")
    result = CliRunner().invoke(cli, ["--database", url, "reextract", "--outlet", "nowhere"])
    assert result.exit_code == 0, result.output
    assert "nothing to re-extract" in result.output


def test_a_page_extracts_the_same_in_the_process_pool() -> None:
    page = Path(__file__).parents[1] / "extract" / "pages" / "en-date-only-in-url.html"
    document = page.read_bytes()
    url = "https://example.com/2026/11/27/story"
    with extraction_pool(1) as pool:
        pooled = pool.submit(extract, document, url=url).result()
    assert pooled == extract(document, url=url)
