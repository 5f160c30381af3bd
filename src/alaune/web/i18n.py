"""The site's three UI languages: prefixes, direction, gettext catalogs, localized formats.

French is served at `/`, Arabic at `/ar/…`, English at `/en/…`: the language comes from the URL
alone (never a cookie or Accept-Language), so a cached page and a shared link always show the
same thing. Catalogs are the `.po` files under `locale/`, compiled in memory at start-up, so an
installed wheel needs nothing but its package data. Category labels come from the categories
table (`alaune.sources.categories`), not the catalogs. Dates are shown in the site's time zone
(Africa/Casablanca by default) with Babel's Moroccan locales.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from alaune.sources.categories import load_categories

LANGUAGES = ("fr", "ar", "en")
DEFAULT_LANGUAGE = "fr"
LOCALES = {"fr": "fr_MA", "ar": "ar_MA", "en": "en_GB"}
RTL = frozenset({"ar"})
# Each language named in itself, for the switcher: never translated.
ENDONYMS = {"fr": "Français", "ar": "العربية", "en": "English"}
_LONG_DATE = {"fr": "d MMMM y 'à' HH:mm", "ar": "d MMMM y، HH:mm", "en": "d MMMM y, HH:mm"}


def N_(message: str) -> str:
    """Marks a string for the catalogs without translating it (translated where shown)."""
    return message


@lru_cache(maxsize=len(LANGUAGES))
def category_labels(lang: str) -> dict[str, str]:
    """alaune's categories (sources/categories.toml, declared once) → their labels in `lang`,
    in display order."""
    return {category.slug: category.label(lang) for category in load_categories()}


def category_label(slug: str, lang: str) -> str:
    """A category's label in `lang`; an unknown slug is shown as it is."""
    return category_labels(lang).get(slug, slug)


# Content languages, by their codes: the names readers pick in filters.
CONTENT_LANGUAGES = {"fr": N_("French"), "ar": N_("Arabic"), "en": N_("English")}


def prefix(lang: str) -> str:
    """The path prefix of a UI language: "" for French, "/ar" and "/en" for the others."""
    return "" if lang == DEFAULT_LANGUAGE else f"/{lang}"


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def catalog_path(lang: str) -> resources.abc.Traversable:
    return resources.files("alaune.web") / "locale" / lang / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> Translations:
    """The language's catalog, compiled from its .po file in memory."""
    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=LOCALES[lang])
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


@lru_cache(maxsize=len(LANGUAGES))
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


class Formats:
    """Dates and numbers for one UI language, in the site's time zone."""

    def __init__(self, lang: str, timezone: str) -> None:
        self.lang = lang
        # Parsed once: Babel parses a locale given by name on every call (≈ 6 µs each, and a
        # listing formats a date per row).
        self.locale = _locale(lang)
        self.zone = ZoneInfo(timezone)

    def long_datetime(self, value: datetime) -> str:
        """ "29 novembre 2026 à 11:00", "29 نونبر 2026، 11:00", "29 November 2026, 11:00"."""
        return format_datetime(
            value.astimezone(self.zone), _LONG_DATE[self.lang], locale=self.locale
        )

    def short_datetime(self, value: datetime, now: datetime) -> str:
        """The time alone today, else the day and month: what a card or ticker needs."""
        local, today = value.astimezone(self.zone), now.astimezone(self.zone)
        if local.date() == today.date():
            return _clock(self.locale, local.hour, local.minute)
        return _day_month(self.locale, local.date(), local.year != today.year)

    def day(self, value: datetime) -> str:
        return format_date(value.astimezone(self.zone), "long", locale=self.locale)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def local(self, value: datetime) -> datetime:
        return value.astimezone(self.zone)


# A listing shows twenty rows of dates drawn from a few days and minutes: formatted once each.
@lru_cache(maxsize=4096)
def _clock(locale: Locale, hour: int, minute: int) -> str:
    return format_time(time(hour, minute), "HH:mm", locale=locale)


@lru_cache(maxsize=4096)
def _day_month(locale: Locale, day: date, with_year: bool) -> str:
    return format_date(day, "d MMM y" if with_year else "d MMM", locale=locale)
