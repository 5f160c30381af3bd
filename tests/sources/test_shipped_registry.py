"""The registry shipped with alaune, as a whole: it loads, it is valid, and it is honest.

None of these outlets is reachable from where the tests run, and none is ever fetched here:
these tests only read and check the data.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from alaune.model import Outlet
from alaune.sources import FIELDS, check_registry, load_categories, load_registry
from alaune.sources.entries import outlet_to_toml
from alaune.sources.registry import feed_key, parse_entries, shipped_files
from alaune.sources.schema import FEED_KINDS, LANGUAGES
from alaune.sources.urls import check_url

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry()
BY_ID = {outlet.id: outlet for outlet in REGISTRY}


def test_the_registry_loads_without_a_problem() -> None:
    checked = check_registry()
    assert [str(p) for p in checked.problems] == []
    assert checked.files == tuple(f"registry/{f.name}" for f in shipped_files())
    assert {"registry/fr.toml", "registry/ar.toml", "registry/en.toml"} <= set(checked.files)


def test_ids_and_feed_urls_are_unique() -> None:
    ids = Counter(outlet.id for outlet in REGISTRY)
    feeds = Counter(feed_key(feed.url) for outlet in REGISTRY for feed in outlet.feeds)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [f for f, n in feeds.items() if n > 1] == []


@pytest.mark.parametrize("outlet", REGISTRY, ids=lambda o: o.id)
def test_every_entry_is_public_honest_and_complete(outlet: Outlet) -> None:
    assert outlet.verified is False, "never checked from a real network: must say verified = false"
    assert outlet.policy == "excerpt"
    assert outlet.languages
    assert set(outlet.languages) <= set(LANGUAGES)
    assert re.fullmatch(r"[A-Z]{2}", outlet.country)
    for url in (outlet.homepage, *(feed.url for feed in outlet.feeds)):
        assert url.startswith("https://"), url  # every outlet here serves https
        check_url(url)  # public-looking: no allowlist, no IP literal, no local name
    assert outlet.feeds
    assert {feed.kind for feed in outlet.feeds} <= set(FEED_KINDS)
    slugs = {category.slug for category in load_categories()}
    assert {slug for _, slug in outlet.sections} <= slugs
    for pattern in outlet.include + outlet.exclude:
        re.compile(pattern)


def test_the_three_languages_are_all_well_covered() -> None:
    counts = Counter(language for outlet in REGISTRY for language in outlet.languages)
    assert counts["fr"] >= 15
    assert counts["ar"] >= 15
    assert counts["en"] >= 8


@pytest.mark.parametrize(
    "outlet_id",
    [
        "hespress-fr",
        "le360-fr",
        "telquel",
        "medias24",
        "hespress-ar",
        "alyaoum24",
        "al3omk",
        "morocco-world-news",
        "hespress-en",
        "north-africa-post",
        "map-fr",
        "map-ar",
        "map-en",
    ],
)
def test_the_outlets_readers_expect_are_there(outlet_id: str) -> None:
    assert outlet_id in BY_ID


def test_agencies_are_marked_so_that_wire_copies_can_be_recognised() -> None:
    assert {o.id for o in REGISTRY if o.agency} == {"map-fr", "map-ar", "map-en"}


def test_outlets_covering_the_whole_world_keep_only_the_maghreb() -> None:
    examples = {
        "aljazeera-en": "https://www.aljazeera.com/news/2026/11/29/morocco-opens-new-dam",
        "middle-east-eye": "https://www.middleeasteye.net/news/algeria-tunisia-border-talks",
        "france24-afrique": "https://www.france24.com/fr/afrique/20261129-maroc-algerie-gaz",
    }
    for outlet_id, url in examples.items():
        assert any(re.search(p, url) for p in BY_ID[outlet_id].include), outlet_id
    elsewhere = "https://www.aljazeera.com/news/2026/11/29/japan-election-results"
    assert not any(re.search(p, elsewhere) for p in BY_ID["aljazeera-en"].include)


@pytest.mark.parametrize("outlet", REGISTRY, ids=lambda o: o.id)
def test_writing_an_entry_and_reading_it_back_gives_the_same_outlet(outlet: Outlet) -> None:
    outlets, problems = parse_entries(outlet_to_toml(outlet), label="round-trip")
    assert problems == []
    assert outlets == [outlet]


def test_categories_have_unique_slugs_and_three_labels() -> None:
    categories = load_categories()
    slugs = [category.slug for category in categories]
    assert len(slugs) == len(set(slugs))
    required = {
        "national",
        "monde",
        "economie",
        "sport",
        "culture",
        "societe",
        "sante",
        "tech",
        "regions",
        "opinion",
    }
    assert required <= set(slugs)
    for category in categories:
        assert re.fullmatch(r"[a-z][a-z-]*", category.slug)
        assert all(category.label(lang).strip() for lang in LANGUAGES), category.slug
    assert next(c for c in categories if c.slug == "economie").label("ar") == "اقتصاد"


def test_every_field_and_category_is_documented() -> None:
    doc = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    missing = [field.name for field in FIELDS if f"`{field.name}`" not in doc]
    missing += [c.slug for c in load_categories() if f"`{c.slug}`" not in doc]
    assert missing == []


def test_registry_files_are_plain_utf8_toml_with_only_outlet_tables() -> None:
    for file in shipped_files():
        document = tomllib.loads(file.read_text("utf-8"))
        assert set(document) == {"outlet"}, file.name
