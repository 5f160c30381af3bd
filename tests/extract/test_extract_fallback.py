"""When trafilatura's answer is implausible, readability tries (alaune.extract.fallback)."""

from __future__ import annotations

import pytest

from alaune.extract import article
from alaune.extract.blocks import Block
from alaune.extract.fallback import better, implausible

SENTENCE = "Le conseil communal a adopté le budget de l'année prochaine après un long débat. "


def block(text: str, link_chars: int = 0) -> Block:
    return Block(kind="p", text=text, html=f"<p>{text}</p>", link_chars=link_chars)


@pytest.mark.parametrize(
    ("name", "blocks", "reason"),
    [
        ("an article", [block(SENTENCE * 3), block(SENTENCE * 2)], ""),
        ("a short news brief is plausible", [block(SENTENCE * 2)], ""),
        ("nothing", [], "empty"),
        ("too short", [block("Accueil"), block("Contact")], "too short"),
        ("mostly links", [block(SENTENCE * 3, link_chars=len(SENTENCE * 3) - 5)], "mostly links"),
        ("a menu of short lines", [block(w) for w in ("Accueil", "Politique", "Économie",
         "Sport", "Culture", "Régions", "Monde", "Vidéos")] + [block(SENTENCE * 2)],
         "mostly short lines"),
        ("Chinese is measured in characters",
         [block("国务院常务会议今天研究部署进一步推动城市更新的政策措施" * 8)], ""),
    ],
)  # fmt: skip
def test_what_is_implausible(name: str, blocks: list[Block], reason: str) -> None:
    found = implausible(blocks)
    assert found.startswith(reason) if reason else found == "", (name, found)


@pytest.mark.parametrize(
    ("name", "primary", "fallback", "expected"),
    [
        ("no fallback answer", (block("Accueil"),), (), False),
        ("a plausible rescue of an empty page", (), (block(SENTENCE * 3),), True),
        ("a plausible rescue must keep half the prose",
         tuple(block(SENTENCE) for _ in range(10)), (block(SENTENCE * 3),), False),
        ("both implausible: twice the prose wins", (block("Accueil"),), (block("Texte " * 20),),
         True),
        ("both implausible: a little more is not enough", (block("a " * 10),), (block("b " * 12),),
         False),
    ],
)  # fmt: skip
def test_when_readability_replaces_trafilatura(
    name: str, primary: tuple[Block, ...], fallback: tuple[Block, ...], expected: bool
) -> None:
    assert better(primary, fallback) is expected, name


def test_a_page_trafilatura_cannot_read_is_read_by_readability(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paragraphs = "".join(f"<p>{SENTENCE * 2}{i}</p>" for i in range(4))
    page = f"<html><body><div id='content'>{paragraphs}</div></body></html>".encode()
    monkeypatch.setattr(article.trafilatura, "bare_extraction", lambda *a, **k: None)
    found = article.extract(page, url="https://journal.example/a.html")
    assert found.extractor == "readability"
    assert len(found.blocks) == 4
    assert found.html.startswith("<p>Le conseil communal")


def test_a_plausible_trafilatura_answer_never_runs_readability(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[Block, ...]:
        raise AssertionError("readability ran on a plausible page")

    monkeypatch.setattr(article, "readability_blocks", refuse)
    paragraphs = "".join(f"<p>{SENTENCE * 2}</p>" for _ in range(4))
    page = f"<html><body><article>{paragraphs}</article></body></html>".encode()
    assert article.extract(page, url="https://journal.example/a.html").extractor == "trafilatura"
