"""The JSON API v1: documents, filters, cursors, ETags, and schemathesis against its OpenAPI."""

from __future__ import annotations

import base64
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from newsroom_support import EXCERPT, FULL, HERALD, Newsroom
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.testclient import TestClient

from alaune.config import load_settings
from alaune.store.engine import Database
from alaune.web.app import create_app


def seed(newsroom: Newsroom) -> dict[str, int]:
    fr = newsroom.add(
        FULL, title="Le port de Tanger bat un record", category="economie", hours_ago=5
    )
    ar = newsroom.add(
        EXCERPT, title="ميناء طنجة المتوسط يحطم رقما قياسيا", category="economie", hours_ago=4
    )
    en = newsroom.add(HERALD, title="Tanger Med port breaks a record", hours_ago=3)
    other = newsroom.add(FULL, title="Festival de Fès", category="culture", hours_ago=1)
    story = newsroom.story([fr, ar, en], hotness=5.0)
    return {"fr": fr, "ar": ar, "en": en, "other": other, "story": story}


def test_openapi_document_is_served_under_the_version(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["version"] == "1"
    paths = set(document["paths"])
    assert {
        "/stories",
        "/stories/{story_id}",
        "/articles",
        "/articles/{article_id}",
        "/outlets",
        "/outlets/{outlet_id}",
        "/categories",
        "/categories/{slug}",
        "/search",
    } <= paths
    assert client.get("/api/v1/docs").status_code == 404  # Swagger UI would load a CDN


def test_stories_and_a_story_with_its_coverage(newsroom: Newsroom, client: TestClient) -> None:
    ids = seed(newsroom)
    listing = client.get("/api/v1/stories").json()
    top = listing["items"][0]
    assert top["id"] == ids["story"]
    assert top["languages"] == ["fr", "ar", "en"]
    assert top["outlet_count"] == 3
    assert top["first_report"]["outlet"]["id"] == "full"
    assert top["html_url"] == f"http://127.0.0.1:8000/stories/{ids['story']}"
    story = client.get(f"/api/v1/stories/{ids['story']}").json()
    assert [a["id"] for a in story["articles"]] == [ids["fr"], ids["ar"], ids["en"]]
    assert [t["article_id"] for t in story["timeline"]] == [ids["fr"], ids["ar"], ids["en"]]
    assert client.get("/api/v1/stories?language=ar").json()["items"][0]["id"] == ids["story"]
    assert client.get("/api/v1/stories/424242").status_code == 404


def test_html_urls_of_the_api_are_pages_of_the_site(newsroom: Newsroom, client: TestClient) -> None:
    ids = seed(newsroom)
    story = client.get(f"/api/v1/stories/{ids['story']}").json()
    urls = [
        story["html_url"],
        story["articles"][0]["html_url"],
        story["articles"][0]["outlet"]["html_url"],
    ]
    urls += [c["html_url"] for c in client.get("/api/v1/categories").json()["items"][:2]]
    for url in urls:
        assert client.get(url.removeprefix("http://127.0.0.1:8000")).status_code == 200, url
    for url in [story["api_url"], story["articles"][0]["api_url"]]:
        assert client.get(url.removeprefix("http://127.0.0.1:8000")).status_code == 200, url


def test_article_listing_pages_with_a_keyset_cursor(newsroom: Newsroom, client: TestClient) -> None:
    made = [newsroom.add(FULL) for _ in range(7)]
    seen: list[int] = []
    url: str | None = "/api/v1/articles?outlet=full&limit=3"
    while url:
        page = client.get(url).json()
        seen += [item["id"] for item in page["items"]]
        url = page["next_url"].removeprefix("http://127.0.0.1:8000") if page["next_url"] else None
    assert seen == made  # newest first: add() makes each one an hour older


def test_search_finds_folded_words_and_pages(newsroom: Newsroom, client: TestClient) -> None:
    ids = seed(newsroom)
    result = client.get("/api/v1/search", params={"q": "مينا"}).json()
    assert result["terms"]
    found = client.get("/api/v1/search", params={"q": "ميناء"}).json()
    assert [i["id"] for i in found["items"]] == [ids["ar"]]
    ranked = client.get("/api/v1/search", params={"q": "record", "order": "relevance"}).json()
    assert {i["id"] for i in ranked["items"]} == {ids["fr"], ids["en"]}
    for _ in range(5):
        newsroom.add(FULL, title="Record encore")
    first = client.get("/api/v1/search", params={"q": "record", "limit": 4}).json()
    second = client.get(
        "/api/v1/search", params={"q": "record", "limit": 4, "cursor": first["next_cursor"]}
    ).json()
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    assert len(first["items"]) + len(second["items"]) == 7


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        base64.urlsafe_b64encode(b'{"k":"stories","o":-1}').decode().rstrip("="),
        base64.urlsafe_b64encode(b'{"k":"articles","t":"0001-01-01","i":1}').decode().rstrip("="),
        "A" * 199,
    ],
)
def test_bad_cursors_are_400s(client: TestClient, cursor: str) -> None:
    for path in ("/api/v1/stories", "/api/v1/articles", "/api/v1/search?q=x"):
        joiner = "&" if "?" in path else "?"
        response = client.get(f"{path}{joiner}cursor={cursor}")
        assert response.status_code == 400, (path, response.text)
        assert "invalid cursor" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stories/0",
        "/api/v1/stories/99999999999999999999",
        "/api/v1/articles?limit=1000",
        "/api/v1/articles?from=0001-01-01",
        "/api/v1/search?q=" + "x" * 201,
        "/api/v1/stories?language=de",
        "/api/v1/outlets/..%2Fx",
    ],
)
def test_out_of_range_parameters_are_client_errors(client: TestClient, path: str) -> None:
    assert 400 <= client.get(path).status_code < 500


def test_every_page_has_a_json_twin(newsroom: Newsroom, client: TestClient) -> None:
    ids = seed(newsroom)
    twins = {
        "/index.json": "/api/v1/stories",
        f"/stories/{ids['story']}.json": f"/api/v1/stories/{ids['story']}",
        f"/articles/{ids['fr']}.json": f"/api/v1/articles/{ids['fr']}",
        "/outlets/full.json": "/api/v1/outlets/full",
        "/categories/economie.json": "/api/v1/categories/economie",
        "/search.json?q=port": "/api/v1/search?q=port",
    }
    for twin, api in twins.items():
        assert client.get(twin).json() == client.get(api).json(), twin
        assert client.get("/ar" + twin).json() == client.get(api).json(), twin


# --- schemathesis: generated requests against the OpenAPI document never get a 5xx ------------


def test_generated_requests_never_get_a_server_error(db: Database, newsroom: Newsroom) -> None:
    """Every operation, with requests generated from its parameters' schemas: no 5xx, and every
    response conforms to the document (status codes, content types, bodies)."""
    seed(newsroom)
    app = create_app(load_settings(env={}), db, cache_ttl=0)
    api = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 9

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        def run(case: Any) -> None:
            # A cursor is opaque: a well-formed string the API did not issue is a documented 400,
            # which the "schema-valid data is accepted" check would count as a failure.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        run()
