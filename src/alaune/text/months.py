"""Month names and time-zone abbreviations that `dates` reads, keyed by `fold_key`.

Data only, plus the one folding function both sides share: lower case, no accents or Arabic
marks (so "Août", "aout" and "أبريل"/"ابريل" are each one key). English and French names with
their usual abbreviations; Arabic names as written in the Mashriq, in Morocco, in Algeria and
Tunisia, and in the Levant.
"""

from __future__ import annotations

import unicodedata


def fold_key(text: str) -> str:
    """`text` compatibility-normalized, case-folded, with combining marks removed."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NAMES = (
    "jan january janv janvier يناير جانفي كانون الثاني",
    "feb february fev fevr fevrier فبراير فيفري شباط",
    "mar march mars مارس آذار",
    "apr april avr avril أبريل إبريل أفريل نيسان",
    "may mai مايو ماي أيار",
    "jun june juin يونيو يونيه جوان حزيران",
    "jul july juil juillet يوليو يوليوز يوليه جويلية تموز",
    "aug august aout أغسطس غشت أوت آب",
    "sep sept september septembre سبتمبر شتنبر أيلول",
    "oct october octobre أكتوبر تشرين الأول",
    "nov november novembre نوفمبر نونبر تشرين الثاني",
    "dec december decembre ديسمبر دجنبر كانون الأول",
)
# Two-word Levantine names must be read as one word: "تشرين الثاني" is November, not October.
_TWO_WORDS = ("كانون الثاني", "تشرين الأول", "تشرين الثاني", "كانون الأول")


def _table() -> dict[str, int]:
    table: dict[str, int] = {}
    for month, line in enumerate(_NAMES, start=1):
        for two in _TWO_WORDS:
            if two in line:
                table[fold_key(two)] = month
                line = line.replace(two, "")
        for name in line.split():
            table[fold_key(name)] = month
    return table


MONTHS: dict[str, int] = _table()

# RFC 822 names, and the European ones feeds use although RFC 822 does not (hours east of UTC).
# Ambiguous abbreviations (IST, AST, …) are left out: an unknown zone reads as the default zone.
ZONES: dict[str, int] = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0, "wet": 0,
    "west": 1, "cet": 1, "met": 1, "bst": 1,
    "cest": 2, "mest": 2, "eet": 2,
    "eest": 3, "msk": 3,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip
