"""`alaune sources validate` and `alaune sources list`, and what the other sources commands share.

The shared part: reading the registry with the `fetch_allow` setting (so that the demo's and the
tests' loopback entries pass), and adding entries to a TOML file all at once or not at all.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from alaune.cli.context import CliContext, pass_context
from alaune.model import Outlet
from alaune.sources import RegistryCheck, RegistryError, check_registry
from alaune.sources.registry import parse_entries

PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
NO_DEFAULTS = click.option(
    "--no-defaults", is_flag=True, help="Leave out the registry shipped with alaune."
)


def allowed(ctx: CliContext) -> tuple[str, ...]:
    """The `address:port` pairs entries may name although not public (setting `fetch_allow`)."""
    return tuple(ctx.settings().fetch_allow)


def read_registry(
    ctx: CliContext, paths: Sequence[Path] = (), *, defaults: bool = True
) -> list[Outlet]:
    """The registry, or a ClickException listing every problem."""
    checked = check_registry(paths, defaults=defaults, allow=allowed(ctx))
    if checked.problems:
        raise click.ClickException(str(RegistryError(checked.problems)))
    return list(checked.outlets)


def append_entries(path: Path, text: str, *, allow: Sequence[str]) -> None:
    """Add TOML entries to `path` in one step: the file is replaced only if the result is valid.

    Written to a temporary file beside it and renamed, so that an interrupted run leaves the old
    file or the new one, never half of one (SECURITY G4: nothing half-applied).
    """
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    after = before + ("\n" if before and not before.endswith("\n\n") else "") + text
    _, problems = parse_entries(after, label=str(path), allow=allow)
    if problems:
        raise click.ClickException(str(RegistryError(problems)) + f"\n{path} was left unchanged.")
    handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(after)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command()
@PATHS
@NO_DEFAULTS
@pass_context
def validate(ctx: CliContext, paths: tuple[Path, ...], no_defaults: bool) -> None:
    """Check the outlet registry (and the given TOML files or folders); list every problem."""
    checked = check_registry(paths, defaults=not no_defaults, allow=allowed(ctx))
    click.echo(f"Checked {len(checked.files)} file(s): {', '.join(checked.files) or 'none'}")
    click.echo(_summary(checked))
    if checked.problems:
        for problem in checked.problems:
            click.echo(f"  {problem}", err=True)
        click.echo(f"{len(checked.problems)} problem(s): the registry is not valid.", err=True)
        raise SystemExit(1)
    click.echo("The registry is valid.")


def _summary(checked: RegistryCheck) -> str:
    languages = Counter(language for outlet in checked.outlets for language in outlet.languages)
    shown = ", ".join(f"{lang} {n}" for lang, n in sorted(languages.items()))
    feeds = sum(len(outlet.feeds) for outlet in checked.outlets)
    unverified = sum(not outlet.verified for outlet in checked.outlets)
    return (
        f"{len(checked.outlets)} valid outlet(s) ({shown or 'none'}), {feeds} feed(s), "
        f"{unverified} not yet verified."
    )


@click.command(name="list")
@PATHS
@NO_DEFAULTS
@click.option("--language", type=click.Choice(["fr", "ar", "en"]), help="Only this language.")
@pass_context
def list_outlets(
    ctx: CliContext, paths: tuple[Path, ...], no_defaults: bool, language: str | None
) -> None:
    """List the registry's outlets as a table."""
    outlets = [
        outlet
        for outlet in read_registry(ctx, paths, defaults=not no_defaults)
        if language is None or language in outlet.languages
    ]
    table = Table(box=None)
    table.add_column("id", no_wrap=True)
    for column in ("name", "lang", "country", "feeds", "policy", "verified"):
        table.add_column(column)
    for outlet in outlets:
        table.add_row(
            outlet.id,
            outlet.name,
            ",".join(outlet.languages),
            outlet.country,
            ", ".join(sorted({feed.kind for feed in outlet.feeds})) + f" ×{len(outlet.feeds)}",
            outlet.policy + (" (agency)" if outlet.agency else ""),
            "yes" if outlet.verified else "no",
        )
    Console(soft_wrap=True).print(table)
    click.echo(f"{len(outlets)} outlet(s).")
