"""`alaune extract PATH_OR_URL... [--url URL] --json`: what alaune reads from article pages.

One JSON object per input, in input order (JSON Lines): the page's title, plain text, sanitized
HTML, lead, author(s), publication and update times (reconciled by `alaune.extract.dates`, RFC
3339 UTC, null when the page states none), which source the date came from, language, lead
image, canonical URL, word count, and `error` (null or {"kind", "message"}). Every input gets
its line — a missing file, bytes that are no web page, a refused or failed fetch included — and
the exit status is then 0: the errors are data.

A path is read from disk ("-" reads standard input); `--url` says where that page lives, for
its relative links. An http(s) input is fetched through `alaune.fetch` with the settings'
limits and `fetch_allow`, after its robots.txt, by one fetcher shared by every input. This
command must never open a connection itself (no urllib, no httpx) and stores nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import click

from alaune.cli.context import CliContext, pass_context
from alaune.errors import AlauneError, FetchError, ParseError
from alaune.extract import DateEvidence, Extraction, extract, reconcile
from alaune.extract.article import MAX_DOCUMENT, NO_TEXT, NOT_HTML
from alaune.fetch import Fetcher, FetchPolicy, RobotsCache
from alaune.text.dates import rfc3339
from alaune.text.urls import absolute_http_url

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
# What a server may call a web page; a missing Content-Type is given a chance too.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", ""})
FIELDS = (
    "title", "text", "html", "lead", "author", "published", "updated", "date_source",
    "language", "image", "canonical_url", "word_count",
)  # fmt: skip


class InputError(Exception):
    """Why one input could not be read: `kind` and a message, for its line."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class Page:
    """One input's bytes and the URL they were served from (the base for relative links)."""

    body: bytes
    url: str


@dataclass(frozen=True, slots=True)
class Web:
    """The fetcher every URL input shares, and its robots.txt cache."""

    fetcher: Fetcher
    robots: RobotsCache


Emit = Callable[[dict[str, Any]], None]


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option("--url", "base_url", default="", help="URL of the page saved in PATH (links).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one object per input.")
@pass_context
def extract_command(ctx: CliContext, inputs: tuple[str, ...], base_url: str, as_json: bool) -> None:
    """Extract the article of saved pages or of URLs ("-" reads standard input)."""
    if base_url and absolute_http_url(base_url) != base_url:
        raise click.BadParameter("must be an absolute http(s) URL", param_hint="--url")
    try:
        # Settings (and a fetcher) only when there is something to fetch.
        policy = FetchPolicy.from_settings(ctx.settings()) if any(map(is_url, inputs)) else None
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None

    def emit(record: dict[str, Any]) -> None:
        click.echo(json.dumps(record, ensure_ascii=False) if as_json else summary(record))

    now = datetime.now(UTC)
    with quiet(logging.getLogger("trafilatura")):  # its complaints are in the lines already
        asyncio.run(extract_all(inputs, base_url=base_url, now=now, policy=policy, emit=emit))


@contextlib.contextmanager
def quiet(logger: logging.Logger) -> Iterator[None]:
    """`logger` says nothing below CRITICAL meanwhile."""
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def is_url(value: str) -> bool:
    return value[:8].lower().startswith(("http://", "https://"))


async def extract_all(
    inputs: tuple[str, ...],
    *,
    base_url: str,
    now: datetime,
    policy: FetchPolicy | None,
    emit: Emit,
) -> None:
    """`emit` the record of every input as soon as it is read, in input order."""
    if policy is None:
        for item in inputs:
            emit(await extract_one(item, base_url=base_url, now=now, web=None))
        return
    async with Fetcher(policy) as fetcher:
        web = Web(fetcher, RobotsCache(fetcher))
        for item in inputs:
            emit(await extract_one(item, base_url=base_url, now=now, web=web))


async def extract_one(
    item: str, *, base_url: str, now: datetime, web: Web | None
) -> dict[str, Any]:
    """The JSON record of one input; never raises."""
    path, url = (None, item) if is_url(item) else (item, base_url or None)
    try:
        page = await load(item, base_url=base_url, web=web)
        found = extract(page.body, url=page.url)
    except (InputError, FetchError) as exc:
        return error_record(path, url, exc.kind, str(exc))
    except ParseError as exc:  # the line names the input: the message need not repeat it
        if str(exc).startswith(NOT_HTML):
            return error_record(path, url, "not_html", NOT_HTML)
        return error_record(path, url, "no_text", NO_TEXT)
    except Exception as exc:  # one bad page must not cost the others their line
        return error_record(path, url, "internal_error", repr(exc)[:300])
    return {"path": path, "url": url, **fields(found, page.url, now), "error": None}


async def load(item: str, *, base_url: str, web: Web | None) -> Page:
    """The bytes of one input: fetched when it is a URL, else read from disk."""
    if not is_url(item):
        return Page(read_file(item), base_url)
    if web is None:
        raise InputError("internal_error", "a URL input needs a fetcher")
    return await fetch_page(item, web)


def read_file(path: str) -> bytes:
    """The file's bytes; `InputError` when it cannot be read or is larger than a page may be."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_DOCUMENT + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_DOCUMENT + 1)
    except OSError as exc:
        raise InputError("io_error", f"cannot read {path}: {exc.strerror}") from None
    if len(data) > MAX_DOCUMENT:
        raise InputError("too_large", f"{path} is larger than {MAX_DOCUMENT} bytes")
    return data


async def fetch_page(url: str, web: Web) -> Page:
    """The page at `url` through the safe fetcher, after its robots.txt; FetchError or
    `InputError("not_html")` when it cannot be had or is not a web page."""
    await web.robots.check(url)
    response = await web.fetcher.get(url, accept=PAGE_ACCEPT)
    if response.content_type not in PAGE_TYPES:
        raise InputError("not_html", f"{response.url} is {response.content_type}, not a web page")
    return Page(response.body, response.url)


def fields(found: Extraction, url: str, now: datetime) -> dict[str, Any]:
    """What the page says, its dates reconciled as ingestion does (with no listing's date)."""
    evidence = DateEvidence(
        first_seen=now, page=found.page_dates, page_modified=found.updated, url=url
    )
    date = reconcile(evidence, now=now)
    stated = date.source != "first_seen"  # else the "date" would only be this command's clock
    return {
        "title": found.title,
        "text": found.text,
        "html": found.html,
        "lead": found.lead,
        "author": found.author,
        "published": rfc3339(date.published) if stated else None,
        "updated": rfc3339(date.updated),
        "date_source": date.source if stated else None,
        "language": found.language,
        "image": found.image_url,
        "canonical_url": found.canonical_url,
        "word_count": found.word_count,
    }


def error_record(path: str | None, url: str | None, kind: str, message: str) -> dict[str, Any]:
    return {
        "path": path,
        "url": url,
        **dict.fromkeys(FIELDS),
        "error": {"kind": kind, "message": message},
    }


def summary(record: dict[str, Any]) -> str:
    """One line for a reader: what was found, or why not."""
    name = record["path"] or record["url"]
    error = record["error"]
    if error is not None:
        return f"{name}: error {error['kind']}: {error['message']}"
    date = record["published"] or "no date"
    return (
        f"{name}: {record['title']!r} ({record['language'] or '?'}, "
        f"{record['word_count']} words, {date})"
    )
