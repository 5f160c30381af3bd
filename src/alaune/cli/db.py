"""`alaune db`: migrate the database and show its schema revision."""

from __future__ import annotations

import click

from alaune.cli.context import CliContext, pass_context
from alaune.errors import AlauneError
from alaune.store import migrate


@click.group()
def db() -> None:
    """Database schema: upgrade and status."""


@db.command()
@pass_context
def upgrade(ctx: CliContext) -> None:
    """Create or migrate the database to this version's schema."""
    settings = ctx.settings()
    database = ctx.database(settings)
    try:
        before, after = migrate.upgrade(database)
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        database.dispose()
    if before == after:
        click.echo(f"{database.url} is already at revision {after}; nothing to do.")
    else:
        click.echo(f"Migrated {database.url} from {before or 'empty'} to revision {after}.")
        click.echo("Next: `alaune crawl --once` to fetch articles, then `alaune serve`.")


@db.command()
@pass_context
def status(ctx: CliContext) -> None:
    """Show the database's schema revision and whether it is current."""
    settings = ctx.settings()
    database = ctx.database(settings)
    try:
        current, head = migrate.current_revision(database), migrate.head_revision()
    finally:
        database.dispose()
    state = "current" if current == head else "out of date: run `alaune db upgrade`"
    click.echo(f"{database.url}: revision {current or 'none'}, newest {head} ({state})")
