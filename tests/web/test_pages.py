"""The reader's pages over a real database: home, story, article, outlet, category, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from newsroom_support import EXCERPT, FULL, HERALD, Newsroom
from starlette.testclient import TestClient

from alaune.config import load_settings
from alaune.errors import SchemaOutOfDate
from alaune.store.engine import Database, open_database
from alaune.web.app import create_app


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_home_ranks_stories_by_hotness_with_their_coverage(
    newsroom: Newsroom, client: TestClient
) -> None:
    quiet = newsroom.story([newsroom.add(FULL, title="Calme plat")], hotness=0.5)
    fr = newsroom.add(FULL, title="Le port de Tanger bat un record", hours_ago=3)
    ar = newsroom.add(EXCERPT, title="ميناء طنجة يحطم رقما قياسيا", hours_ago=2)
    en = newsroom.add(HERALD, title="Tanger Med breaks a record", hours_ago=1)
    hot = newsroom.story([fr, ar, en], hotness=9.0)
    body = client.get("/").text
    cards = main_of(body)
    assert cards.index(f"/stories/{hot}") < cards.index(f"/stories/{quiet}")
    assert "3 sources" in cards
    assert re.search(
        r'<span class="langtag" lang="fr">fr</span>\s*<span class="langtag" lang="ar">ar', cards
    )
    # First outlet and time: 8:00 UTC is 9:00 in Casablanca (UTC+1).
    assert '<bdi class="outlet">L&#39;Écho</bdi>' in cards


def test_ticker_has_one_line_per_story_and_never_a_headline_twice(
    newsroom: Newsroom, client: TestClient
) -> None:
    a = newsroom.add(FULL, title="Séisme au large d'Al Hoceima")
    b = newsroom.add(EXCERPT, title="زلزال قبالة الحسيمة")
    newsroom.story([a, b])
    newsroom.add(FULL, title="Séisme au large d’Al Hoceïma")  # same headline, another story
    ticker = client.get("/").text.split('class="ticker"', 1)[1].split("</section>", 1)[0]
    assert ticker.count("<li") == 1


def test_the_ticker_reads_in_the_readers_language_where_the_story_has_a_headline_in_it(
    newsroom: Newsroom, client: TestClient
) -> None:
    a = newsroom.add(FULL, title="Séisme au large d'Al Hoceima", hours_ago=1)
    b = newsroom.add(EXCERPT, title="زلزال قبالة الحسيمة", hours_ago=2)
    newsroom.story([a, b])
    newsroom.add(HERALD, title="Rabat tram line opens", hours_ago=3)

    def ticker(path: str) -> str:
        page = client.get(path).text
        return page.split('class="ticker"', 1)[1].split("</section>", 1)[0]

    assert "زلزال قبالة الحسيمة" in ticker("/ar/")
    assert "Séisme" not in ticker("/ar/")
    assert "Séisme au large" in ticker("/")
    assert "Rabat tram line opens" in ticker("/ar/")  # no Arabic headline: the story's own


def test_home_filters_by_content_language_and_shows_sections(
    newsroom: Newsroom, client: TestClient
) -> None:
    newsroom.add(FULL, title="Match de football", category="sport")
    newsroom.add(EXCERPT, title="مباراة كرة القدم", category="sport")
    arabic_only = main_of(client.get("/?language=ar").text)
    assert "مباراة كرة القدم" in arabic_only
    assert "Match de football" not in arabic_only.split('id="stories"', 1)[1].split("</div>")[0]
    assert 'aria-current="true">Arabe' in arabic_only


def test_home_sections_show_stories_of_each_category_not_already_on_top(
    newsroom: Newsroom, client: TestClient
) -> None:
    ids = [newsroom.add(FULL, title=f"Match {n}", category="sport") for n in range(14)]
    body = main_of(client.get("/").text)
    section = body.split('id="section-sport"', 1)[1].split("</section>", 1)[0]
    top = body.split('id="stories"', 1)[1].split('id="section-sport"', 1)[0]
    in_section = re.findall(r'href="/stories/(\d+)"', section)
    assert in_section
    assert not set(in_section) & set(re.findall(r'href="/stories/(\d+)"', top))
    assert len(ids) == 14


def test_story_page_groups_coverage_by_language_and_outlet(
    newsroom: Newsroom, client: TestClient
) -> None:
    fr = newsroom.add(FULL, title="Le port bat un record", hours_ago=5)
    ar = newsroom.add(EXCERPT, title="الميناء يحطم رقما", hours_ago=4)
    fr2 = newsroom.add(FULL, title="Record du port : les chiffres", hours_ago=3)
    story_id = newsroom.story([fr, ar, fr2])
    body = client.get(f"/stories/{story_id}").text
    coverage = body.split('id="coverage-title"', 1)[1].split('id="timeline-title"', 1)[0]
    assert coverage.index("Français") < coverage.index("Arabe")
    assert coverage.count(f'href="/outlets/{FULL.id}"') == 1  # one group per outlet
    assert "Rapporté en premier par" in body
    timeline = body.split('id="timeline-title"', 1)[1]
    assert timeline.index(f"/articles/{fr}") < timeline.index(f"/articles/{ar}")
    assert timeline.index(f"/articles/{ar}") < timeline.index(f"/articles/{fr2}")


def test_a_merged_story_redirects_to_the_story_it_joined(
    newsroom: Newsroom, client: TestClient, db: Database
) -> None:
    from alaune.store import stories as story_store

    keep = newsroom.story([newsroom.add(FULL, title="Crue de l'oued Ziz")])
    gone = newsroom.story([newsroom.add(FULL, title="Crue à Errachidia")])
    with db.write() as conn:
        story_store.merge_stories(conn, keep=keep, gone=gone)
    response = client.get(f"/en/stories/{gone}", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == f"/en/stories/{keep}"


def test_article_page_has_attribution_text_and_source_link(
    newsroom: Newsroom, client: TestClient
) -> None:
    article_id = newsroom.add(FULL, hours_ago=1)
    body = client.get(f"/articles/{article_id}").text
    assert "Deuxième paragraphe." in body
    assert re.search(
        r"Publié dans <a class=\"outlet\" href=\"/outlets/full\"><bdi>L&#39;Écho</bdi></a> le "
        r"<time datetime=\"[^\"]+\">29 novembre 2026 à 11:00</time>",
        body,
    )
    assert 'href="https://e.example/a/1"' in body
    assert "Lire l'article depuis sa source" in body
    assert 'rel="noopener noreferrer nofollow"' in body
    # No stored image, no report control (tests/web/test_reports.py covers the control).
    assert "data-image-report" not in body


@pytest.mark.parametrize(
    ("prefix", "attribution", "source"),
    [
        ("/ar", "نُشر في", "اقرأ المقال من مصدره"),
        ("/en", "Published in", "Read the article at its source"),
    ],
)
def test_article_attribution_is_localized(
    newsroom: Newsroom, client: TestClient, prefix: str, attribution: str, source: str
) -> None:
    article_id = newsroom.add(FULL)
    body = client.get(f"{prefix}/articles/{article_id}").text
    assert attribution in body
    assert source in body


def test_excerpt_policy_shows_the_first_paragraph_only(
    newsroom: Newsroom, client: TestClient
) -> None:
    article_id = newsroom.add(EXCERPT)
    body = client.get(f"/articles/{article_id}").text
    assert "Premier paragraphe." in body
    assert "Deuxième paragraphe." not in body
    api = client.get(f"/api/v1/articles/{article_id}").json()
    assert api["excerpt_only"] is True
    assert "Deuxième" not in api["text"]


def test_read_also_puts_the_same_story_first_then_similar_articles(
    newsroom: Newsroom, client: TestClient
) -> None:
    a = newsroom.add(FULL, title="Barrage de l'Oriental inauguré")
    b = newsroom.add(EXCERPT, title="تدشين سد بالجهة الشرقية")
    newsroom.story([a, b])
    similar = newsroom.add(HERALD, title="Another barrage opens in the Oriental region")
    newsroom.add(FULL, title="Festival de Fès")
    more = client.get(f"/articles/{a}").text.split('id="more-title"', 1)[1]
    assert more.index(f"/articles/{b}") < more.index(f"/articles/{similar}")
    assert "Festival" not in more


def test_outlet_page_lists_its_articles_languages_and_health(
    newsroom: Newsroom, client: TestClient
) -> None:
    newsroom.add(HERALD, title="Rain at last")
    newsroom.add(FULL, title="Autre média")
    body = client.get("/en/outlets/herald").text
    assert "Rain at last" in body
    assert "Autre média" not in main_of(body)
    assert 'class="health"' in body
    assert client.get("/outlets/nobody").status_code == 404


def test_category_page_lists_its_stories(newsroom: Newsroom, client: TestClient) -> None:
    newsroom.add(FULL, title="But à la dernière minute", category="sport")
    newsroom.add(FULL, title="Taux directeur", category="economie")
    body = main_of(client.get("/categories/sport").text)
    assert "But à la dernière minute" in body
    assert "Taux directeur" not in body
    assert client.get("/categories/sport?page=abc").status_code == 200
    assert client.get("/categories/unknown-thing").status_code == 404


def test_listings_paginate(newsroom: Newsroom, client: TestClient) -> None:
    for _ in range(14):
        newsroom.add(FULL)
    first, second = client.get("/").text, client.get("/?page=2").text
    assert 'rel="next" href="/?page=2"' in first
    assert 'rel="prev"' in second
    assert '<link rel="canonical" href="http://127.0.0.1:8000/?page=2">' in second


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/nothing-here", "Page introuvable"),
        ("/ar/nothing", "الصفحة غير موجودة"),
        ("/en/articles/999999", "Page not found"),
        ("/articles/99999999999999999999", "Page introuvable"),
    ],
)
def test_unknown_pages_get_the_404_page_in_the_readers_language(
    client: TestClient, path: str, text: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert text in response.text


def test_server_errors_get_the_500_page_in_the_readers_language(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alaune.store import coverage

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(coverage, "top_stories", broken)
    app = create_app(load_settings(env={}), db, cache_ttl=0)
    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/ar/")
    assert response.status_code == 500
    assert "خطأ في الخادم" in response.text
    assert 'dir="rtl"' in response.text


PAGES = [
    "/",
    "/stories/{story}",
    "/articles/{article}",
    "/outlets/full",
    "/outlets",
    "/categories/sport",
    "/search?q=port",
    "/search",
]


@pytest.mark.parametrize("prefix", ["", "/ar", "/en"])
def test_every_page_has_title_description_opengraph_canonical_and_switcher(
    newsroom: Newsroom, client: TestClient, prefix: str
) -> None:
    article = newsroom.add(FULL, title="Le port", category="sport")
    story = newsroom.story([article])
    for template in PAGES:
        path = prefix + template.format(story=story, article=article)
        body = client.get(path).text
        head = body.split("</head>", 1)[0]
        assert re.search(r"<title>[^<]+</title>", head), path
        assert '<meta property="og:title"' in head, path
        assert '<meta property="og:url"' in head, path
        assert '<link rel="canonical" href="http://127.0.0.1:8000' + prefix in head, path
        for code in ("fr", "ar", "en"):
            assert f'hreflang="{code}"' in head, path
        switcher = body.split('class="languages"', 1)[1].split("</nav>", 1)[0]
        bare = template.format(story=story, article=article)
        assert f'href="/ar{bare}"' in switcher, path
        assert f'href="/en{bare}"' in switcher, path
        assert '<meta name="description" content="' in head, path


def test_arabic_pages_are_right_to_left_and_others_left_to_right(client: TestClient) -> None:
    assert '<html lang="ar" dir="rtl">' in client.get("/ar/").text
    assert '<html lang="en" dir="ltr">' in client.get("/en/").text
    assert '<html lang="fr" dir="ltr">' in client.get("/").text
    assert client.get("/ar", follow_redirects=False).headers["location"] == "/ar/"


def test_language_never_comes_from_a_cookie_or_accept_language(client: TestClient) -> None:
    body = client.get("/", headers={"accept-language": "ar", "cookie": "lang=ar"}).text
    assert '<html lang="fr" dir="ltr">' in body


def test_listings_link_their_json_rss_and_atom_twins(
    newsroom: Newsroom, client: TestClient
) -> None:
    story = newsroom.story([newsroom.add(FULL, category="sport")])
    for page, twin in [
        ("/", "/index"),
        (f"/stories/{story}", f"/stories/{story}"),
        ("/outlets/full", "/outlets/full"),
        ("/categories/sport", "/categories/sport"),
        ("/search?q=titre", "/search"),
    ]:
        head = client.get(page).text.split("</head>", 1)[0]
        for kind, media in [
            ("json", "application/json"),
            ("rss", "application/rss+xml"),
            ("atom", "application/atom+xml"),
        ]:
            assert f'type="{media}" href="http://127.0.0.1:8000{twin}.{kind}' in head, page
            link = re.search(f'type="{re.escape(media)}" href="http://127.0.0.1:8000([^"]+)"', head)
            assert link is not None
            assert client.get(link.group(1).replace("&amp;", "&")).status_code == 200


def test_sitemap_and_robots(newsroom: Newsroom, client: TestClient) -> None:
    article = newsroom.add(FULL)
    sitemap = client.get("/sitemap.xml")
    assert sitemap.headers["content-type"].startswith("application/xml")
    assert "<loc>http://127.0.0.1:8000/sitemaps/articles-1.xml</loc>" in sitemap.text
    listed = client.get("/sitemaps/articles-1.xml").text
    assert f"<loc>http://127.0.0.1:8000/articles/{article}</loc>" in listed
    robots = client.get("/robots.txt").text
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots
    assert "Disallow: /search" in robots


def test_pages_load_nothing_from_elsewhere(newsroom: Newsroom, client: TestClient) -> None:
    newsroom.add(FULL, image_url="https://e.example/photo.jpg")
    for path in ("/", "/articles/1"):
        body = client.get(path).text
        for src in re.findall(r'(?:src|href)="([^"]+)"', body.split("<body", 1)[0]):
            assert src.startswith(("/", "http://127.0.0.1:8000")), src
        assert "e.example/photo.jpg" not in body  # never hotlink an outlet's image
        assert "<img" not in main_of(body)


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_site_refuses_an_out_of_date_schema(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'old.db'}")
    with pytest.raises(SchemaOutOfDate, match="alaune db upgrade"):
        create_app(load_settings(env={}), database)
    database.dispose()
