"""Dates you can trust in the crawl: the listing's date (a feed's or a news sitemap's), the
page's own statements, a date in the URL and the time first seen, reconciled; never in the
future; the winning source recorded in `articles.date_source`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from test_reextract import crawl_demo, leaked, migrated

from alaune.demo.corpus import Corpus, load_corpus
from alaune.demo.server import DemoOutlets
from alaune.extract import Extraction
from alaune.ingest.assemble import assemble
from alaune.model import FeedItem, Outlet
from alaune.store.engine import open_database
from alaune.store.schema import articles

NOW = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
OUTLET = Outlet(id="o", name="O", homepage="https://o.example/", languages=("fr",))
DATED_URL = "https://o.example/2026/11/27/une-affaire"
PLAIN_URL = "https://o.example/une-affaire"


def page(*dates: tuple[str, datetime]) -> Extraction:
    return Extraction(
        url=PLAIN_URL, title="Une affaire", blocks=(), text="Du texte.", page_dates=dates
    )


CASES = {
    "the feed's date alone": (NOW - 3 * HOUR, (), PLAIN_URL, "", NOW - 3 * HOUR, "feed"),
    "a news sitemap's date is the sitemap's": (
        NOW - 3 * HOUR,
        (),
        PLAIN_URL,
        "sitemap",
        NOW - 3 * HOUR,
        "sitemap",
    ),
    "JSON-LD agreeing with the feed wins the tie": (
        NOW - 3 * HOUR,
        (("json-ld", NOW - 2 * HOUR),),
        PLAIN_URL,
        "",
        NOW - 2 * HOUR,
        "json-ld",
    ),
    "a feed date in the future is not trusted": (
        NOW + 72 * HOUR,
        (("meta", NOW - 5 * HOUR),),
        PLAIN_URL,
        "",
        NOW - 5 * HOUR,
        "meta",
    ),
    "a feed and a URL outvote a wrong page date": (
        datetime(2026, 11, 27, 9, tzinfo=UTC),
        (("time", datetime(2024, 1, 1, tzinfo=UTC)),),
        DATED_URL,
        "",
        datetime(2026, 11, 27, 9, tzinfo=UTC),
        "feed",
    ),
    "only the URL: noon that day, Casablanca": (
        None,
        (),
        DATED_URL,
        "",
        datetime(2026, 11, 27, 11, tzinfo=UTC),
        "url",
    ),
    "nothing at all: first seen": (None, (), PLAIN_URL, "", NOW, "first_seen"),
    "a few minutes ahead is clamped to first seen": (
        NOW + 2 * HOUR,
        (),
        PLAIN_URL,
        "",
        NOW,
        "feed",
    ),
}


@pytest.mark.parametrize(
    ("listed", "stated", "url", "listing", "published", "source"),
    list(CASES.values()),
    ids=list(CASES),
)
def test_assembled_dates_are_reconciled(
    listed: datetime | None,
    stated: tuple[tuple[str, datetime], ...],
    url: str,
    listing: str,
    published: datetime,
    source: str,
) -> None:
    item = FeedItem(url=url, title="Une affaire", published=listed)
    article = assemble(
        outlet=OUTLET,
        item=item,
        page=page(*stated),
        final_url=url,
        raw_html=b"<html></html>",
        now=NOW,
        listing=listing,
    )
    assert (article.published_at, article.date_source) == (published, source)
    assert article.published_at <= NOW


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoOutlets]:
    with DemoOutlets() as outlets:
        yield outlets


def test_the_demo_crawl_records_where_each_date_came_from(
    tmp_path: Path, demo: DemoOutlets, corpus: Corpus
) -> None:
    url = migrated(tmp_path / "dates.db")
    before = datetime.now(UTC)
    crawl_demo(url, demo)
    db = open_database(url)
    try:
        with db.read() as conn:
            rows = conn.execute(
                select(articles.c.outlet_id, articles.c.published_at, articles.c.date_source)
            ).all()
        # The same crawl re-extracted each outlet's first pages when its template reached 3, 10
        # and 30 pages: none keeps the furniture it was stored with.
        assert leaked(db, demo, corpus) == 0
    finally:
        db.dispose()
    # Every demo page states its time in JSON-LD, which its feed or news sitemap confirms:
    # JSON-LD wins the tie by rank, and no article falls back on the time first seen.
    assert Counter(source for _, _, source in rows) == {"json-ld": len(corpus.articles)}
    oldest = before - timedelta(minutes=max(a.minutes_ago for a in corpus.articles) + 60)
    assert all(oldest <= published <= datetime.now(UTC) for _, published, _ in rows)
