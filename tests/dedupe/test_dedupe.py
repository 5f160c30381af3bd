"""Wire copies: the same text elsewhere, edits, datelines and cuts are copies; rewrites are not."""

from __future__ import annotations

import pytest

from alaune.dedupe.index import CopyIndex
from alaune.dedupe.keys import Fingerprint, fingerprint
from alaune.dedupe.match import find_original, prefer_agency

PARAGRAPHS = [
    "Le taux de remplissage des barrages a atteint 41,2 % ce lundi, contre 28,7 % à la même "
    "date l'an dernier, selon le ministère de l'Équipement et de l'Eau, après une semaine de "
    "fortes pluies sur le nord et le centre du pays.",
    "Les retenues du bassin du Sebou ont le plus profité des précipitations, avec un gain de "
    "près de 400 millions de mètres cubes en sept jours, a précisé le ministère dans un "
    "communiqué publié dans la matinée.",
    "Le barrage Al Wahda, le plus grand du Royaume, est désormais rempli à 52 %, tandis que "
    "ceux du bassin de l'Oum Er-Rbia restent sous la barre des 15 %, malgré les pluies.",
    "Les services météorologiques prévoient de nouvelles averses en fin de semaine sur les "
    "reliefs du Rif et du Moyen Atlas, avec des cumuls pouvant dépasser 60 millimètres.",
    "Les agriculteurs des plaines du Gharb et du Saïs saluent des pluies qui arrivent à temps "
    "pour les semis de céréales, après trois campagnes marquées par la sécheresse.",
]
ORIGINAL = "\n\n".join(PARAGRAPHS)
REWRITE = (
    "Après sept jours d'averses, les réservoirs du pays se remplissent : 41,2 % de taux de "
    "remplissage, annonce le ministère de l'Eau. Dans le Gharb, les céréaliers respirent enfin, "
    "et l'on évoque déjà une bonne campagne si les pluies se poursuivent. Le Sebou a gagné près "
    "de 400 millions de mètres cubes, et Al Wahda dépasse la moitié de sa capacité."
)


@pytest.mark.parametrize(
    ("case", "text", "is_copy"),
    [
        ("same text under another URL", ORIGINAL, True),
        ("re-typeset: case, accents and spacing only", ORIGINAL.upper().replace("É", "E"), True),
        ("a dateline added", "Rabat - " + ORIGINAL, True),
        (
            "light edits",
            ORIGINAL.replace("a précisé", "a indiqué").replace("saluent", "accueillent"),
            True,
        ),
        ("the last paragraph cut", "\n\n".join(PARAGRAPHS[:4]), True),
        ("cut to its first two paragraphs (containment)", "\n\n".join(PARAGRAPHS[:2]), True),
        ("a rewrite of the same event", REWRITE, False),
        ("another text altogether", "Le Raja bat le Wydad 2-1 dans le derby. " * 8, False),
    ],
)
def test_copies_are_found_and_rewrites_are_not(case: str, text: str, is_copy: bool) -> None:
    index = CopyIndex()
    index.add(1, fingerprint(ORIGINAL), tag=7)
    match = find_original(fingerprint(text), index)
    assert (match is not None) == is_copy, case
    if match is not None:
        assert match.original == 1
        assert index.entry(match.original).tag == 7


def test_a_copy_of_a_copy_points_to_the_first_original() -> None:
    index = CopyIndex()
    index.add(1, fingerprint(ORIGINAL))
    index.add(2, fingerprint("Tanger - " + ORIGINAL), root=1)
    match = find_original(fingerprint("Tanger - " + ORIGINAL), index)
    assert match is not None
    assert match.original == 1


def test_an_agency_dispatch_takes_over_a_group_it_arrives_late_in() -> None:
    index = CopyIndex()
    index.add(1, fingerprint(ORIGINAL), agency=False)
    match = find_original(fingerprint(ORIGINAL), index)
    assert match is not None
    assert prefer_agency(match, index, agency=True)
    assert not prefer_agency(match, index, agency=False)


def test_an_empty_text_is_never_a_copy() -> None:
    index = CopyIndex()
    index.add(1, fingerprint(""))
    assert find_original(fingerprint(""), index) is None


def test_a_fingerprint_survives_the_database_round_trip() -> None:
    fp = fingerprint(ORIGINAL)
    assert Fingerprint.from_bytes(fp.content_hash, fp.to_bytes()) == fp
    with pytest.raises(ValueError, match="bytes"):
        Fingerprint.from_bytes(fp.content_hash, b"short")


def test_removed_and_compacted_articles_are_forgotten_and_the_rest_kept() -> None:
    index = CopyIndex(capacity=4)
    texts = {ref: f"dépêche numéro {ref} " + f"mot{ref} " * 60 for ref in range(1, 3001)}
    for ref, text in texts.items():
        index.add(ref, fingerprint(text), tag=ref % 10)
    assert index.remove_tagged(3) == 300
    for ref in range(1, 2001):  # leaves 1,000 live rows: the next additions compact
        if ref in index:
            index.remove(ref)
    for ref in range(3001, 3101):
        index.add(ref, fingerprint(f"autre {ref} " * 50))
    assert find_original(fingerprint(texts[10]), index) is None
    assert find_original(fingerprint(texts[2003]), index) is None  # tag 3: removed
    kept = find_original(fingerprint(texts[2999]), index)
    assert kept is not None
    assert kept.original == 2999
    assert index.exact(fingerprint(texts[2500]).content_hash) == 2500


def test_memory_per_indexed_article_stays_under_the_budget() -> None:
    index = CopyIndex()
    for ref in range(1, 5001):
        index.add(ref, fingerprint(f"texte {ref} " + "mot " * 40))
    assert index.nbytes() / len(index) < 2048
