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


@lru_cache(maxsize=65_536)
def _terms(word: str) -> tuple[str, ...]:
    return tuple(search_terms(word))


def _matches(word: str, wanted: frozenset[str]) -> bool:
    return any(term in wanted for term in _terms(word))


def highlight(text: str, terms: Iterable[str]) -> Markup:
    """`text`, escaped, with the words whose search term is in `terms` inside `<mark>`."""
    wanted = frozenset(terms)
    if not wanted:
        return escape(text)
    out: list[str] = []
    last = 0
    for found in _WORD.finditer(text):
        if _matches(found.group(), wanted):
            out.append(escape(text[last : found.start()]))
            out.append(Markup("<mark>%s</mark>") % found.group())
            last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


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
