"""Site templates: recurring blocks learned per outlet, removed only when enough pages agree."""

from __future__ import annotations

import json

import pytest

from alaune.extract.blocks import Block
from alaune.extract.result import Extraction
from alaune.extract.templates import (
    Template,
    TemplatePolicy,
    apply,
    block_keys,
    is_boilerplate,
    learn,
    load_template,
    new_template,
)

REPORT = Block("p", "Merci, votre signalement a bien été transmis.", "<p>…</p>")
RIGHTS = Block(
    "p",
    "© 2026 Le Journal. Tous droits réservés. Toute reproduction, même partielle, est interdite "
    "sans autorisation écrite de la rédaction.",
    "<p>…</p>",
)


def prose(n: int) -> Block:
    text = f"Paragraphe {n} d'un article : le conseil a voté le budget après un long débat public."
    return Block("p", text, f"<p>{text}</p>")


def teaser(title: str) -> Block:
    text = f"Lire aussi : {title}"
    return Block("p", text, f"<p>{text}</p>", link_chars=len(title), label="Lire aussi :")


def learned(pages: list[list[Block]], policy: TemplatePolicy | None = None) -> Template:
    template = new_template()
    for i, blocks in enumerate(pages):
        template = learn(
            template, blocks, page=f"https://j.example/{i}", policy=policy or TemplatePolicy()
        )
    return template


def extraction(blocks: list[Block]) -> Extraction:
    return Extraction(url="https://j.example/x", title="t", blocks=()).with_blocks(tuple(blocks))


@pytest.mark.parametrize(
    ("name", "pages_with_block", "other_pages", "removed"),
    [
        ("seen on one page: the article's own", 1, 10, False),
        ("seen on two pages: text that repeats once stays", 2, 10, False),
        ("seen on three pages: furniture", 3, 0, True),
        ("seen on every page", 12, 0, True),
    ],
)
def test_a_short_block_needs_min_pages_to_be_removed(
    name: str, pages_with_block: int, other_pages: int, removed: bool
) -> None:
    pages = [[prose(i), REPORT] for i in range(pages_with_block)]
    pages += [[prose(100 + i)] for i in range(other_pages)]
    assert is_boilerplate(learned(pages), REPORT) is removed, name


@pytest.mark.parametrize(
    ("name", "with_block", "without", "removed"),
    [
        ("a background paragraph shared by 5 articles of a series in 40 pages", 5, 35, False),
        ("a copyright notice on every page", 10, 0, True),
        ("on a third of the pages", 8, 16, True),
    ],
)
def test_a_long_block_also_needs_a_share_of_the_pages(
    name: str, with_block: int, without: int, removed: bool
) -> None:
    pages = [[prose(i), RIGHTS] for i in range(with_block)] + [
        [prose(100 + i)] for i in range(without)
    ]
    assert RIGHTS.words > TemplatePolicy().short_words
    assert is_boilerplate(learned(pages), RIGHTS) is removed, name


def test_teasers_to_different_articles_are_one_key() -> None:
    titles = ["Le budget adopté", "Grève au port", "Record de touristes", "Un nouveau maire"]
    template = learned([[prose(i), teaser(t)] for i, t in enumerate(titles[:3])])
    assert is_boilerplate(template, teaser(titles[3]))  # a title never seen before
    assert not is_boilerplate(template, prose(200))
    long_label = Block("p", "x " * 20, "", link_chars=3, label="mots " * 10)
    assert [k[:2] for k in block_keys(long_label)] == ["t:"]  # an inline link in prose


def test_a_page_learned_twice_counts_once() -> None:
    template = new_template()
    for _ in range(5):
        template = learn(template, [REPORT], page="https://j.example/same")
    assert template["pages"] == 1
    assert not is_boilerplate(template, REPORT)


def test_a_redesigned_site_sheds_its_old_template() -> None:
    policy = TemplatePolicy(max_age=20)
    old = [[prose(i), REPORT] for i in range(10)]
    new = [[prose(100 + i)] for i in range(40)]
    template = learned(old + new, policy)
    assert not any(key in template["blocks"] for key in block_keys(REPORT))


def test_the_template_stays_small() -> None:
    policy = TemplatePolicy(max_keys=50)
    template = learned([[prose(i), REPORT] for i in range(200)], policy)
    assert len(template["blocks"]) <= 50
    assert is_boilerplate(template, REPORT, policy)  # the frequent key survives the cut


def test_apply_removes_furniture_keeps_text_and_never_empties_a_page() -> None:
    template = learned([[prose(i), REPORT, teaser(f"t{i}")] for i in range(4)])
    cleaned = apply(template, extraction([prose(50), REPORT, prose(51), teaser("autre")]))
    assert cleaned.paragraphs == (prose(50).text, prose(51).text)
    assert cleaned.removed_by_template == 2
    assert "signalement" not in cleaned.html
    only_furniture = extraction([REPORT])
    assert apply(template, only_furniture) is only_furniture


def test_learn_and_apply_never_change_their_inputs() -> None:
    template = learned([[REPORT]] * 3)
    frozen = json.dumps(template, sort_keys=True)
    learn(template, [REPORT, prose(1)], page="https://j.example/other")
    apply(template, extraction([REPORT, prose(1)]))
    assert json.dumps(template, sort_keys=True) == frozen


def test_a_template_is_json_and_survives_the_database() -> None:
    template = learned([[prose(i), REPORT] for i in range(5)])
    assert load_template(json.loads(json.dumps(template))) == template


@pytest.mark.parametrize(
    "stored",
    [None, "x", [], {"version": 999}, {"version": 1, "pages": "3", "blocks": {}, "recent": []}],
)
def test_an_unusable_stored_template_starts_afresh(stored: object) -> None:
    assert load_template(stored) == new_template()


def test_a_stored_template_with_bad_entries_keeps_the_good_ones() -> None:
    stored = {"version": 1, "pages": 4, "recent": [], "blocks": {"t:a": [3, 1, 4], "t:b": "x"}}
    assert load_template(stored)["blocks"] == {"t:a": [3, 1, 4]}


def test_a_policy_that_would_remove_text_seen_once_is_refused() -> None:
    with pytest.raises(ValueError, match="min_pages"):
        TemplatePolicy(min_pages=1)
