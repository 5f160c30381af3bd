"""`alaune sources add URL`: find a site's feeds from its homepage and write a registry entry.

Discovery itself (the safe fetcher, at most a dozen requests) is `alaune.ingest.discovery`,
shared with the crawler's discovery jobs. The entry goes to stdout (explanations to stderr, so
`>> file.toml` works) or is appended to `--write FILE`, which is replaced only if it stays valid.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from alaune.cli.context import CliContext, pass_context
from alaune.cli.sources_registry import allowed, append_entries, read_registry
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.discovery import DiscoveryError, Found, build_outlet, discover_site, drop_known
from alaune.sources.entries import outlet_to_toml, suggest_id
from alaune.sources.registry import feed_key, parse_entries
from alaune.sources.urls import UrlRefused, check_url


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
    try:
        found = asyncio.run(_discover(ctx, start, allow))
    except DiscoveryError as exc:
        raise click.ClickException(str(exc)) from None
    drop_known(found, {feed_key(f.url): o.id for o in registry for f in o.feeds})
    _explain(found)
    if not found.feeds:
        raise click.ClickException(
            "no new feed or news sitemap answered on this site. If it has one, write the "
            "entry by hand (docs/sources.md); a page listing articles can be followed with "
            'kind = "section".'
        )
    try:
        outlet = build_outlet(
            found, outlet_id or suggest_id(found.homepage, taken), language, name, country
        )
    except DiscoveryError as exc:
        raise click.ClickException(f"{exc}: pass --language") from None
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


async def _discover(ctx: CliContext, start: str, allow: tuple[str, ...]) -> Found:
    async with Fetcher(FetchPolicy.from_settings(ctx.settings())) as fetcher:
        return await discover_site(fetcher, start, allow)


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
