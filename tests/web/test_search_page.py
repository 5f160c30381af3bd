"""The search page: folding in three languages, filters, order, highlighted matches, paging."""

from __future__ import annotations

import re

from newsroom_support import EXCERPT, FULL, HERALD, NOW, Newsroom
from starlette.testclient import TestClient


def results(body: str) -> list[str]:
    if 'class="rows results"' not in body:
        return []
    block = body.split('class="rows results"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'href="(?:/ar|/en)?/articles/(\d+)"', block)


def test_an_unvoweled_arabic_query_without_the_article_finds_the_article(
    newsroom: Newsroom, client: TestClient
) -> None:
    school = newsroom.add(EXCERPT, title="افتتاح المَدْرَسَة الجديدة في الرباط")
    newsroom.add(EXCERPT, title="مستشفى جديد في طنجة")
    body = client.get("/ar/search", params={"q": "مدرسة"}).text
    assert results(body) == [str(school)]
    assert "<mark>المَدْرَسَة</mark>" in body


def test_french_and_english_folding(newsroom: Newsroom, client: TestClient) -> None:
    vote = newsroom.add(FULL, title="Les élections municipales de Casablanca")
    school = newsroom.add(HERALD, title="The new schools of Rabat")
    assert results(client.get("/search", params={"q": "election"}).text) == [str(vote)]
    assert results(client.get("/search", params={"q": "school"}).text) == [str(school)]
    assert "<mark>élections</mark>" in client.get("/search", params={"q": "ELECTION"}).text


def test_filters_narrow_the_results(newsroom: Newsroom, client: TestClient) -> None:
    fr = newsroom.add(FULL, title="Port de Tanger", category="economie", hours_ago=30)
    en = newsroom.add(HERALD, title="Tangier port", category="economie", hours_ago=2)
    ar = newsroom.add(EXCERPT, title="port ميناء", category="regions", hours_ago=1)

    def find(**params: str) -> list[str]:
        return results(client.get("/search", params={"q": "port", **params}).text)

    assert find() == [str(ar), str(en), str(fr)]
    assert find(language="en") == [str(en)]
    assert find(outlet="full") == [str(fr)]
    assert find(category="regions") == [str(ar)]
    day = (NOW.date()).isoformat()
    assert str(fr) not in find(**{"from": day})
    assert find(**{"to": "2000-01-01"}) == []
    assert find(language="xx", outlet="../etc", category="<b>", **{"from": "nope"}) == find()


def test_relevance_on_request(newsroom: Newsroom, client: TestClient) -> None:
    # "Newest" is by arrival (article id), which the index walks backwards without sorting.
    focused = newsroom.add(FULL, title="Le budget 2027 voté", text="Budget, budget.", hours_ago=5)
    passing = newsroom.add(FULL, title="Divers", text="Un mot sur le budget.", hours_ago=1)
    assert results(client.get("/search?q=budget").text) == [str(passing), str(focused)]
    ranked = results(client.get("/search?q=budget&order=relevance").text)
    assert ranked == [str(focused), str(passing)]


def test_search_pages_link_to_more_results(newsroom: Newsroom, client: TestClient) -> None:
    for _ in range(23):
        newsroom.add(FULL, title="Marché")
    first = client.get("/search?q=marche").text
    assert len(results(first)) == 20
    assert 'rel="next" href="/search?q=marche&amp;page=2"' in first
    assert len(results(client.get("/search?q=marche&page=2").text)) == 3


def test_hostile_or_empty_queries_are_harmless(client: TestClient) -> None:
    for query in ["", "   ", '"', "NEAR(", "a OR b", "*", "\x00", "x" * 5000, "'); DROP TABLE"]:
        assert client.get("/search", params={"q": query}).status_code == 200
    assert 'name="robots" content="noindex"' in client.get("/search?q=x").text
