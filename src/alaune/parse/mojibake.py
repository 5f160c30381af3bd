"""Does a decoded text look like real writing, or like bytes read in the wrong charset?

Used only when a document's declared encoding turned out to be a lie and a single-byte charset has
to be chosen among candidates (SECURITY.md C4). Each sign below is cheap and language-neutral,
tuned on French, English, Arabic and Russian:

- C1 control characters (U+0080–U+009F): a Latin-1 reading of cp1252 or UTF-8 bytes;
- a word of three or more Latin letters none of which is ASCII ("ÇáÍßæãÉ" is Arabic read as
  cp1252; French words always carry ASCII letters around their accents);
- a word mixing scripts (Latin and Arabic, Latin and Cyrillic): "é" inside an Arabic word is
  iso-8859-6 read as cp1256;
- a lower-case letter followed by a non-ASCII capital ("sÉcuritÉ" read wrongly, "пРИВЕТ");
- a symbol glued to a letter ("Ã©", "â€™": UTF-8 read as cp1252);
- a symbol no news text uses, anywhere (box drawing "╔═╗", mathematical operators, private-use
  or unassigned code points): KOI8-R's upper half read from random bytes.

Pure and deterministic. It must not be used to override a declaration that decodes cleanly into
plausible text: it only ranks candidates once the declaration has failed.
"""

from __future__ import annotations

import itertools
import unicodedata

# Ratio of suspicious signs to non-ASCII characters above which a reading is rejected.
MAX_SUSPICION = 0.08
# Punctuation that French, English and Arabic typography puts right against letters.
_TYPOGRAPHIC = frozenset("«»“”‘’„‚‹›–—…·•°\u00a0\u202f،؛؟٪")
# Symbols that do appear in news text on their own ("20 €", "© AFP", "3 × 2", "n° 5").
_COMMON_SYMBOLS = frozenset("€£$¥¢©®™§¶°±×÷µ‰†‡′″№½¼¾¹²³¬¦¨¯´¸ªº¤")


def suspicion(text: str) -> float:
    """Suspicious signs per non-ASCII character: 0.0 for clean text, higher for mojibake."""
    foreign = sum(1 for c in text if ord(c) > 0x7F)
    if not foreign:
        return 0.0
    signs = sum(1 for c in text if 0x80 <= ord(c) <= 0x9F)
    signs += _odd_symbols(text)
    for word in _words(text):
        signs += _word_signs(word)
    return signs / foreign


def is_plausible(text: str) -> bool:
    return suspicion(text) <= MAX_SUSPICION


def _words(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if _is_letter(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return [w for w in words if not w.isascii()]


def _word_signs(word: str) -> int:
    scripts = {_script(c) for c in word if unicodedata.category(c).startswith("L")}
    if len(scripts) > 1:
        return len(word)
    signs = 0
    if scripts == {"LATIN"} and len(word) >= 3 and not any(c.isascii() for c in word):
        signs += len(word)
    for before, after in itertools.pairwise(word):
        if before.islower() and after.isupper() and not after.isascii():
            signs += 1
    return signs


def _odd_symbols(text: str) -> int:
    signs = 0
    for index, char in enumerate(text):
        if ord(char) <= 0x7F or char in _TYPOGRAPHIC:
            continue
        category = unicodedata.category(char)
        if category in ("Co", "Cn") or (category[0] == "S" and char not in _COMMON_SYMBOLS):
            signs += 1
            continue
        if category[0] not in "SP":
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if _is_letter(before) or (category[0] == "S" and _is_letter(after)):
            signs += 1
    return signs


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"
