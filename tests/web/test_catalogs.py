"""The UI strings: every message the code and templates use is translated in fr, ar and en,
with the same placeholders; catalogs and vendored files ship as package data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from alaune.web.i18n import LANGUAGES, LOCALES, catalog_path, translations

WEB = Path(__file__).resolve().parents[2] / "src" / "alaune" / "web"
# Renderer.text(lang, message) and Renderer.plural(lang, singular, plural, n) are gettext too.
KEYWORDS = {**DEFAULT_KEYWORDS, "text": (2,), "plural": (2, 3)}
METHODS = [("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def used_messages() -> dict[str, tuple[str, ...]]:
    """msgid → (msgid, msgid_plural?) of every message the web package uses."""
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), METHODS, OPTIONS, keywords=KEYWORDS
    ):
        forms = message if isinstance(message, tuple) else (message,)
        found[forms[0]] = forms
    return found


def test_extraction_finds_the_sites_messages() -> None:
    used = used_messages()
    assert "Read the article at its source" in used
    assert "Published in %(outlet)s on %(date)s" in used
    assert len(used) > 60


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_is_missing_or_untranslated(lang: str) -> None:
    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=LOCALES[lang])
    missing, empty, fuzzy, placeholders = [], [], [], []
    for msgid, forms in used_messages().items():
        entry = catalog.get(msgid)
        if entry is None:
            missing.append(msgid)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings) or (len(forms) > 1) != isinstance(entry.string, tuple):
            empty.append(msgid)
        if entry.fuzzy:
            fuzzy.append(msgid)
        wanted = set(PLACEHOLDER.findall(" ".join(forms)))
        for text in strings:
            if not set(PLACEHOLDER.findall(text)) <= wanted:
                placeholders.append(msgid)
    assert missing == [], f"{lang}: add these to {catalog_path(lang)}"
    assert empty == []
    assert fuzzy == []
    assert placeholders == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_match_the_language(lang: str) -> None:
    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=LOCALES[lang])
    for entry in catalog:
        if isinstance(entry.string, tuple) and entry.id:
            assert len(entry.string) == catalog.num_plurals, entry.id
    assert catalog.num_plurals == (6 if lang == "ar" else 2)


def test_arabic_plurals_choose_the_right_form() -> None:
    ar = translations("ar")
    forms = [ar.ngettext("%(num)s source", "%(num)s sources", n) for n in (0, 1, 2, 3, 11, 100)]
    assert forms == [
        "%(num)s مصدر",
        "مصدر واحد",
        "مصدران",
        "%(num)s مصادر",
        "%(num)s مصدرًا",
        "%(num)s مصدر",
    ]


def test_the_htmx_file_is_the_one_recorded() -> None:
    record = (WEB / "static" / "VENDORED.md").read_text(encoding="utf-8")
    name, digest = re.search(r"`(htmx-[\d.]+\.min\.js)`.*`([0-9a-f]{64})`", record).groups()  # type: ignore[union-attr]
    assert hashlib.sha256((WEB / "static" / name).read_bytes()).hexdigest() == digest
    assert name in (WEB / "templates" / "base.html").read_text(encoding="utf-8")
    assert name.startswith("htmx-2.0.")
