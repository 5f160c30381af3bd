"""The search page's fast paths give what the plain ways give.

Rendering a results page was cut from ≈ 4.3 to ≈ 3.4 ms of server CPU (docs/benchmarks.md) by
highlighting with one split per text, formatting dates through memoized Babel calls with
parsed locales, and finding a link's route by name. Each is pinned here against the simple
code it replaces, on the demo corpus's real fr/ar/en texts.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_datetime
from markupsafe import Markup, escape
from starlette.routing import Route, Router
from starlette.testclient import TestClient

from alaune.demo.corpus import load_corpus
from alaune.text.normalize import search_terms
from alaune.web.highlight import _WORD, highlight
from alaune.web.i18n import LANGUAGES, LOCALES, Formats
from alaune.web.links import Links


def _highlight_word_by_word(text: str, terms: list[str]) -> Markup:
    """The first implementation: a match object and a Markup per word."""
    wanted = frozenset(terms)
    if not wanted:
        return escape(text)
    out: list[str] = []
    last = 0
    for found in _WORD.finditer(text):
        if any(term in wanted for term in search_terms(found.group())):
            out.append(escape(text[last : found.start()]))
            out.append(Markup("<mark>%s</mark>") % found.group())
            last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def test_highlight_marks_what_the_word_by_word_loop_marked() -> None:
    rng = random.Random(5)
    checked = 0
    for article in load_corpus().articles[:120]:
        for text in (article.title, *article.paragraphs[:2]):
            words = text.split()
            for variant in (text, f"«{text}» <b>&amp; x</b>", text.upper()):
                query = " ".join(rng.sample(words, min(len(words), rng.choice((1, 2, 3)))))
                terms = search_terms(query)
                assert highlight(variant, terms) == _highlight_word_by_word(variant, terms)
                checked += 1
    assert checked > 500


def test_highlight_escapes_and_marks() -> None:
    marked = highlight("<script>élections</script> & élection", search_terms("election"))
    assert marked == (
        "&lt;script&gt;<mark>élections</mark>&lt;/script&gt; &amp; <mark>élection</mark>"
    )
    assert highlight("rien ici", search_terms("election")) == "rien ici"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_short_datetime_is_babels_answer(lang: str) -> None:
    formats = Formats(lang, "Africa/Casablanca")
    zone = ZoneInfo("Africa/Casablanca")
    now = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)
    for minutes in range(0, 60 * 24 * 500, 97):
        value = now - timedelta(minutes=minutes)
        local, today = value.astimezone(zone), now.astimezone(zone)
        if local.date() == today.date():
            expected = format_datetime(local, "HH:mm", locale=LOCALES[lang])
        elif local.year == today.year:
            expected = format_date(local, "d MMM", locale=LOCALES[lang])
        else:
            expected = format_date(local, "d MMM y", locale=LOCALES[lang])
        assert formats.short_datetime(value, now) == expected


def test_links_find_every_route_as_the_router_does(client: TestClient) -> None:
    router: Router = client.app.router  # type: ignore[attr-defined]
    links = Links(router, "ar", "http://example.test")
    named = [route for route in router.routes if isinstance(route, Route) and route.name]
    assert len(named) > 10
    for route in named:
        params = {name: "7" for name in route.param_convertors}
        expected = "/ar" + str(router.url_path_for(route.name, **params))
        assert links.path(route.name, **params) == expected
    assert links.static("site.css") == str(router.url_path_for("static", path="site.css"))
    assert re.fullmatch(r"/ar/articles/7", links.path("article", article_id=7))
