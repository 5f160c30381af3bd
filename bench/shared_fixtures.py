"""A check run by hand (not by `make test`): parse every feed of ../shared/data, if it is there.

    .venv/bin/python -m bench.shared_fixtures [--backend feedparser] [--verbose]

Four third-party collections, scored as their SOURCE.md says:
- feed-rs-fixtures: each input against its `.serde.json` (entry count, then per entry: title,
  link, id, published/updated), exact match per field after whitespace is collapsed;
- rss-parser-js-fixtures: each input against `output/NAME.json` (item count, title, link, guid,
  isoDate);
- miniflux-testdata and simplepie-testdata: no expected parses ship with them, so each feed must
  parse without a crash and its titles must equal those found by decoding the file in its
  *intended* charset (named by the file name) and reading `<title>` with a regular expression —
  an independent reading, so mojibake shows.

A crash is any exception other than `ListingError` (a clean "not a feed"). Nothing from
../shared/data is copied into the repository; the folder may be absent, and then this says so.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from alaune.parse import ListingError, ParsedFeed, parse_document
from alaune.text.dates import read_date, rfc3339

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
NOW = datetime(2100, 1, 1, tzinfo=UTC)  # far ahead: no fixture date is clamped
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.DOTALL | re.IGNORECASE)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_MD5 = re.compile(r"[0-9a-f]{32}")
# The charset each miniflux/simplepie file is written in, read from its name.
_INTENDED = {
    "incorrect-prolog": "utf-8", "iso-8859-1": "cp1252", "iso88591": "cp1252",
    "windows-1252": "cp1252", "windows-1251": "cp1251", "koi8r": "koi8-r",
    "utf16be": "utf-16", "utf16le": "utf-16",
}  # fmt: skip


class Tally:
    """Matches and totals per field, crashes and errors, for one collection."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.fields: Counter[str] = Counter()
        self.totals: Counter[str] = Counter()
        self.files = 0
        self.crashes: list[str] = []
        self.errors: list[str] = []
        self.misses: list[str] = []

    def compare(self, field: str, ours: object, theirs: object, where: str) -> None:
        self.totals[field] += 1
        if _norm(ours) == _norm(theirs):
            self.fields[field] += 1
        else:
            self.misses.append(
                f"{where} {field}: ours={_norm(ours)[:80]!r} theirs={_norm(theirs)[:80]!r}"
            )

    def lines(self, verbose: bool) -> list[str]:
        scores = ", ".join(f"{f} {self.fields[f]}/{self.totals[f]}" for f in sorted(self.totals))
        out = [
            f"{self.name}: {self.files} files, {len(self.crashes)} crashes, "
            f"{len(self.errors)} parse errors; agreement: {scores or 'n/a'}"
        ]
        shown = self.crashes + self.errors + (self.misses if verbose else self.misses[:8])
        out += [f"    {line}" for line in shown]
        if not verbose and len(self.misses) > 8:
            out.append(f"    … {len(self.misses) - 8} more differences (--verbose)")
        return out


def _norm(value: object) -> str:
    if value is None:
        return ""
    return " ".join(html.unescape(_TAGS.sub(" ", str(value))).split())


def _url(value: str) -> str:
    """Scheme and host in lower case and an empty path as "/", as feed-rs and rss-parser write."""
    parts = urlsplit(value.strip())
    if not parts.scheme:
        return value
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, parts.fragment)
    )


def _parse(path: Path, tally: Tally, backend: str) -> ParsedFeed | None:
    tally.files += 1
    try:
        return parse_document(path.read_bytes(), now=NOW, backend=backend)
    except ListingError as exc:
        tally.errors.append(f"{path.name}: {exc.kind}: {exc}")
    except Exception as exc:  # a crash is what this check exists to find
        tally.crashes.append(f"{path.name}: CRASH {exc!r}")
    return None


def _date(value: object) -> str:
    return rfc3339(read_date(value)) or "" if isinstance(value, str) else ""


def feed_rs(root: Path, backend: str) -> Tally:
    tally = Tally("feed-rs-fixtures")
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".xml", ".json")):
        if path.name.endswith(".serde.json"):
            continue
        parsed = _parse(path, tally, backend)
        expected_path = path.with_name(path.stem + ".serde.json")
        if parsed is None or not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))["entries"]
        tally.compare("count", len(parsed.items), len(expected), path.name)
        for n, (ours, theirs) in enumerate(zip(parsed.items, expected, strict=False)):
            where = f"{path.name}#{n}"
            links = [x["href"] for x in theirs["links"] if x.get("rel") in (None, "alternate")]
            tally.compare("title", ours.title, (theirs.get("title") or {}).get("content"), where)
            tally.compare("link", _url(ours.link), _url(links[0] if links else ""), where)
            if not (ours.guid == "" and _MD5.fullmatch(theirs.get("id") or "")):
                # feed-rs invents an MD5 id for entries without one; we leave guid empty.
                tally.compare("id", ours.guid, theirs.get("id"), where)
            theirs_date = _date(theirs.get("published") or theirs.get("updated"))
            tally.compare("date", rfc3339(ours.published), theirs_date, where)
    return tally


def rss_parser(root: Path, backend: str) -> Tally:
    tally = Tally("rss-parser-js-fixtures")
    for path in sorted((root / "input").iterdir()):
        parsed = _parse(path, tally, backend)
        expected_path = root / "output" / f"{path.stem}.json"
        if parsed is None or not expected_path.exists():
            continue
        expected = _json(expected_path)["feed"]
        items = expected.get("items", [])
        tally.compare("count", len(parsed.items), len(items), path.name)
        tally.compare("feed title", parsed.title, expected.get("title"), path.name)
        for n, (ours, theirs) in enumerate(zip(parsed.items, items, strict=False)):
            where = f"{path.name}#{n}"
            tally.compare("title", ours.title, theirs.get("title"), where)
            tally.compare("link", _url(ours.link), _url(theirs.get("link") or ""), where)
            if "guid" in theirs:
                tally.compare("guid", ours.guid, _guid(theirs["guid"]), where)
            if "isoDate" in theirs:
                tally.compare("date", rfc3339(ours.published), _date(theirs["isoDate"]), where)
    return tally


def _json(path: Path) -> Any:
    data = path.read_bytes()
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:  # one expected file (encoding.json) is itself in Latin-1
        return json.loads(data.decode("cp1252"))


def _guid(value: Any) -> str:
    return str(value.get("_", "")) if isinstance(value, dict) else str(value)


def charset_check(name: str, root: Path, backend: str) -> Tally:
    tally = Tally(name)
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".xml", ".rss", ".atom")):
        parsed = _parse(path, tally, backend)
        if parsed is None:
            continue
        codec = next((c for k, c in _INTENDED.items() if k in path.name.lower()), "utf-8")
        theirs = _titles(path.read_bytes(), codec)
        ours = [parsed.title, *(i.title for i in parsed.items)]
        for n, (mine, expected) in enumerate(zip(ours, theirs, strict=False)):
            tally.compare("title", mine, expected, f"{path.name}#{n}")
    return tally


def _titles(data: bytes, codec: str) -> list[str]:
    text = data.decode(codec, errors="replace")
    found = []
    # Titles of the channel image and of a textinput are not items: skip what nests inside them.
    text = re.sub(r"<(image|textinput)\b.*?</\1>", "", text, flags=re.DOTALL | re.IGNORECASE)
    for match in _TITLE.finditer(text):
        raw = _CDATA.sub(lambda m: html.escape(m.group(1)), match.group(1))
        found.append(html.unescape(raw))
    return found


COLLECTIONS: dict[str, Callable[[Path, str], Tally]] = {
    "feed-rs-fixtures": feed_rs,
    "rss-parser-js-fixtures": rss_parser,
    "miniflux-testdata": lambda root, b: charset_check("miniflux-testdata", root, b),
    "simplepie-testdata": lambda root, b: charset_check("simplepie-testdata", root, b),
}


def run(*, backend: str = "", verbose: bool = False) -> Iterator[str]:
    if not DATA.is_dir():
        yield f"shared fixtures: {DATA} does not exist here; nothing to check"
        return
    for name, check in COLLECTIONS.items():
        if (DATA / name).is_dir():
            yield from check(DATA / name, backend).lines(verbose)
        else:
            yield f"{name}: not present"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default="", help="feedparser-rs or feedparser")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    for line in run(backend=args.backend, verbose=args.verbose):
        print(line)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
