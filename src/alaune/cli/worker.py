"""`alaune worker`: a Celery worker on alaune's queues (the scale-out mode).

It consumes `poll`, `pages` and `images` by default, with one process per core; the `cluster`
queue is placed in stories by one process only (`--queues cluster`, concurrency 1: see
docs/scale.md). SIGTERM or Ctrl-C stops it gracefully: tasks in progress finish first.
"""

from __future__ import annotations

import os
import socket

import click

from alaune.cli.context import CliContext, pass_context
from alaune.cli.scale import broker_app, check_database
from alaune.workers.app import run_worker
from alaune.workers.queues import CLUSTER, DEFAULT, Names, parse_queues


@click.command()
@click.option(
    "--queues",
    "-Q",
    default=",".join(DEFAULT),
    show_default=True,
    help="Queues to consume, comma-separated, among poll, pages, images and cluster. Run "
    "`cluster` in one worker only: it runs with concurrency 1.",
)
@click.option(
    "--concurrency",
    "-c",
    type=click.IntRange(min=1),
    help="Tasks run at once, one process each (default: the number of cores; 1 for cluster).",
)
@pass_context
def worker(ctx: CliContext, queues: str, concurrency: int | None) -> None:
    """Run a worker of the scale-out mode (Celery) on alaune's queues."""
    try:
        shorts = parse_queues(queues)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--queues") from None
    concurrency = _concurrency(shorts, concurrency)
    settings = ctx.settings()
    database = ctx.database(settings)
    try:
        check_database(database)
    finally:
        database.dispose()  # each worker process opens its own after the fork
    app, broker = broker_app(settings)
    hostname = f"alaune-{os.getpid()}@{socket.gethostname()}"
    names = ", ".join(Names.from_settings(settings).queues(shorts))
    click.echo(
        f"Worker {hostname}: {concurrency} process(es) on {names}, broker {broker}, "
        f"database {database.url}. SIGTERM or Ctrl-C stops it after the tasks in progress."
    )
    if CLUSTER not in shorts:
        click.echo("Stories are placed by one `alaune worker --queues cluster`; run it once.")
    click.echo("Feeds are handed out by `alaune scheduler`: run one (or more, one is active).")
    code = run_worker(app, settings, shorts, concurrency=concurrency, hostname=hostname)
    click.echo(f"Worker {hostname} stopped; unfinished tasks are back with the broker.")
    raise SystemExit(code)


def _concurrency(shorts: tuple[str, ...], asked: int | None) -> int:
    if CLUSTER in shorts:
        if asked not in (None, 1):
            raise click.BadParameter(
                "the cluster queue places stories one article at a time, so that two reports "
                "of one event never start two stories: use --concurrency 1, or run cluster in "
                "a worker of its own",
                param_hint="--concurrency",
            )
        return 1
    return asked or os.cpu_count() or 1
