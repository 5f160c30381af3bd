"""Search matches marked in titles and snippets, computed in Python from the query's terms.

The index holds folded, stemmed terms, not the text readers see, so highlighting cannot come from
the database: each word of the shown text is folded and stemmed the same way and wrapped in
`<mark>` when its term was asked for. Every piece is escaped first (SECURITY.md D5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup, escape

from alaune.text.normalize import search_terms

# A word as readers see it: letters and digits with Arabic marks and tatweel inside it.
_WORD = re.compile("(?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640])+")
# The same, captured: `split` gives the text between words at even indexes, words at odd ones.
_SPLIT = re.compile(f"({_WORD.pattern})")


@lru_cache(maxsize=65_536)
def _terms(word: str) -> tuple[str, ...]:
    return tuple(search_terms(word))


def _matches(word: str, wanted: frozenset[str]) -> bool:
    return not wanted.isdisjoint(_terms(word))


def highlight(text: str, terms: Iterable[str]) -> Markup:
    """`text`, escaped, with the words whose search term is in `terms` inside `<mark>`."""
    wanted = frozenset(terms)
    if not wanted:
        return escape(text)
    # A results page highlights ~40 texts of ~20 words: one split and one escape per run of
    # unmarked text, rather than a match object and a Markup per word (≈ 3× faster).
    pieces = _SPLIT.split(text)
    hits = [i for i in range(1, len(pieces), 2) if not wanted.isdisjoint(_terms(pieces[i]))]
    if not hits:
        return escape(text)
    out: list[str] = []
    start = 0
    for i in hits:
        out.append(escape("".join(pieces[start:i])))
        out.append(f"<mark>{escape(pieces[i])}</mark>")
        start = i + 1
    out.append(escape("".join(pieces[start:])))
    return Markup("".join(out))  # noqa: S704 - every piece was escaped above


def snippet(text: str, terms: Iterable[str], *, width: int = 240) -> str:
    """About `width` characters of `text` around its first matching word, on word boundaries."""
    wanted = frozenset(terms)
    if len(text) <= width:
        return text
    first = next((m for m in _WORD.finditer(text) if _matches(m.group(), wanted)), None)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    end = start + width
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")
