"""The fallback rules (`rules.toml`) and the text folding they are matched with.

`fold` makes French, English and Arabic comparable without a stemmer: case, accents, Arabic
harakat, tatweel and hamza forms go; ة becomes ه and ى becomes ي. Arabic words also match after a
clitic prefix (ال، و، ب، ل، ك، ف and their combinations), which is most of what separates a
keyword from its use in a sentence. Pure: the rules file is package data, read once.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

LANGUAGES = ("fr", "ar", "en")
# Longest first, so that "وال" is tried before "و".
_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_TOKEN = re.compile(r"\w+")
_NON_WORD = re.compile(r"[^\w]+")
_ARABIC_FOLDS = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None})

Phrase = tuple[str, ...]


def fold(text: str) -> str:
    """`text` lower-cased, without accents or harakat, Arabic letter variants merged."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Dropping combining marks removes French accents, Arabic harakat and the hamza that NFKD
    # splits off أ إ آ ؤ ئ, leaving ا ا ا و ي: the folding Arabic search engines use.
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().translate(_ARABIC_FOLDS)


def tokens(text: str) -> list[str]:
    """The folded words of `text` (an apostrophe splits French elisions: l'État → l, etat)."""
    return _TOKEN.findall(fold(text))


def variants(token: str) -> tuple[str, ...]:
    """`token` and, for an Arabic word, what remains after each clitic prefix it starts with."""
    if not token or not "\u0600" <= token[0] <= "\u06ff":
        return (token,)
    stripped = [
        token[len(p) :] for p in _CLITICS if token.startswith(p) and len(token) - len(p) > 1
    ]
    return (token, *stripped)


def slug_of(text: str) -> str:
    """A folded name in URL-segment form: "Faits divers" → "faits-divers"."""
    return _NON_WORD.sub("-", fold(text)).strip("-")


@dataclass(frozen=True, slots=True)
class Rules:
    """The fallback rules, indexed for matching."""

    names: Mapping[str, str]  # folded name or path segment → slug
    phrases: Mapping[str, tuple[tuple[Phrase, str, str], ...]]  # first token → (phrase, slug, kw)
    order: tuple[str, ...]  # slugs in file order

    def name_category(self, name: str) -> str:
        """The slug a path segment or section name stands for, "" if none."""
        for candidate in variants(slug_of(name)):
            if candidate in self.names:
                return self.names[candidate]
        return ""

    def keyword_hits(self, words: list[str]) -> dict[str, set[str]]:
        """For each slug, the distinct keywords found in `words` (folded tokens)."""
        hits: dict[str, set[str]] = defaultdict(set)
        for i, word in enumerate(words):
            for first in variants(word):
                for phrase, slug, keyword in self.phrases.get(first, ()):
                    if _continues(words, i, phrase):
                        hits[slug].add(keyword)
        return hits


def _continues(words: list[str], start: int, phrase: Phrase) -> bool:
    if start + len(phrase) > len(words):
        return False
    return all(phrase[k] in variants(words[start + k]) for k in range(1, len(phrase)))


@cache
def load_rules() -> Rules:
    """The shipped rules, read from package data once."""
    text = resources.files("alaune.categorize").joinpath("rules.toml").read_text("utf-8")
    return build_rules(tomllib.loads(text))


def build_rules(document: Mapping[str, Mapping[str, Iterable[str]]]) -> Rules:
    names: dict[str, str] = {}
    phrases: dict[str, list[tuple[Phrase, str, str]]] = defaultdict(list)
    seen: set[tuple[Phrase, str]] = set()  # "cinéma" (fr) and "cinema" (en) are one keyword
    for slug, rule in document.items():
        for name in rule.get("names", ()):
            names.setdefault(slug_of(name), slug)
        for language in LANGUAGES:
            for keyword in rule.get(language, ()):
                words = tuple(tokens(keyword))
                if words and (words, slug) not in seen:
                    seen.add((words, slug))
                    phrases[words[0]].append((words, slug, keyword))
    frozen = {first: tuple(found) for first, found in phrases.items()}
    return Rules(names=names, phrases=frozen, order=tuple(document))
