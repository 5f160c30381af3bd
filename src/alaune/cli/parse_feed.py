"""`alaune parse-feed PATH... [--url URL] --json`: parse saved listings and print what alaune reads.

One JSON object per input file, in input order (JSON Lines): the format, the listing's title and
link, its items with dates in RFC 3339 UTC and sanitized HTML, and `error` (null or
{"kind", "message"}). Every input gets its line, a missing or unreadable file included, and the
exit status is then 0: the errors are data. The command reads local files only (this is the
terminal layer); the parsers themselves are given bytes, never the path.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import click

from alaune.parse import ListingError, ParsedFeed, ParsedItem, SectionRules, parse_document
from alaune.parse.limits import MAX_DOCUMENT
from alaune.text.dates import rfc3339


@click.command("parse-feed")
@click.argument("paths", nargs=-1, required=True)
@click.option("--url", default="", help="URL the files were fetched from: base for relative links.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one object per file.")
@click.option("--include", multiple=True, help="Section pages: regex an article URL must match.")
@click.option(
    "--exclude", multiple=True, help="Section pages: regex an article URL must not match."
)
def parse_feed(
    paths: tuple[str, ...],
    url: str,
    as_json: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
) -> None:
    """Parse feeds, sitemaps or section pages saved as files ("-" reads standard input)."""
    now = datetime.now(UTC)  # the "fetch time": future dates in the files are clamped to it
    rules = SectionRules(include=include, exclude=exclude)
    for path in paths:
        record = parse_file(path, url=url, now=now, rules=rules)
        click.echo(json.dumps(record, ensure_ascii=False) if as_json else _summary(record))


def parse_file(path: str, *, url: str, now: datetime, rules: SectionRules) -> dict[str, Any]:
    """The JSON record of one input file; never raises."""
    try:
        data = _read(path)
    except OSError as exc:
        return _record(path, None, {"kind": "io_error", "message": f"cannot read: {exc.strerror}"})
    try:
        parsed = parse_document(data, now=now, url=url, rules=rules)
    except ListingError as exc:
        return _record(path, None, {"kind": exc.kind, "message": str(exc)})
    except Exception as exc:  # one bad file must not cost the others their line
        return _record(path, None, {"kind": "internal_error", "message": repr(exc)[:300]})
    return _record(path, parsed, _rejections(parsed))


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(MAX_DOCUMENT + 1)
    with open(path, "rb") as handle:
        # One byte past the cap is enough for the parser to say "too large".
        return handle.read(MAX_DOCUMENT + 1)


def _record(path: str, parsed: ParsedFeed | None, error: dict[str, str] | None) -> dict[str, Any]:
    return {
        "path": path,
        "format": parsed.format if parsed else None,
        "title": parsed.title if parsed else None,
        "link": parsed.link if parsed else None,
        "items": [item_record(i) for i in parsed.items] if parsed else [],
        "error": error,
    }


def item_record(item: ParsedItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "link": item.link,
        "guid": item.guid,
        "published": rfc3339(item.published),
        "updated": rfc3339(item.updated),
        "author": item.author,
        "summary": item.summary,
        "content": item.content,
        "categories": list(item.categories),
        "image": item.image,
    }


def _rejections(parsed: ParsedFeed) -> dict[str, str] | None:
    """Entries left out (bad encoding) are reported, though the others were read."""
    if not parsed.rejected:
        return None
    counts = Counter(r.reason for r in parsed.rejected)
    reasons = ", ".join(f"{n} × {reason}" for reason, n in sorted(counts.items()))
    kind = "encoding_error" if "encoding error" in counts else "parse_error"
    return {"kind": kind, "message": f"items rejected: {reasons}"}


def _summary(record: dict[str, Any]) -> str:
    error = record["error"]
    if record["format"] is None:
        return f"{record['path']}: error {error['kind']}: {error['message']}"
    line = (
        f"{record['path']}: {record['format']}, {len(record['items'])} items, {record['title']!r}"
    )
    return f"{line} ({error['message']})" if error else line
