"""`alaune sources import-opml FILE` and `alaune sources export-opml [FILE]`: registry ⇄ OPML.

Import is all or nothing (SECURITY G4): every outline is checked first, and when one is rejected
nothing is written unless `--skip-rejected` says to write the others; either way the entries are
written in one step. Feeds the registry already follows are skipped and counted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from alaune.cli.context import CliContext, pass_context
from alaune.cli.sources_registry import NO_DEFAULTS, allowed, append_entries, read_registry
from alaune.sources.entries import registry_to_toml
from alaune.sources.opml import MAX_BYTES, OpmlError, read_opml, write_opml
from alaune.sources.registry import parse_entries

MAX_SHOWN = 50


@click.command(name="import-opml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--write",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the entries to this TOML file.",
)
@click.option("--language", type=click.Choice(["fr", "ar", "en"]), help="For outlines naming none.")
@click.option(
    "--skip-rejected", is_flag=True, help="Write the valid outlines even if some are rejected."
)
@pass_context
def import_opml(
    ctx: CliContext, file: Path, write: Path | None, language: str | None, skip_rejected: bool
) -> None:
    """Turn an OPML file's feeds into registry entries (all of them, or none)."""
    allow = allowed(ctx)
    registry = read_registry(ctx)
    if write is not None and write.exists():
        existing, _ = parse_entries(
            write.read_text(encoding="utf-8"), label=str(write), allow=allow
        )
        registry += existing
    with file.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)  # never more than the cap in memory
    try:
        result = read_opml(
            data,
            language=language or "",
            known_ids={outlet.id for outlet in registry},
            known_feeds=[feed.url for outlet in registry for feed in outlet.feeds],
            allow=allow,
        )
    except OpmlError as exc:
        raise click.ClickException(f"{file}: {exc}. Nothing was imported.") from None
    feeds = sum(len(outlet.feeds) for outlet in result.outlets)
    click.echo(
        f"{file}: {len(result.outlets)} new outlet(s) with {feeds} feed(s), "
        f"{len(result.known)} feed(s) already in the registry, {len(result.rejected)} rejected.",
        err=True,
    )
    for rejected in result.rejected[:MAX_SHOWN]:
        click.echo(f"  rejected {rejected}", err=True)
    if len(result.rejected) > MAX_SHOWN:
        click.echo(f"  … and {len(result.rejected) - MAX_SHOWN} more", err=True)
    if result.rejected and not skip_rejected:
        click.echo(
            "Nothing was imported. Fix the outlines above or pass --skip-rejected.", err=True
        )
        raise SystemExit(1)
    if not result.outlets:
        click.echo("Nothing new to import.", err=True)
        return
    text = registry_to_toml(result.outlets, header=f"Imported from {file.name} (unverified).")
    if write is None:
        click.echo(text, nl=False)
    else:
        append_entries(write, text, allow=allow)
        click.echo(f"Wrote {len(result.outlets)} entries to {write}.", err=True)
    click.echo("Next: review names and languages, then `alaune sources validate`.", err=True)


@click.command(name="export-opml")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--path",
    "paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Also export this TOML file or folder (repeatable).",
)
@NO_DEFAULTS
@pass_context
def export_opml(
    ctx: CliContext, file: Path | None, paths: tuple[Path, ...], no_defaults: bool
) -> None:
    """Write the registry's feeds as OPML 2.0, to FILE or stdout."""
    outlets = read_registry(ctx, paths, defaults=not no_defaults)
    data = write_opml(outlets, now=datetime.now(UTC))
    if file is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    file.write_bytes(data)
    click.echo(
        f"Wrote {sum(len(o.feeds) for o in outlets)} feeds of {len(outlets)} outlets to {file}."
    )
