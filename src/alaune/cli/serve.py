"""`alaune serve`: the reader's site, on a database another process fills."""

from __future__ import annotations

import click
import uvicorn

from alaune.cli.context import CliContext, pass_context
from alaune.errors import AlauneError
from alaune.web.app import create_app


@click.command()
@click.option("--host", help="Address to listen on (setting `host`).")
@click.option("--port", type=int, help="Port to listen on (setting `port`).")
@pass_context
def serve(ctx: CliContext, host: str | None, port: int | None) -> None:
    """Serve the site over HTTP."""
    settings = ctx.settings(host=host, port=port)
    database = ctx.database(settings)
    try:
        app = create_app(settings, database)
    except AlauneError as exc:
        database.dispose()
        raise click.ClickException(str(exc)) from None
    click.echo(f"Serving {database.url} at http://{settings.host}:{settings.port}/ ; Ctrl-C stops.")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    database.dispose()
