"""Folding and search terms: the cases readers type (DESIGN.md, search row)."""

from __future__ import annotations

import pytest

from alaune.text.normalize import fold, search_terms


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("مدرسة", "افتتاح المدرسة الجديدة"),
        ("مدرسة", "وَالمَدْرَسَةُ مغلقة"),
        ("احمد", "أحمد"),
        ("مكتبه", "مكتبة"),
        ("election", "les élections municipales"),
        ("Etats-Unis", "les États-Unis"),
        ("oeuvre", "l'œuvre"),
        ("economie", "l’économie marocaine"),
        ("schools", "the school"),
    ],
)
def test_a_query_finds_its_variants(query: str, document: str) -> None:
    assert set(search_terms(query)) <= set(search_terms(document))


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ـمـرحـبـا", "مرحبا"),  # tatweel
        ("\u202eevil\u202c", "evil"),  # bidi override
        ("Qu'il", "il"),
        ("Ça", "ca"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_different_words_stay_different() -> None:
    assert search_terms("séisme") != search_terms("sommet")
    assert search_terms("مدرسة") != search_terms("مستشفى")
