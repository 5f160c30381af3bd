"""Dates you can trust: feed, page, sitemap, URL and first seen reconciled (extract.dates)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from alaune.extract import DateEvidence, extract, reconcile
from alaune.extract.dates import url_date

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SEEN = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
MORNING = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
URL = "https://journal.example/societe/budget.html"
DATED_URL = "https://journal.example/2026/11/28/budget/"


def at(days: float = 0, hours: float = 0) -> datetime:
    return MORNING + timedelta(days=days, hours=hours)


@pytest.mark.parametrize(
    ("name", "evidence", "published", "source"),
    [
        ("nothing known: first seen", DateEvidence(SEEN), SEEN, "first_seen"),
        ("the feed alone", DateEvidence(SEEN, feed=at()), at(), "feed"),
        ("the page alone", DateEvidence(SEEN, page=(("meta", at()),)), at(), "meta"),
        ("page and feed agree: the page's structured data is preferred",
         DateEvidence(SEEN, feed=at(hours=0.2), page=(("json-ld", at()),)), at(), "json-ld"),
        ("the sitemap outranks the feed",
         DateEvidence(SEEN, feed=at(hours=1), sitemap=at()), at(), "sitemap"),
        ("a date in the future is not a publication date",
         DateEvidence(SEEN, feed=datetime(9999, 12, 31, tzinfo=UTC)), SEEN, "first_seen"),
        ("tomorrow from a wrong zone is clamped to first seen",
         DateEvidence(SEEN, feed=NOW + timedelta(hours=10)), SEEN, "feed"),
        ("a time after first seen is first seen",
         DateEvidence(SEEN, feed=SEEN + timedelta(minutes=5)),
         SEEN, "feed"),
        ("before the web had feeds", DateEvidence(SEEN, feed=datetime(1970, 1, 1, tzinfo=UTC)),
         SEEN, "first_seen"),
        ("two against one: the majority wins over rank",
         DateEvidence(SEEN, feed=at(), sitemap=at(hours=1), page=(("json-ld", at(days=-400)),)),
         at(hours=1), "sitemap"),
        ("the URL's day breaks a tie",
         DateEvidence(SEEN, feed=at(), page=(("json-ld", at(days=-30)),), url=DATED_URL),
         at(), "feed"),
        ("a page whose only date is in its URL",
         DateEvidence(SEEN, url=DATED_URL), datetime(2026, 11, 28, 11, 0, tzinfo=UTC), "url"),
        ("a URL's day in the future is ignored",
         DateEvidence(SEEN, url="https://j.example/2027/01/02/x"), SEEN, "first_seen"),
        ("an old URL day gives noon that day, Casablanca time",
         DateEvidence(SEEN, url="https://j.example/2026/10/05/x"),
         datetime(2026, 10, 5, 11, 0, tzinfo=UTC), "url"),
    ],
)  # fmt: skip
def test_reconcile(name: str, evidence: DateEvidence, published: datetime, source: str) -> None:
    trusted = reconcile(evidence, now=NOW)
    assert (trusted.published, trusted.source) == (published, source), name
    assert trusted.published <= min(evidence.first_seen, NOW)


@pytest.mark.parametrize(
    ("name", "modified", "expected"),
    [
        ("after publication", at(hours=2), at(hours=2)),
        ("before publication", at(hours=-2), None),
        ("in the future", NOW + timedelta(days=1), None),
        ("none", None, None),
    ],
)
def test_the_update_time(name: str, modified: datetime | None, expected: datetime | None) -> None:
    evidence = DateEvidence(SEEN, page=(("meta", at()),), page_modified=modified)
    assert reconcile(evidence, now=NOW).updated == expected, name


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://j.example/2026/11/28/budget/", date(2026, 11, 28)),
        ("https://j.example/actu/2026-11-28-budget.html", date(2026, 11, 28)),
        ("https://j.example/20261128/budget", date(2026, 11, 28)),
        ("https://j.example/2026/11/budget", None),  # a month is not a day
        ("https://j.example/2026/13/40/x", None),
        ("https://j.example/2026/02/30/x", None),
        ("https://j.example/article-20261128", None),  # digits inside a slug
        ("https://j.example/x?d=2026/11/28", None),  # the query is not the path
        ("https://2026.example/11/28/x", None),  # nor is the host
        ("https://j.example/1970/01/01/x", None),
    ],
)
def test_a_date_in_the_url(url: str, expected: date | None) -> None:
    assert url_date(url) == expected


def test_the_golden_page_dated_only_by_its_url() -> None:
    pages = Path(__file__).parent / "pages"
    expected = json.loads((pages / "en-date-only-in-url.expected.json").read_text(encoding="utf-8"))
    found = extract((pages / "en-date-only-in-url.html").read_bytes(), url=expected["url"])
    assert found.page_dates == ()
    seen = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
    trusted = reconcile(DateEvidence(seen, page=found.page_dates, url=expected["url"]), now=NOW)
    assert (trusted.published, trusted.source) == (datetime(2026, 11, 27, 11, 0, tzinfo=UTC), "url")
