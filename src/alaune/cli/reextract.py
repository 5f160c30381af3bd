"""`alaune reextract`: extract the stored articles again from their raw pages.

Uses each outlet's current site template (apply only) and updates what changed, search entry
included. Thin: the work is in `alaune.ingest.reextract`.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
from rich.progress import Progress

from alaune.cli.context import CliContext, pass_context
from alaune.errors import AlauneError
from alaune.ingest.pipeline import utcnow
from alaune.ingest.reextract import Reextracted, reextract
from alaune.store import migrate


@click.command(name="reextract")
@click.option("--outlet", "outlet_id", metavar="ID", help="Only this outlet's articles.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Only articles first seen on or after this date (UTC).",
)
@pass_context
def reextract_command(ctx: CliContext, outlet_id: str | None, since: datetime | None) -> None:
    """Re-extract stored articles with their outlet's current site template."""
    settings = ctx.settings()
    database = ctx.database(settings)
    start = since.replace(tzinfo=UTC) if since is not None else None
    try:
        migrate.check_current(database)
        if sys.stdout.isatty():
            with Progress(transient=True) as bar:
                task = bar.add_task("Re-extracting", total=None)
                done = reextract(
                    database,
                    now=utcnow(),
                    outlet_id=outlet_id,
                    since=start,
                    progress=lambda n, total: bar.update(task, completed=n, total=total),
                )
        else:
            done = reextract(database, now=utcnow(), outlet_id=outlet_id, since=start)
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        database.dispose()
    _print(done, outlet_id)


def _print(done: Reextracted, outlet_id: str | None) -> None:
    if done.articles == 0:
        where = f" of outlet {outlet_id!r}" if outlet_id else ""
        click.echo(f"No stored article{where} has its page kept: nothing to re-extract.")
        return
    click.echo(
        f"Re-extracted {done.articles} articles of {done.outlets} outlets: {done.changed} changed."
    )
