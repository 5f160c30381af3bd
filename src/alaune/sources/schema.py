"""The registry's entry format: a table of fields, and the check that turns an entry into an Outlet.

`FIELDS` declares every key an `[[outlet]]` entry may have (docs/sources.md describes the same
table, and a test keeps them in step). `read_entry` checks one parsed TOML table and returns the
`Outlet` or every `Problem` it found, each naming the file, the entry and the field. It does no
I/O and knows nothing about other entries: unique ids and feed URLs are `registry`'s concern.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from alaune.errors import AlauneError
from alaune.model import FeedRef, Outlet
from alaune.sources.urls import UrlRefused, check_url

LANGUAGES = ("fr", "ar", "en")
FEED_KINDS = ("rss", "atom", "jsonfeed", "sitemap", "section", "auto")
POLICIES = ("excerpt", "full")
# Polling hints outside these bounds are typos (seconds, not minutes) or impolite.
POLL_BOUNDS = (60.0, 86_400.0)
_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_PATTERN = 500


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: str
    required: bool
    help: str


FIELDS = (
    Field("id", "string", True, "Stable identifier: lower-case letters, digits, hyphens."),
    Field("name", "string", True, "The outlet's name as readers know it."),
    Field("homepage", "URL", True, "The outlet's home page (http or https)."),
    Field("languages", "list of fr|ar|en", True, "Languages the outlet publishes in."),
    Field("feeds", "list of {url, kind}", True, "Listings to poll; kind: " + "|".join(FEED_KINDS)),
    Field("country", "ISO 3166 code", False, "Where the outlet is based (MA, DZ, FR…)."),
    Field("policy", "excerpt|full", False, "What the site republishes; default excerpt."),
    Field("agency", "boolean", False, "A news agency whose wire copies others reprint."),
    Field("sections", "table", False, "The outlet's section names (or /paths) → category slugs."),
    Field("include", "list of regex", False, "Article URLs must match one of these."),
    Field("exclude", "list of regex", False, "Article URLs matching one of these are skipped."),
    Field("verified", "boolean", False, "true once the feeds were seen working; default false."),
    Field("poll_interval", "seconds", False, "Polling hint, 60 to 86400; default: learned."),
)
FIELD_NAMES = frozenset(field.name for field in FIELDS)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the registry: where (file, entry, field) and what."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.entry, self.field) if part)
        return f"{where}: {self.message}"


class RegistryError(AlauneError):
    """The registry has problems; `problems` lists every one, and the message shows them all."""

    def __init__(self, problems: Collection[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"the outlet registry has {len(self.problems)} problem(s):\n{lines}")


def entry_label(index: int, entry: Mapping[str, Any]) -> str:
    name = entry.get("id")
    return f"outlet #{index} ({name})" if isinstance(name, str) and name else f"outlet #{index}"


def read_entry(
    entry: Mapping[str, Any],
    *,
    file: str,
    label: str,
    categories: Collection[str],
    allow: Collection[str] = (),
) -> tuple[Outlet | None, list[Problem]]:
    """The `Outlet` an entry declares, or None and every problem found in it."""
    r = _Reader(entry, file, label, allow)
    for key in sorted(set(entry) - FIELD_NAMES):
        r.problem(key, f"unknown field (known: {', '.join(f.name for f in FIELDS)})")
    outlet_id = r.text("id", pattern=_ID, hint="lower-case letters, digits and hyphens, ≤ 64")
    name = r.text("name", max_length=200)
    homepage = r.url("homepage", entry.get("homepage"))
    languages = r.languages()
    feeds = r.feeds()
    country = r.text("country", default="", pattern=_COUNTRY, hint="two capital letters, e.g. MA")
    policy = r.choice("policy", POLICIES, default="excerpt")
    sections = r.sections(categories)
    include, exclude = r.patterns("include"), r.patterns("exclude")
    agency, verified = r.flag("agency"), r.flag("verified")
    poll_interval = r.seconds("poll_interval")
    if r.problems:
        return None, r.problems
    outlet = Outlet(
        id=outlet_id,
        name=name,
        homepage=homepage,
        languages=languages,
        country=country,
        feeds=feeds,
        policy=policy,
        agency=agency,
        sections=sections,
        include=include,
        exclude=exclude,
        verified=verified,
        poll_interval=poll_interval,
    )
    return outlet, []


class _Reader:
    """Typed getters over one entry that record a Problem instead of raising."""

    def __init__(self, entry: Mapping[str, Any], file: str, label: str, allow: Collection[str]):
        self.entry, self.file, self.label, self.allow = entry, file, label, allow
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.label, field, message))

    def text(
        self,
        key: str,
        *,
        default: str | None = None,
        max_length: int = 64,
        pattern: re.Pattern[str] | None = None,
        hint: str = "",
    ) -> str:
        value = self.entry.get(key, default)
        if value is None:
            self.problem(key, "required field is missing")
        elif not isinstance(value, str):
            self.problem(key, f"must be a string, not {_type(value)}")
        elif value == "" and default is None:
            self.problem(key, "must not be empty")
        elif len(value) > max_length:
            self.problem(key, f"is longer than {max_length} characters")
        elif value and pattern is not None and not pattern.match(value):
            self.problem(key, f"{value!r} is not valid ({hint})")
        else:
            return value
        return ""

    def url(self, field: str, value: object) -> str:
        if value is None:
            self.problem(field, "required field is missing")
            return ""
        try:
            check_url(value, allow=self.allow)
        except UrlRefused as exc:
            self.problem(field, f"{str(value)[:100]!r}: {exc}")
            return ""
        return str(value)

    def choice(self, key: str, choices: tuple[str, ...], *, default: str) -> str:
        value = self.entry.get(key, default)
        if value not in choices:
            self.problem(key, f"{value!r} is not one of {', '.join(choices)}")
            return default
        return str(value)

    def flag(self, key: str) -> bool:
        value = self.entry.get(key, False)
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, not {_type(value)}")
            return False
        return value

    def seconds(self, key: str) -> float | None:
        value = self.entry.get(key)
        if value is None:
            return None
        low, high = POLL_BOUNDS
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(key, f"must be a number of seconds, not {_type(value)}")
        elif not low <= value <= high:
            self.problem(key, f"{value} is outside {low:.0f}…{high:.0f} seconds")
        else:
            return float(value)
        return None

    def strings(self, key: str, *, required: bool = False) -> list[str]:
        value = self.entry.get(key)
        if value is None:
            if required:
                self.problem(key, "required field is missing")
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key, "must be a list of strings")
            return []
        return value

    def languages(self) -> tuple[str, ...]:
        values = self.strings("languages", required=True)
        if self.entry.get("languages") == []:
            self.problem("languages", f"must name at least one of {', '.join(LANGUAGES)}")
        for value in values:
            if value not in LANGUAGES:
                self.problem("languages", f"{value!r} is not one of {', '.join(LANGUAGES)}")
        if len(set(values)) != len(values):
            self.problem("languages", "lists a language twice")
        return tuple(values)

    def feeds(self) -> tuple[FeedRef, ...]:
        value = self.entry.get("feeds")
        if not isinstance(value, list) or not value:
            self.problem("feeds", "must list at least one { url = …, kind = … }")
            return ()
        feeds = []
        for n, feed in enumerate(value):
            field = f"feeds[{n}]"
            if not isinstance(feed, dict):
                self.problem(field, "must be a table { url = …, kind = … }")
                continue
            for key in sorted(set(feed) - {"url", "kind"}):
                self.problem(f"{field}.{key}", "unknown field (known: url, kind)")
            url = self.url(f"{field}.url", feed.get("url"))
            kind = feed.get("kind", "auto")
            if kind not in FEED_KINDS:
                self.problem(f"{field}.kind", f"{kind!r} is not one of {', '.join(FEED_KINDS)}")
            feeds.append(FeedRef(url, str(kind)))
        return tuple(feeds)

    def sections(self, categories: Collection[str]) -> tuple[tuple[str, str], ...]:
        value = self.entry.get("sections", {})
        if not isinstance(value, dict):
            self.problem("sections", "must be a table of section name = category slug")
            return ()
        for name, slug in value.items():
            if not name.strip() or len(name) > 200:
                self.problem("sections", f"section name {name!r} is empty or too long")
            elif slug not in categories:
                known = ", ".join(sorted(categories))
                self.problem(f"sections.{name}", f"{slug!r} is not a category (known: {known})")
        return tuple((str(name), str(slug)) for name, slug in value.items())

    def patterns(self, key: str) -> tuple[str, ...]:
        values = self.strings(key)
        for pattern in values:
            if len(pattern) > MAX_PATTERN:
                self.problem(key, f"a pattern is longer than {MAX_PATTERN} characters")
                continue
            try:
                re.compile(pattern)
            except re.error as exc:
                self.problem(key, f"{pattern!r} is not a regular expression: {exc}")
        return tuple(values)


def _type(value: object) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string"}.get(
        type(value), type(value).__name__
    )
