"""`alaune sources add URL`: find a site's feeds from its homepage and write a registry entry.

The network part runs through `alaune.fetch.Fetcher` (address checks, caps, deadline); what the
responses mean is decided by the pure `alaune.sources.discover`. Requests go one at a time and at
most `MAX_PROBES` candidates are tried, so that adding an outlet costs the site a few requests.
The entry goes to stdout (explanations to stderr, so `>> file.toml` works) or is appended to
`--write FILE`, which is replaced only if it stays valid.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import click

from alaune.cli.context import CliContext, pass_context
from alaune.cli.sources_registry import allowed, append_entries, read_registry
from alaune.errors import FetchError
from alaune.fetch import Fetcher, FetchPolicy, Response
from alaune.model import FeedRef, Outlet
from alaune.sources import discover
from alaune.sources.entries import guess_country, outlet_to_toml, suggest_id
from alaune.sources.registry import feed_key, parse_entries
from alaune.sources.urls import UrlRefused, check_url

MAX_PROBES = 12
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)


@dataclass
class Found:
    """What discovery learned: the site, the feeds that answered as feeds, and what was skipped."""

    homepage: str
    page: discover.Homepage
    feeds: list[tuple[FeedRef, str]] = field(default_factory=list)  # (feed, how it was found)
    skipped: list[str] = field(default_factory=list)


@click.command()
@click.argument("url")
@click.option(
    "--write",
    "write",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the entry to this TOML file.",
)
@click.option("--id", "outlet_id", help="The outlet's id (default: from the host name).")
@click.option("--language", type=click.Choice(["fr", "ar", "en"]), help="Default: the page's lang.")
@click.option("--name", help="The outlet's name (default: from the page).")
@click.option("--country", help="ISO 3166 code such as MA (default: from the domain).")
@pass_context
def add(
    ctx: CliContext,
    url: str,
    write: Path | None,
    outlet_id: str | None,
    language: str | None,
    name: str | None,
    country: str | None,
) -> None:
    """Discover a site's feeds from its homepage and write a registry entry for it."""
    allow = allowed(ctx)
    start = url if "://" in url else f"https://{url}"
    try:
        start = check_url(start, allow=allow)
    except UrlRefused as exc:
        raise click.ClickException(f"{url!r} cannot be added: {exc}") from None
    registry = read_registry(ctx)
    if write is not None and write.exists():
        registry += parse_entries(write.read_text(encoding="utf-8"), label=str(write), allow=allow)[
            0
        ]
    taken = {outlet.id for outlet in registry}
    if outlet_id is not None and outlet_id in taken:
        raise click.ClickException(f"the id {outlet_id!r} is taken: pass another with --id")
    found = asyncio.run(_discover(ctx, start, allow))
    _drop_known(found, {feed_key(f.url): o.id for o in registry for f in o.feeds})
    _explain(found)
    if not found.feeds:
        raise click.ClickException(
            "no new feed or news sitemap answered on this site. If it has one, write the "
            "entry by hand (docs/sources.md); a page listing articles can be followed with "
            'kind = "section".'
        )
    outlet = _outlet(found, outlet_id or suggest_id(found.homepage, taken), language, name, country)
    text = outlet_to_toml(outlet)
    _, problems = parse_entries(text, label="the new entry", allow=allow)
    if problems:
        raise click.ClickException("\n".join(str(p) for p in problems))
    if write is None:
        click.echo(text, nl=False)
        click.echo(
            "Next: add this entry to a registry file, then `alaune sources validate`.", err=True
        )
    else:
        append_entries(write, text, allow=allow)
        click.echo(
            f"Added {outlet.id!r} to {write}. Next: review it (name, sections), then "
            f"`alaune sources validate {write}`.",
            err=True,
        )


def _outlet(
    found: Found, outlet_id: str, language: str | None, name: str | None, country: str | None
) -> Outlet:
    lang = language or found.page.language
    if lang not in ("fr", "ar", "en"):
        shown = f"it says {lang!r}" if lang else "it does not say"
        raise click.ClickException(f"cannot tell the site's language ({shown}): pass --language")
    host = urlsplit(found.homepage).hostname or ""
    return Outlet(
        id=outlet_id,
        name=(name or found.page.name or host)[:200],
        homepage=found.homepage,
        languages=(lang,),
        country=(country or guess_country(host)).upper(),
        feeds=tuple(feed for feed, _ in found.feeds),
        # Every feed written here answered as a feed just now, from this machine.
        verified=True,
    )


def _drop_known(found: Found, known: dict[str, str]) -> None:
    for feed, source in list(found.feeds):
        if feed_key(feed.url) in known:
            found.feeds.remove((feed, source))
            found.skipped.append(f"{feed.url}: already followed by {known[feed_key(feed.url)]!r}")


async def _discover(ctx: CliContext, start: str, allow: tuple[str, ...]) -> Found:
    async with Fetcher(FetchPolicy.from_settings(ctx.settings())) as fetcher:
        try:
            home = await fetcher.get(start, accept=PAGE_ACCEPT)
        except FetchError as exc:
            raise click.ClickException(f"cannot fetch {start}: {exc.kind}: {exc}") from None
        found = Found(
            home.url,
            discover.read_homepage(home.body, base_url=home.url, charset=home.charset, allow=allow),
        )
        candidates = list(found.page.candidates)
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(home.url))
        robots = await _get(fetcher, origin + "/robots.txt", "text/plain", None)
        if robots is not None:
            text = robots.body.decode("utf-8", "replace")
            candidates += discover.robots_sitemaps(text, allow=allow)
        if not found.page.candidates:
            candidates += discover.guesses(home.url, allow=allow)
        seen: set[str] = set()
        for candidate in candidates[:MAX_PROBES]:
            await _probe(fetcher, candidate, found, seen)
        return found


async def _probe(
    fetcher: Fetcher, candidate: discover.Candidate, found: Found, seen: set[str]
) -> None:
    response = await _get(fetcher, candidate.url, FEED_ACCEPT, found)
    if response is None:
        return
    kind = discover.sniff(response.body)
    if kind is None:
        found.skipped.append(f"{candidate.url}: not a feed ({response.content_type or 'no type'})")
    elif kind == "sitemap" and not discover.is_news_sitemap(response.url, response.body):
        found.skipped.append(f"{candidate.url}: a map of the whole site, not a news sitemap")
    elif discover.is_comments_feed(response.url, candidate.title):
        found.skipped.append(f"{candidate.url}: a comments feed")
    elif feed_key(response.url) not in seen:
        seen.add(feed_key(response.url))
        found.feeds.append((FeedRef(response.url, kind), candidate.source))


async def _get(fetcher: Fetcher, url: str, accept: str, found: Found | None) -> Response | None:
    try:
        return await fetcher.get(url, accept=accept)
    except FetchError as exc:
        # A guessed path that 404s, or a site without robots.txt, is the normal case: noted only.
        if found is not None:
            found.skipped.append(f"{url}: {exc.kind} ({exc})")
        return None


def _explain(found: Found) -> None:
    how = {
        "link": "advertised in the page",
        "robots": "listed in robots.txt",
        "guess": "common path",
    }
    click.echo(
        f"Homepage {found.homepage}: {found.page.name or 'no name'!s}, "
        f"language {found.page.language or 'not declared'}.",
        err=True,
    )
    for feed, source in found.feeds:
        click.echo(f"  found {feed.kind}: {feed.url} ({how.get(source, source)})", err=True)
    for note in found.skipped:
        click.echo(f"  skipped {note}", err=True)
