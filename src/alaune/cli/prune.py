"""`alaune prune`: drop stored pages, articles and poll history past their retention settings.

The crawl loop does the same at most hourly; this command is for `crawl --once` installations
(run it from cron) and for trying a retention setting. Thin: the work is in
`alaune.ingest.retention`.
"""

from __future__ import annotations

import click

from alaune.cli.context import CliContext, pass_context
from alaune.cli.report import print_pruned
from alaune.errors import AlauneError
from alaune.ingest.pipeline import utcnow
from alaune.ingest.retention import RetentionPolicy, prune
from alaune.store import migrate


@click.command(name="prune")
@pass_context
def prune_command(ctx: CliContext) -> None:
    """Prune data older than the retention settings (`retention_*`)."""
    settings = ctx.settings()
    database = ctx.database(settings)
    policy = RetentionPolicy.from_settings(settings)
    try:
        migrate.check_current(database)
        pruned = prune(database, policy, now=utcnow())
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        database.dispose()
    print_pruned(pruned)
    if not (pruned.raw_html or pruned.articles or pruned.polls):
        click.echo("Nothing is older than the retention settings; nothing pruned.")
