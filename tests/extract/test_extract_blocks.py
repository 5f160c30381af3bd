"""An article body cut into blocks: text, sanitized HTML, links, lists (alaune.extract.blocks)."""

from __future__ import annotations

import lxml.html
import pytest

from alaune.extract.blocks import Block, blocks_from_tree, plain_text, render_html
from alaune.text.sanitize import sanitize_html

BASE = "https://journal.example/politique/article.html"


def cut(fragment: str) -> tuple[Block, ...]:
    return blocks_from_tree(
        lxml.html.fragment_fromstring(fragment, create_parent="div"), base_url=BASE
    )


@pytest.mark.parametrize(
    ("name", "fragment", "texts"),
    [
        ("paragraphs", "<p>Un.</p><p>Deux.</p>", ["Un.", "Deux."]),
        ("headings are blocks", "<h2>Contexte</h2><p>Texte.</p>", ["Contexte", "Texte."]),
        ("each list item is a block", "<ul><li>a</li><li>b</li></ul>", ["a", "b"]),
        ("nested containers are walked", "<div><section><p>x</p></section></div>", ["x"]),
        ("a div of text is a paragraph", "<div>Texte <b>gras</b> ici</div>", ["Texte gras ici"]),
        ("loose text between blocks is kept", "<p>a</p> loose <i>text</i> <p>b</p>",
         ["a", "loose text", "b"]),
        ("br separates words", "<p>ligne<br>suivante</p>", ["ligne suivante"]),
        ("inner blocks separate words", "<li><h3>WebIDE</h3><p>Outil.</p></li>", ["WebIDE Outil."]),
        ("whitespace collapsed", "<p>  a \n\t b  </p>", ["a b"]),
        ("empty blocks dropped", "<p> </p><p>x</p><div></div>", ["x"]),
        ("images and figures are not text", "<figure><img src=a.jpg><figcaption>c</figcaption>"
         "</figure><p>t<img src=b.jpg>u</p>", ["tu"]),
        ("scripts are not text", "<p>a<script>alert(1)</script></p>", ["a"]),
    ],
)  # fmt: skip
def test_blocks_are_cut_at_paragraph_level(name: str, fragment: str, texts: list[str]) -> None:
    assert [b.text for b in cut(fragment)] == texts, name


def test_link_text_and_the_label_outside_links_are_measured() -> None:
    (teaser, prose) = cut(
        '<p><strong>Lire aussi :</strong> <a href="/x">Un autre titre</a></p>'
        '<p>Un long paragraphe avec <a href="/y">un lien</a> au milieu.</p>'
    )
    assert teaser.label == "Lire aussi :"
    assert teaser.link_chars == len("Un autre titre")
    assert teaser.link_share > 0.5
    assert prose.link_share < 0.5
    assert cut("<p>sans lien</p>")[0].label == ""


def test_block_html_is_sanitized_with_links_made_absolute() -> None:
    (block,) = cut(
        '<p onclick="x()">Voir <a href="/autre.html">ceci</a>, <a href="javascript:alert(1)">'
        "cela</a><img src=x onerror=alert(1)></p>"
    )
    assert block.html == sanitize_html(block.html)  # nothing left for the allowlist to remove
    assert 'href="https://journal.example/autre.html"' in block.html
    assert 'rel="noopener noreferrer"' in block.html
    for dangerous in ("javascript:", "onclick", "onerror", "<img"):
        assert dangerous not in block.html


def test_list_items_go_back_into_their_list() -> None:
    blocks = cut("<p>a</p><ol><li>un</li><li>deux</li></ol><ul><li>x</li></ul><p>b</p>")
    assert [(b.kind, b.container) for b in blocks] == [
        ("p", ""), ("li", "ol"), ("li", "ol"), ("li", "ul"), ("p", ""),
    ]  # fmt: skip
    assert (
        render_html(blocks)
        == "<p>a</p><ol><li>un</li><li>deux</li></ol><ul><li>x</li></ul><p>b</p>"
    )
    assert plain_text(blocks) == "a\n\nun\n\ndeux\n\nx\n\nb"


def test_a_list_cut_short_by_a_removed_item_is_still_closed() -> None:
    blocks = cut("<ul><li>x</li><li>y</li></ul>")
    assert render_html(blocks[:1]) == "<ul><li>x</li></ul>"


def test_headings_keep_their_level_and_tables_stay_tables() -> None:
    blocks = cut("<h2>Titre</h2><table><tr><td>1</td><td>2</td></tr></table>")
    assert [b.kind for b in blocks] == ["h", "table"]
    assert blocks[0].html == "<h2>Titre</h2>"
    assert blocks[1].html.startswith("<table>")
