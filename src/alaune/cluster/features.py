"""What two reports of one event share besides meaning: names and numbers.

`entities` takes capitalized word sequences and acronyms from Latin-script text and, for Arabic
(which has no capitals), the one or two words after a word that announces a name (إقليم,
مدينة, فريق, وزير…): generic words would make every two football reports look alike.
`numbers` takes figures with their decimals folded ("4,9" = "4.9" = "٤٫٩") and match scores
("2-1"). Both return folded strings so that French and English spellings of one name meet.
Pure and cheap: no model, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from alaune.text.normalize import fold

# Arabic-Indic and Persian digits, and the Arabic decimal and thousands separators.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
# "2-1", "2 - 1": a score; "41,2" or "41.2": a decimal; "42 000" / "42,000": thousands.
_SCORE = re.compile(r"(?<![\d.,])(\d{1,2})\s?[-–:]\s?(\d{1,2})(?![\d.,%])")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[  ,.]\d{3})+(?![\d])|\d+(?:[.,]\d+)?")
_LATIN_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w’'-]*(?:[ -](?:[A-ZÀ-ÖØ-Þ][\w’'-]*))*")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_ARABIC_WORD = re.compile("[\u0621-\u064a]{3,}")
_ARABIC_PREFIX = re.compile("^(?:[وفبكل]?ال|لل)(?=...)")
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s")
LEAD_CHARS = 320
# Years and small counts are shared by unrelated stories: they are not evidence.
_YEAR = re.compile(r"(?:19|20)\d\d\Z")


def _words(block: str) -> list[str]:
    return block.split()


# Capitalized words that start sentences or name calendar days, not things.
_LATIN_STOP = frozenset(
    _words(
        """
        le la les l un une des de du d au aux en et ou a à dans sur pour par avec sans selon
        ce cette ces il elle ils elles on nous son sa ses leur leurs qui que quand mais après
        avant lors depuis pendant plus moins entre vers chez dont où
        the a an and or of in on at to for from with by after before as its it this that these
        those he she they we his her their who when while but more less than over under about
        lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday
        friday saturday sunday january february march april may june july august september
        october november december mr mrs m mme
        """
    )
)
# Words that announce a proper name: places, bodies, teams, titles. Folded like the text.
_ARABIC_TRIGGERS = frozenset(
    fold(word)
    for word in _words(
        """
        إقليم اقليم مدينة ولاية جهة جماعة بلدية منطقة دولة عاصمة ميناء مطار ملعب سد جامعة
        فريق نادي منتخب شركة مجموعة بنك مؤسسة وكالة معهد مهرجان جائزة السيد السيدة الوزير وزير
        رئيس الرئيس المدرب العداء العداءة الكاتب المخرج الفنان
        """
    )
)
# Words after a trigger that are not names ("regional", "national", "sports").
_ARABIC_NOT_NAMES = frozenset(
    fold(word)
    for word in _words(
        """
        الوطني الوطنية الجهوي الجهوية المحلي المحلية الرياضي الرياضية الدولي الدولية
        المغربي المغربية الأول الأولى الجديد الجديدة العام العامة في من على إلى عن مع دون بعد
        قبل خلال منذ التي الذي حيث
        """
    )
)


@dataclass(frozen=True, slots=True)
class Features:
    """The names and numbers of one article (folded strings)."""

    entities: frozenset[str]
    numbers: frozenset[str]


def features(title: str, lead: str, text: str = "", *, language: str = "") -> Features:
    """Entities of the title and lead, numbers of the whole article."""
    head = f"{title}\n{lead}"
    return Features(
        entities=frozenset(entities(head, language=language)),
        numbers=frozenset(numbers(f"{head}\n{text}")),
    )


def entities(text: str, *, language: str = "") -> set[str]:
    """Folded names: Latin capitalized words and acronyms; Arabic content words."""
    found: set[str] = set()
    for match in _LATIN_NAME.finditer(text):
        for word in re.split(r"[ -]", fold(match.group())):
            word = word.strip("’'")
            if len(word) >= 3 and word not in _LATIN_STOP:
                found.add(word)
    found.update(fold(m.group()) for m in _ACRONYM.finditer(text))
    if language == "ar" or _ARABIC_WORD.search(text):
        found.update(_arabic_names(text))
    return found


def _arabic_names(text: str) -> set[str]:
    """The one or two words after each name-announcing word, article and prefixes dropped."""
    tokens = _ARABIC_WORD.findall(fold(text))
    names: set[str] = set()
    for i, token in enumerate(tokens[:-1]):
        if _ARABIC_PREFIX.sub("", token) not in _ARABIC_TRIGGERS and token not in _ARABIC_TRIGGERS:
            continue
        for follower in tokens[i + 1 : i + 3]:
            if follower in _ARABIC_NOT_NAMES or follower in _ARABIC_TRIGGERS:
                break
            names.add(_ARABIC_PREFIX.sub("", follower))
    return names


def numbers(text: str) -> set[str]:
    """Figures worth matching: decimals, numbers ≥ 10 other than years, match scores."""
    text = text.translate(_DIGITS)
    found = {f"{a}-{b}" for a, b in _SCORE.findall(text)}
    for match in _NUMBER.finditer(_SCORE.sub(" ", text)):
        value = _canonical(match.group())
        if value is not None:
            found.add(value)
    return found


def _canonical(raw: str) -> str | None:
    """'41,2' → '41.2'; '42 000' and '42,000' → '42000'; None for years and small counts."""
    compact = raw.replace(" ", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", compact) and len(compact) > 4:
        compact = re.sub(r"[,.]", "", compact)
    compact = compact.replace(",", ".")
    if "." in compact:
        whole, _, decimals = compact.partition(".")
        decimals = decimals.rstrip("0")
        return f"{int(whole)}.{decimals}" if decimals else _integer(whole)
    return _integer(compact)


def _integer(digits: str) -> str | None:
    value = int(digits)
    if value < 10 or _YEAR.match(digits):
        return None
    return str(value)


def first_sentences(text: str, limit: int = LEAD_CHARS) -> str:
    """The opening sentences of `text`, about `limit` characters: a lead for texts without one."""
    head = " ".join(text.split())[: 2 * limit]
    cut = 0
    for match in _SENTENCE_END.finditer(head):
        cut = match.start()
        if cut >= limit // 2:
            break
    return head[:cut] if cut else head[:limit]
