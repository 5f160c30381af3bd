"""The site's pages over a real database: listing order, attribution, policy, escaping, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from alaune.config import load_settings
from alaune.errors import SchemaOutOfDate
from alaune.model import Outlet
from alaune.store import articles, outlets
from alaune.store.engine import Database, open_database
from alaune.web.app import create_app

NOW = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)
FULL = Outlet(
    id="full", name="L'Écho", homepage="https://e.example/", languages=("fr",), policy="full"
)
EXCERPT = Outlet(id="ex", name="صدى", homepage="https://s.example/", languages=("ar",))


def add(db: Database, outlet: Outlet, n: int, **changes: str) -> int:
    values = {
        "outlet_id": outlet.id,
        "canonical_url": f"{outlet.homepage}a/{n}",
        "url": f"{outlet.homepage}a/{n}",
        "title": f"Titre {n}",
        "lead": f"Chapeau {n}",
        "text": "Premier paragraphe.\n\nDeuxième paragraphe.",
        "published_at": NOW - timedelta(hours=n),
        "first_seen_at": NOW,
        **changes,
    }
    with db.write() as conn:
        outlets.sync_outlets(conn, [FULL, EXCERPT], now=NOW)
        new_id = articles.add_article(conn, articles.NewArticle(**values))  # type: ignore[arg-type]
    assert new_id is not None
    return new_id


@pytest.fixture
def client(db: Database) -> TestClient:
    return TestClient(create_app(load_settings(env={}), db))


def test_home_lists_articles_newest_first_with_attribution(
    db: Database, client: TestClient
) -> None:
    for n in (3, 1, 2):
        add(db, FULL, n)
    page = client.get("/")
    assert page.status_code == 200
    body = page.text
    assert body.index("Titre 1") < body.index("Titre 2") < body.index("Titre 3")
    # 10:00 UTC is 11:00 in Casablanca (UTC+1).
    assert 'Publié dans <bdi class="outlet">L&#39;Écho</bdi> le' in body
    assert "29 novembre 2026, 11:00" in body


def test_article_page_has_attribution_text_and_source_link(
    db: Database, client: TestClient
) -> None:
    article_id = add(db, FULL, 1)
    body = client.get(f"/articles/{article_id}").text
    assert "Deuxième paragraphe." in body
    assert 'href="https://e.example/a/1"' in body
    assert "Lire l'article depuis sa source" in body
    assert 'rel="noopener noreferrer nofollow"' in body


def test_excerpt_policy_shows_the_lead_and_first_paragraph_only(
    db: Database, client: TestClient
) -> None:
    article_id = add(db, EXCERPT, 1)
    body = client.get(f"/articles/{article_id}").text
    assert "Premier paragraphe." in body
    assert "Deuxième paragraphe." not in body


@pytest.mark.parametrize(
    "hostile",
    ["<img src=x onerror=alert(1)>", '"><script>alert(1)</script>', "{{7*7}}"],
)
def test_d5_titles_are_escaped_not_evaluated(
    db: Database, client: TestClient, hostile: str
) -> None:
    article_id = add(db, FULL, 1, title=hostile, author=hostile, lead=hostile)
    for path in ("/", f"/articles/{article_id}"):
        body = client.get(path).text
        assert "<img src=x" not in body
        assert "<script>alert" not in body
        assert "49" not in body.split("<main", 1)[1].split("</main>", 1)[0]


def test_unknown_pages_get_the_404_page(client: TestClient) -> None:
    for path in ("/articles/999999", "/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Page introuvable" in response.text


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_site_refuses_an_out_of_date_schema(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'old.db'}")
    with pytest.raises(SchemaOutOfDate, match="alaune db upgrade"):
        create_app(load_settings(env={}), database)
    database.dispose()
