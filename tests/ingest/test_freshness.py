"""How long a response says it stays current: RFC 9111 Cache-Control/Expires and RSS `<ttl>`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alaune.ingest.freshness import cache_lifetime, fresh_for, rss_ttl

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
DATE = "Sun, 29 Nov 2026 08:00:00 GMT"

#: name → (headers, seconds or None)
HEADERS = {
    "max_age": ({"cache-control": "public, max-age=600"}, 600.0),
    "max_age_quoted": ({"cache-control": 'max-age="600"'}, 600.0),
    "max_age_minus_age": ({"cache-control": "max-age=600", "age": "100"}, 500.0),
    "age_past_max_age": ({"cache-control": "max-age=60", "age": "100"}, None),
    "max_age_wins_over_expires": (
        {"cache-control": "max-age=60", "expires": "Sun, 29 Nov 2026 10:00:00 GMT"}, 60.0),
    "s_maxage_is_not_max_age": ({"cache-control": "s-maxage=600"}, None),
    "no_cache": ({"cache-control": "no-cache, max-age=600"}, None),
    "no_store": ({"cache-control": "no-store"}, None),
    "expires_minus_date": (
        {"expires": "Sun, 29 Nov 2026 09:00:00 GMT", "date": "Sun, 29 Nov 2026 08:30:00 GMT"},
        1800.0),
    "expires_minus_now_without_date": ({"expires": "Sun, 29 Nov 2026 09:00:00 GMT"}, 3600.0),
    "expires_in_the_past": ({"expires": "Sun, 29 Nov 1990 09:00:00 GMT", "date": DATE}, None),
    "expires_zero_means_expired": ({"expires": "0"}, None),
    "nothing": ({}, None),
}  # fmt: skip


@pytest.mark.parametrize(("headers", "seconds"), HEADERS.values(), ids=HEADERS.keys())
def test_cache_lifetime(headers: dict[str, str], seconds: float | None) -> None:
    assert cache_lifetime(headers, now=NOW) == seconds


#: name → (body, seconds or None)
TTLS = {
    "minutes": (b"<rss><channel><ttl>60</ttl><item/></channel></rss>", 3600.0),
    "spaces_and_case": (b"<channel><TTL> 15 </TTL>", 900.0),
    "zero_is_no_hint": (b"<channel><ttl>0</ttl>", None),
    "garbage": (b"<channel><ttl>soon</ttl>", None),
    "none": (b"<rss><channel><title>x</title></channel></rss>", None),
    "far_into_the_body_is_ignored": (b" " * 70_000 + b"<ttl>60</ttl>", None),
}


@pytest.mark.parametrize(("body", "seconds"), TTLS.values(), ids=TTLS.keys())
def test_rss_ttl(body: bytes, seconds: float | None) -> None:
    assert rss_ttl(body) == seconds


def test_the_longest_hint_wins() -> None:
    body = b"<channel><ttl>30</ttl>"
    assert fresh_for({"cache-control": "max-age=60"}, body, now=NOW) == 1800.0
    assert fresh_for({"cache-control": "max-age=7200"}, body, now=NOW) == 7200.0
    assert fresh_for({}, b"", now=NOW) is None
