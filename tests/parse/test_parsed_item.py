"""`ParsedItem`s built by `result.parsed_item` (the parsers' fast path) are ordinary `ParsedItem`s:
the same fields, type, equality and hash as `ParsedItem(...)`, and as immutable."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alaune.parse import ListingError, ParsedItem, parse_document
from alaune.parse.result import parsed_item

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
VALUES = (
    "https://x.ma/a",
    "Titre",
    "g1",
    datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
    datetime(2026, 11, 28, 10, 0, tzinfo=UTC),
    "Rédaction",
    "<p>Résumé</p>",
    "",
    ("Économie", "Maroc"),
    "https://x.ma/i.jpg",
    False,
)
OTHER_VALUES = ("", "", "", None, None, "", "", "<p>x</p>", (), "", True)


@pytest.mark.parametrize("values", [VALUES, OTHER_VALUES])
def test_parsed_item_is_the_dataclass_built_positionally(values: tuple[object, ...]) -> None:
    fast = parsed_item(*values)  # type: ignore[arg-type]
    slow = ParsedItem(*values)  # type: ignore[arg-type]
    assert type(fast) is ParsedItem
    assert fast == slow
    assert slow == fast
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert dataclasses.astuple(fast) == values
    assert {fast: 1}[slow] == 1
    assert parsed_item(*OTHER_VALUES) != parsed_item(*VALUES)  # type: ignore[arg-type]


def test_the_public_constructor_still_takes_keywords_and_defaults() -> None:
    item = ParsedItem(link="https://x.ma/a", is_sitemap=True)
    assert item == parsed_item("https://x.ma/a", "", "", None, None, "", "", "", (), "", True)
    assert item.to_feed_item().url == "https://x.ma/a"


@pytest.mark.parametrize("build", [parsed_item, ParsedItem])
def test_items_are_immutable_however_built(build: type[ParsedItem]) -> None:
    item = build(*VALUES)  # type: ignore[arg-type]
    for field in dataclasses.fields(ParsedItem):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(item, field.name, "changed")
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(item, field.name)
    with pytest.raises((AttributeError, TypeError)):
        item.extra = 1  # type: ignore[attr-defined]
    assert dataclasses.astuple(item) == VALUES


def test_fast_items_copy_pickle_and_replace_like_others() -> None:
    item = parsed_item(*VALUES)  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(item)) == item
    assert copy.copy(item) == item
    assert copy.deepcopy(item) == item
    changed = dataclasses.replace(item, title="Autre")
    assert type(changed) is ParsedItem
    assert changed.title == "Autre"
    assert item.title == "Titre"


def test_the_parsers_items_are_frozen_parsed_items() -> None:
    golden = Path(__file__).parent / "golden"
    documents = [p for p in sorted(golden.iterdir()) if p.suffix in (".xml", ".json", ".rdf")]
    seen = 0
    for path in documents:
        for backend in ("", "feedparser"):
            try:
                parsed = parse_document(path.read_bytes(), now=NOW, backend=backend)
            except ListingError:  # some golden files are refused on purpose
                continue
            for item in parsed.items:
                seen += 1
                assert type(item) is ParsedItem
                assert item == ParsedItem(*dataclasses.astuple(item))
                assert hash(item) == hash(ParsedItem(*dataclasses.astuple(item)))
                with pytest.raises(dataclasses.FrozenInstanceError):
                    item.link = "https://evil.example/"  # type: ignore[misc]
    assert seen > 20
