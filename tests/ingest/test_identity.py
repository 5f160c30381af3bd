"""SECURITY H2: the deduplication policy, deterministic, as table cases over the pure `plan`.

The policy (see `alaune.ingest.identity`): canonical URL is the key; tombstoned URLs are known;
same outlet + same GUID + new URL is a move of the stored article, unless the titles differ
completely (a reused GUID is a different article). End-to-end cases are in test_crawler_h2.py.
"""

from __future__ import annotations

import pytest

from alaune.errors import FetchError, ParseError
from alaune.ingest.identity import Move, StoredArticle, keyed, plan, same_title
from alaune.ingest.kinds import is_transient, listing_error_kind
from alaune.model import FeedItem

STORED = StoredArticle(7, "https://echo.example/maroc/barrages", "Les barrages se remplissent")


def item(url: str, guid: str = "", title: str = "") -> FeedItem:
    return FeedItem(url=url, guid=guid, title=title)


def test_canonical_url_folds_tracking_fragment_and_host_case() -> None:
    by_key, unusable = keyed(
        [
            item("https://Echo.Example/maroc/barrages?utm_source=rss&utm_medium=feed#haut"),
            item("https://echo.example:443/maroc/barrages?fbclid=abc"),
            item("https://echo.example/maroc/barrages"),
            item("javascript:alert(1)"),
        ]
    )
    assert list(by_key) == ["https://echo.example/maroc/barrages"]
    assert by_key["https://echo.example/maroc/barrages"].url.startswith("https://Echo")  # first
    assert unusable == 1


#: name → (item, known canonical URLs, stored by GUID, fresh keys, moves, known count)
CASES = {
    "new_url_no_guid_is_fresh": (
        item("https://echo.example/a"), set(), {}, ["https://echo.example/a"], [], 0),
    "stored_url_is_known": (
        item("https://echo.example/a"), {"https://echo.example/a"}, {}, [], [], 1),
    "tombstoned_url_is_known": (  # the caller adds tombstoned URLs to `known` (H6)
        item("https://echo.example/gone"), {"https://echo.example/gone"}, {}, [], [], 1),
    "same_guid_new_url_similar_title_moves": (
        item("https://echo.example/maroc/barrages-pluies", "g1",
             "Les barrages se remplissent après les pluies"),
        set(), {"g1": STORED}, [], ["https://echo.example/maroc/barrages-pluies"], 0),
    "same_guid_new_url_no_title_moves": (
        item("https://echo.example/maroc/barrages-2", "g1"),
        set(), {"g1": STORED}, [], ["https://echo.example/maroc/barrages-2"], 0),
    "same_guid_reused_for_a_different_article_is_fresh": (
        item("https://echo.example/sport/derby", "g1", "Derby: le Raja bat le Wydad"),
        set(), {"g1": STORED}, ["https://echo.example/sport/derby"], [], 0),
    "guid_of_another_outlet_is_not_looked_up": (  # the caller only asks for the same outlet
        item("https://other.example/a", "g1", "Les barrages se remplissent"),
        set(), {}, ["https://other.example/a"], [], 0),
}  # fmt: skip


@pytest.mark.parametrize(
    ("one", "known", "by_guid", "fresh", "moves", "known_count"),
    CASES.values(),
    ids=CASES.keys(),
)
def test_h2_policy(
    one: FeedItem,
    known: set[str],
    by_guid: dict[str, StoredArticle],
    fresh: list[str],
    moves: list[str],
    known_count: int,
) -> None:
    by_key, _ = keyed([one])
    decided = plan(by_key, known=known, by_guid=by_guid)
    assert [key for key, _ in decided.fresh] == fresh
    assert [move.canonical_url for move in decided.moves] == moves
    assert decided.known == known_count
    for move in decided.moves:
        assert move == Move(STORED, move.canonical_url, one.url)


def test_one_article_moves_once_even_if_two_urls_carry_its_guid() -> None:
    by_key, _ = keyed(
        [
            item("https://echo.example/b1", "g1", "Les barrages se remplissent"),
            item("https://echo.example/b2", "g1", "Les barrages se remplissent"),
        ]
    )
    decided = plan(by_key, known=set(), by_guid={"g1": STORED})
    assert [m.canonical_url for m in decided.moves] == ["https://echo.example/b1"]
    assert [key for key, _ in decided.fresh] == ["https://echo.example/b2"]


#: name → (title a, title b, same?)
TITLES = {
    "identical": ("Séisme à Al Haouz", "Séisme à Al Haouz", True),
    "updated_figure": (
        "Séisme d'Al Haouz: le bilan s'alourdit à 300 morts",
        "Séisme d'Al Haouz: le bilan s'alourdit à 2 900 morts",
        True,
    ),
    "case_and_accents_kept": ("LE DERBY DE CASABLANCA", "Le derby de Casablanca", True),
    "arabic_update": ("زلزال الحوز: ارتفاع الحصيلة", "زلزال الحوز: ارتفاع الحصيلة إلى 2900", True),
    "different_articles": ("Les barrages se remplissent", "Derby: le Raja bat le Wydad", False),
    "empty_is_no_evidence": ("", "Derby: le Raja bat le Wydad", True),
}


@pytest.mark.parametrize(("a", "b", "same"), TITLES.values(), ids=TITLES.keys())
def test_same_title(a: str, b: str, same: bool) -> None:
    assert same_title(a, b) is same


#: name → (exception, content type, body, expected kind)
LISTING_ERRORS = {
    "html_page_by_type": (ParseError("not a feed: x"), "text/html", b"<p>", "not_a_feed"),
    "html_page_by_bytes": (ParseError("bozo"), "application/xml", b"\n<!DOCTYPE html><html>",
                           "not_a_feed"),
    "broken_xml": (ParseError("not a feed: undefined entity"), "application/rss+xml",
                   b"<?xml version='1.0'?><rss>&lol9;", "parse_error"),
    "invalid_json_feed": (ParseError("invalid JSON feed"), "application/feed+json", b"{",
                          "parse_error"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("exc", "content_type", "body", "kind"), LISTING_ERRORS.values(), ids=LISTING_ERRORS.keys()
)
def test_listing_error_kinds(exc: ParseError, content_type: str, body: bytes, kind: str) -> None:
    assert listing_error_kind(exc, content_type, body) == kind


def test_an_unreadable_section_page_is_a_parse_error() -> None:
    error = ParseError("no links")
    assert listing_error_kind(error, "text/html", b"<html>", listing="section") == "parse_error"


def test_a_parser_may_name_the_kind() -> None:
    class Named(ParseError):
        kind = "encoding_error"

    assert listing_error_kind(Named("bad bytes"), "text/html", b"<html>") == "encoding_error"


@pytest.mark.parametrize(
    ("kind", "status", "transient"),
    [
        ("timeout", None, True),
        ("http_status", 503, True),
        ("http_status", 429, True),
        ("http_status", 404, False),
        ("robots", None, False),
        ("too_large", None, False),
    ],
)
def test_transient_kinds(kind: str, status: int | None, transient: bool) -> None:
    assert is_transient(FetchError(kind, "x", status=status)) is transient
