"""The response cache: rendered once, served with ETag and gzip, invalidated when data changes."""

from __future__ import annotations

import pytest
from newsroom_support import FULL, Newsroom
from starlette.testclient import TestClient

from alaune.config import load_settings
from alaune.store.engine import Database
from alaune.web.app import create_app
from alaune.web.cache import PageCache, accepts_gzip, etag_matches


@pytest.fixture
def cached(db: Database) -> TestClient:
    app = create_app(load_settings(env={}), db, cache_ttl=60.0, cache_probe_interval=0.0)
    return TestClient(app)


def test_pages_are_cached_per_path_and_language(newsroom: Newsroom, cached: TestClient) -> None:
    newsroom.add(FULL)
    assert cached.get("/").headers["x-alaune-cache"] == "miss"
    assert cached.get("/").headers["x-alaune-cache"] == "hit"
    assert cached.get("/ar/").headers["x-alaune-cache"] == "miss"
    assert cached.get("/?page=2").headers["x-alaune-cache"] == "miss"
    assert cached.get("/api/v1/stories").headers["x-alaune-cache"] == "miss"
    assert cached.get("/api/v1/stories").headers["x-alaune-cache"] == "hit"


def test_a_change_in_the_store_invalidates_cached_pages(
    newsroom: Newsroom, cached: TestClient
) -> None:
    newsroom.add(FULL, title="Premier titre")
    assert "Premier titre" in cached.get("/").text
    newsroom.add(FULL, title="Nouveau titre")
    response = cached.get("/")
    assert response.headers["x-alaune-cache"] == "miss"
    assert "Nouveau titre" in response.text


def test_etag_gives_304_and_gzip_is_served_to_who_asks(
    newsroom: Newsroom, cached: TestClient
) -> None:
    newsroom.add(FULL)
    first = cached.get("/", headers={"accept-encoding": "identity"})
    etag = first.headers["etag"]
    again = cached.get("/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    zipped = cached.get("/", headers={"accept-encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["etag"] != etag
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert zipped.text == first.text  # the client inflated it
    assert cached.get("/", headers={"if-none-match": zipped.headers["etag"]}).status_code == 304


def test_errors_and_the_health_check_are_never_cached(cached: TestClient) -> None:
    assert cached.get("/nothing").headers.get("x-alaune-cache") is None
    assert cached.get("/healthz").headers.get("x-alaune-cache") is None
    assert cached.get("/static/site.css").headers.get("x-alaune-cache") is None


def test_cached_responses_keep_the_security_headers(newsroom: Newsroom, cached: TestClient) -> None:
    cached.get("/")
    assert "default-src 'self'" in cached.get("/").headers["content-security-policy"]


async def test_the_cache_is_bounded() -> None:
    async def app(scope: object, receive: object, send: object) -> None:
        path = scope["path"].encode()  # type: ignore[index]
        await send(
            {
                "type": "http.response.start",
                "status": 200,  # type: ignore[operator]
                "headers": [(b"content-type", b"text/html")],
            }
        )
        await send({"type": "http.response.body", "body": path * 100})  # type: ignore[operator]

    cache = PageCache(app, probe=lambda: 1, max_entries=3)  # type: ignore[arg-type]

    async def receive() -> dict[str, object]:
        return {"type": "http.request"}

    async def send(message: object) -> None:
        return None

    for n in range(10):
        scope = {"type": "http", "method": "GET", "path": f"/p{n}", "headers": []}
        await cache(scope, receive, send)  # type: ignore[arg-type]
    assert len(cache.entries) == 3
    assert cache.bytes == sum(entry.size for entry in cache.entries.values())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"gzip, deflate, br", True),
        (b"br;q=1.0, gzip;q=0", False),
        (b"*", True),
        (b"", False),
        (b"identity", False),
    ],
)
def test_accept_encoding(header: bytes, expected: bool) -> None:
    assert accepts_gzip(header) is expected


def test_if_none_match_uses_weak_comparison() -> None:
    assert etag_matches(b'W/"abc"', b'"abc"')
    assert etag_matches(b'"x", "abc-gz"', b'"abc"')
    assert etag_matches(b"*", b'"abc"')
    assert not etag_matches(b'"abd"', b'"abc"')
