"""Text folding for matching and search, the same in SQLite, PostgreSQL and clustering.

Arabic: harakat, tatweel and Quranic marks stripped; alef forms, alef maqsura and teh marbuta
folded; bidi and zero-width characters removed. French and English: lower case, accents and
ligatures folded, elisions ("l'", "qu'") dropped. `search_terms` then stems each word with the
Snowball stemmer of its script (Arabic stems also drop the article and attached particles), so
"مدرسة" finds "المدرسة" and "election" finds "élections". Pure; no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Harakat (U+064B–U+065F), superscript alef (U+0670), Quranic marks (U+06D6–U+06ED), tatweel.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_LATIN_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "’": "'", "ʼ": "'"})
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
# Article and attached particles: "وال", "بال", "كال", "فال", "لل", "ال".
_ARABIC_PREFIX = re.compile("^(?:[وفبكل]?ال|لل)(?=..)")


def fold(text: str) -> str:
    """Lower-cased text with Arabic and Latin variants folded, for exact comparisons."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
    text = text.lower().translate(_LATIN_FOLD)
    text = _ELISION.sub("", text)
    decomposed = unicodedata.normalize("NFD", text)
    # Strip Latin combining accents only: Arabic marks are already gone, other scripts keep theirs.
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not ("\u0300" <= c <= "\u036f"))
    )


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


@lru_cache(maxsize=65_536)
def term(word: str) -> str:
    """The search term of one folded word: its stem in the word's own script."""
    if _ARABIC_LETTER.match(word):
        return str(_stemmer("arabic").stemWord(_ARABIC_PREFIX.sub("", word)))
    # French and English share the Latin script; the French stemmer folds both well enough for
    # plurals and verb forms, and one stemmer keeps queries and documents consistent.
    return str(_stemmer("french").stemWord(word))


def search_terms(text: str) -> list[str]:
    """The terms stored in the search index for `text`, and looked up for a query."""
    return [term(word) for word in words(text)]


def search_text(text: str) -> str:
    """`search_terms` joined by spaces: what FTS5 and tsvector index."""
    return " ".join(search_terms(text))
