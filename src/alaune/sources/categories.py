"""alaune's categories, read from the package's `categories.toml`: slugs and fr/ar/en labels.

Pure data access: the file is read once from package data and cached. It must not decide which
category an article belongs to; that is `alaune.categorize`'s job.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from alaune.errors import ConfigError

LANGUAGES = ("fr", "ar", "en")


@dataclass(frozen=True, slots=True)
class Category:
    """One category: its stable slug and its label in each interface language."""

    slug: str
    fr: str
    ar: str
    en: str

    def label(self, language: str) -> str:
        """The label in `language`, French when the language is not one of fr, ar, en."""
        return {"fr": self.fr, "ar": self.ar, "en": self.en}.get(language, self.fr)


@cache
def load_categories() -> tuple[Category, ...]:
    """Every category, in display order. `ConfigError` if the shipped file is malformed."""
    text = resources.files("alaune.sources").joinpath("categories.toml").read_text("utf-8")
    entries = tomllib.loads(text).get("category", [])
    categories = []
    for n, entry in enumerate(entries, start=1):
        try:
            categories.append(Category(**{key: str(entry[key]) for key in ("slug", *LANGUAGES)}))
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"categories.toml: category #{n} lacks {exc}") from None
    return tuple(categories)


def category_slugs() -> frozenset[str]:
    """The slugs an outlet's `sections` may map to."""
    return frozenset(category.slug for category in load_categories())
