"""Load the outlet registry: the shipped `registry/*.toml` files plus any files or folders given.

Each file holds `[[outlet]]` entries (docs/sources.md). `check_registry` reads every file and
reports every problem at once, each naming its file, entry and field; `load_registry` returns the
outlets or raises `RegistryError` listing them all. Across entries, ids and feed URLs must be
unique: the database keys outlets on the id and feeds on the URL, so a duplicate would silently
lose one. This module reads files and nothing else: it must not fetch or touch the database.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from alaune.model import Outlet
from alaune.sources.categories import category_slugs
from alaune.sources.schema import Problem, RegistryError, entry_label, read_entry

PathLike = str | Path


@dataclass(frozen=True, slots=True)
class RegistryCheck:
    """What `check_registry` read: the files, the valid outlets, and every problem."""

    files: tuple[str, ...]
    outlets: tuple[Outlet, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def shipped_files() -> list[Traversable]:
    """The registry files shipped inside the package, by name."""
    folder = resources.files("alaune.sources").joinpath("registry")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def load_registry(
    paths: Iterable[PathLike] | None = None,
    *,
    defaults: bool = True,
    allow: Collection[str] = (),
) -> list[Outlet]:
    """Every outlet of the shipped registry (unless `defaults=False`) and of `paths`.

    `paths` are TOML files or folders of them. `allow` lists the `address:port` pairs that
    entries may name although not public (the `fetch_allow` setting). Raises `RegistryError`.
    """
    checked = check_registry(paths, defaults=defaults, allow=allow)
    if checked.problems:
        raise RegistryError(checked.problems)
    return list(checked.outlets)


def check_registry(
    paths: Iterable[PathLike] | None = None,
    *,
    defaults: bool = True,
    allow: Collection[str] = (),
) -> RegistryCheck:
    """The registry read and checked without raising: the valid outlets, and every problem."""
    sources: list[tuple[str, str]] = []  # (label, text)
    problems: list[Problem] = []
    if defaults:
        sources += [(f"registry/{f.name}", f.read_text("utf-8")) for f in shipped_files()]
    sources += _read_paths(paths or (), problems)
    categories = category_slugs()
    outlets: list[tuple[str, str, Outlet]] = []
    for label, text in sources:
        for entry_name, outlet in _read_file(label, text, categories, allow, problems):
            outlets.append((label, entry_name, outlet))
    problems += _duplicates(outlets)
    files = tuple(label for label, _ in sources)
    return RegistryCheck(files, tuple(o for _, _, o in outlets), tuple(problems))


def parse_entries(
    text: str, *, label: str, allow: Collection[str] = ()
) -> tuple[list[Outlet], list[Problem]]:
    """The outlets of one registry file's text, and its problems (within the file only)."""
    problems: list[Problem] = []
    found = _read_file(label, text, category_slugs(), allow, problems)
    outlets = [outlet for _, outlet in found]
    problems += _duplicates([(label, name, outlet) for name, outlet in found])
    return outlets, problems


def _read_paths(paths: Iterable[PathLike], problems: list[Problem]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for given in paths:
        path = Path(given)
        files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
        if path.is_dir() and not files:
            problems.append(Problem(str(path), "", "", "folder holds no .toml file"))
        for file in files:
            try:
                found.append((str(file), file.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(Problem(str(file), "", "", f"cannot be read: {exc}"))
    return found


def _read_file(
    label: str,
    text: str,
    categories: Collection[str],
    allow: Collection[str],
    problems: list[Problem],
) -> list[tuple[str, Outlet]]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(label, "", "", f"is not valid TOML: {exc}"))
        return []
    for key in sorted(set(document) - {"outlet"}):
        problems.append(Problem(label, "", key, "unknown top-level key (entries are [[outlet]])"))
    entries = document.get("outlet", [])
    if not isinstance(entries, list):
        problems.append(Problem(label, "", "outlet", "must be an array of tables: [[outlet]]"))
        return []
    found = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(Problem(label, f"outlet #{index}", "", "must be a table"))
            continue
        name = entry_label(index, entry)
        outlet, found_problems = read_entry(
            entry, file=label, label=name, categories=categories, allow=allow
        )
        problems += found_problems
        if outlet is not None:
            found.append((name, outlet))
    return found


def _duplicates(outlets: Sequence[tuple[str, str, Outlet]]) -> list[Problem]:
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    feeds: dict[str, str] = {}
    for file, entry, outlet in outlets:
        first = ids.setdefault(outlet.id, f"{file}: {entry}")
        if first != f"{file}: {entry}":
            problems.append(Problem(file, entry, "id", f"{outlet.id!r} is already used by {first}"))
        for n, feed in enumerate(outlet.feeds):
            key = feed_key(feed.url)
            first = feeds.setdefault(key, f"{file}: {entry}")
            if first != f"{file}: {entry}":
                message = f"{feed.url} is already listed by {first}"
                problems.append(Problem(file, entry, f"feeds[{n}].url", message))
    return problems


def feed_key(url: str) -> str:
    """The spelling two feed URLs share when they name the same feed.

    Scheme and host are folded and a trailing slash ignored: `/feed` and `/feed/` are one feed on
    every site we know, and polling it twice would store nothing new but cost the outlet twice.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
