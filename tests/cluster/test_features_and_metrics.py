"""Names, figures and the scores the quality gate reads: table cases with known answers."""

from __future__ import annotations

import pytest

from alaune.cluster.features import entities, first_sentences, numbers
from alaune.cluster.metrics import Item, bcubed, pairwise


@pytest.mark.parametrize(
    ("case", "text", "expected"),
    [
        ("French decimal comma = point", "magnitude 4,9 et 4.90", {"4.9"}),
        ("Arabic-Indic digits and decimal mark", "بقوة ٤٫٩ درجات", {"4.9"}),
        ("thousands with a space, comma or point", "42 000, 42,000 et 42.000", {"42000"}),
        ("a match score", "le Raja s'impose 2-1", {"2-1"}),
        ("years and small counts are not evidence", "en 2023, 7 blessés", set()),
        ("percentages keep their figure", "41,2 % contre 28,7 %", {"41.2", "28.7"}),
    ],
)
def test_numbers(case: str, text: str, expected: set[str]) -> None:
    assert numbers(text) == expected, case


@pytest.mark.parametrize(
    ("case", "text", "language", "present", "absent"),
    [
        (
            "capitalized names, folded; sentence words dropped",
            "Le Raja Casablanca bat le Wydad au stade Mohammed V.",
            "fr",
            {"raja", "casablanca", "wydad", "mohammed"},
            {"le", "stade"},
        ),
        ("acronyms", "L'OCP publie ses résultats, selon l'ING.", "fr", {"ocp", "ing"}, set()),
        ("accents fold so fr and en meet", "Séisme à Médéa", "fr", {"medea"}, set()),
        (
            "Arabic: the word after a name-announcing word",
            "هزة أرضية تضرب إقليم الحوز دون خسائر",
            "ar",
            {"حوز"},
            {"دون", "هزه"},
        ),
        (
            "Arabic: generic football words are not names",
            "حقق فريق الرجاء الرياضي فوزا ثمينا بهدفين مقابل هدف",
            "ar",
            {"رجاء"},
            {"هدف", "فوزا", "رياضي"},
        ),
    ],
)
def test_entities(case: str, text: str, language: str, present: set[str], absent: set[str]) -> None:
    found = entities(text, language=language)
    assert present <= found, case
    assert not absent & found, case


def test_first_sentences_stand_in_for_a_missing_lead() -> None:
    text = "Première phrase assez longue pour compter vraiment ici. " * 3 + "Suite. " * 200
    lead = first_sentences(text)
    assert lead.startswith("Première phrase")
    assert len(lead) <= 320


GOLD = ["a", "a", "a", "b", "b", "c"]


@pytest.mark.parametrize(
    ("case", "predicted", "bcubed_pr", "pairwise_pr"),
    [
        ("perfect", [1, 1, 1, 2, 2, 3], (1.0, 1.0), (1.0, 1.0)),
        ("all apart", [1, 2, 3, 4, 5, 6], (1.0, 0.5), (1.0, 0.0)),
        # B-cubed: precision per item (3/5 ×3, 2/5 ×2, 1) / 6; pairwise: 4 right of 10 pairs.
        ("a and b joined", [1, 1, 1, 1, 1, 3], ((9 / 5 + 4 / 5 + 1) / 6, 1.0), (0.4, 1.0)),
    ],
)
def test_scores_on_a_known_clustering(
    case: str,
    predicted: list[int],
    bcubed_pr: tuple[float, float],
    pairwise_pr: tuple[float, float],
) -> None:
    items = [Item(p, g) for p, g in zip(predicted, GOLD, strict=True)]
    b, p = bcubed(items), pairwise(items)
    assert (b.precision, b.recall) == pytest.approx(bcubed_pr), case
    assert (p.precision, p.recall) == pytest.approx(pairwise_pr), case


def test_cross_language_scores_only_compare_items_across_languages() -> None:
    # One story told in fr and ar; the system keeps the languages apart: cross-language recall 0.
    items = [Item(1, "s", "fr"), Item(1, "s", "fr"), Item(2, "s", "ar")]
    assert bcubed(items).recall < 1.0
    assert bcubed(items, cross_language=True).recall == 0.0
    assert pairwise(items, cross_language=True).recall == 0.0
    assert pairwise(items, cross_language=True).precision == 1.0  # no cross pair predicted
