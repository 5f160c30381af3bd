"""`alaune config`: the effective settings, secrets masked; `--doc` prints docs/config.md."""

from __future__ import annotations

import click

from alaune.cli.context import CliContext, pass_context
from alaune.config import describe, reference_markdown


@click.command()
@click.option("--doc", is_flag=True, help="Print the settings reference (docs/config.md).")
@pass_context
def config(ctx: CliContext, doc: bool) -> None:
    """Show the effective settings (defaults, file, ALAUNE_* variables)."""
    if doc:
        click.echo(reference_markdown(), nl=False)
        return
    rows = describe(ctx.settings())
    width = max(len(name) for name, _, _ in rows)
    for name, kind, shown in rows:
        click.echo(f"{name:<{width}}  {shown}  ({kind})")
