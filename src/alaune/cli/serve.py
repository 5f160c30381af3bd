"""`alaune serve`: the reader's site, on a database another process fills.

One process by default. `--workers N` runs N web processes on the port, each with its own
SO_REUSEPORT socket so that the kernel spreads connections evenly (cli/web_processes.py, which
restarts one that dies): each builds its own site with `app_from_environment`, from the same
settings, passed down as `ALAUNE_*` variables, and holds its own page cache and its own pool of
`db_pool_size + db_max_overflow` connections (docs/deploy.md has the budget). Their HTTP metrics
are summed through a shared directory (PROMETHEUS_MULTIPROC_DIR, a fresh temporary one unless it
is set), so `/metrics` answers for all of them whichever answers the scrape.

uvicorn's own reading of `X-Forwarded-*` is off: the `trusted_proxies` setting alone decides
whose `X-Forwarded-For` is believed (web/client.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
import uvicorn
from starlette.applications import Starlette

from alaune.cli.context import CliContext, pass_context
from alaune.cli.heap import freeze_startup_heap
from alaune.cli.web_processes import StartupFailed, WebProcesses
from alaune.config import ENV_PREFIX, Settings, load_settings
from alaune.errors import AlauneError
from alaune.logs import configure as configure_logs
from alaune.store.engine import open_configured
from alaune.web.app import create_app
from alaune.web.metrics import allowed_networks

FACTORY = "alaune.cli.serve:app_from_environment"
METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"


@click.command()
@click.option("--host", help="Address to listen on (setting `host`).")
@click.option("--port", type=int, help="Port to listen on (setting `port`).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Web processes sharing the port (about one per core).",
)
@pass_context
def serve(ctx: CliContext, host: str | None, port: int | None, workers: int) -> None:
    """Serve the site over HTTP."""
    settings = ctx.settings(host=host, port=port)
    try:
        allowed_networks(tuple(settings.metrics_allow))
        database = open_configured(settings)
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        app = create_app(settings, database)
    except AlauneError as exc:
        database.dispose()
        raise click.ClickException(str(exc)) from None
    where = f"http://{settings.host}:{settings.port}/"
    processes = f" in {workers} processes" if workers > 1 else ""
    click.echo(f"Serving {database.url} at {where}{processes}; Ctrl-C stops.")
    if workers == 1:
        freeze_startup_heap()
        uvicorn.run(app, **_uvicorn_options(settings))
        database.dispose()
        return
    database.dispose()  # each worker opens its own
    _export(ctx, settings)
    with _shared_metrics():
        try:
            WebProcesses(FACTORY, workers, _uvicorn_options(settings)).run()
        except StartupFailed as exc:
            raise click.ClickException(str(exc)) from None


def app_from_environment() -> Starlette:
    """The site as one worker of `serve --workers` builds it: settings from the environment
    (and `ALAUNE_CONFIG`), logs and database configured by them."""
    settings = load_settings()
    configure_logs(level=settings.log_level, fmt=settings.log_format)
    app = create_app(settings, open_configured(settings))
    freeze_startup_heap()
    return app


def _uvicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "proxy_headers": False,
    }


def _export(ctx: CliContext, settings: Settings) -> None:
    """Hand the command line's settings to the workers, which read only the environment."""
    if ctx.config_file:
        os.environ[ENV_PREFIX + "CONFIG"] = ctx.config_file
    for name in {*ctx.overrides, "host", "port"}:
        value = getattr(settings, name)
        text = ",".join(value) if isinstance(value, list) else str(value)
        os.environ[ENV_PREFIX + name.upper()] = text


@contextmanager
def _shared_metrics() -> Iterator[None]:
    if os.environ.get(METRICS_DIR):
        yield  # the operator's own directory (to be emptied between runs, as Prometheus says)
        return
    with tempfile.TemporaryDirectory(prefix="alaune-metrics-") as path:
        os.environ[METRICS_DIR] = path
        try:
            yield
        finally:
            del os.environ[METRICS_DIR]
