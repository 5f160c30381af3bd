"""Conditional GET of the demo outlets, case by case (RFC 9110 13.1 and 13.2)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alaune.demo.responses import answer, resource

MODIFIED = datetime(2025, 3, 12, 10, 30, 45, 123456, tzinfo=UTC)
FOUND = resource(b"<rss/>", "application/rss+xml; charset=utf-8", MODIFIED)
ETAG = FOUND.etag
HTTP_DATE = "Wed, 12 Mar 2025 10:30:45 GMT"

CASES: dict[str, tuple[dict[str, str], int]] = {
    "no validators": ({}, 200),
    "matching etag": ({"if-none-match": ETAG}, 304),
    "matching weak etag": ({"if-none-match": f"W/{ETAG}"}, 304),
    "etag among several": ({"if-none-match": f'"a", {ETAG}'}, 304),
    "star": ({"if-none-match": "*"}, 304),
    "stale etag": ({"if-none-match": '"old"'}, 200),
    "same date": ({"if-modified-since": HTTP_DATE}, 304),
    "later date": ({"if-modified-since": "Thu, 13 Mar 2025 00:00:00 GMT"}, 304),
    "earlier date": ({"if-modified-since": "Tue, 11 Mar 2025 00:00:00 GMT"}, 200),
    "invalid date is ignored (RFC 9110 13.1.3)": ({"if-modified-since": "yesterday"}, 200),
    "etag takes precedence over date (RFC 9110 13.2.2)": (
        {"if-none-match": '"old"', "if-modified-since": HTTP_DATE},
        200,
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_conditional_get(case: str) -> None:
    headers, status = CASES[case]
    response = answer(FOUND, headers)
    assert response.status == status
    names = dict(response.headers)
    assert names["ETag"] == ETAG
    assert names["Last-Modified"] == HTTP_DATE  # whole seconds, in GMT
    if status == 304:
        assert response.body == b""
        assert "Content-Length" not in names
    else:
        assert names["Content-Length"] == str(len(FOUND.body))


def test_a_404_is_never_a_304() -> None:
    assert answer(FOUND, {"if-none-match": ETAG}, status=404).status == 404
