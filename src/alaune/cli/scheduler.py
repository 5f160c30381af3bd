"""`alaune scheduler`: hand the due feeds to the workers (the scale-out mode).

It syncs the outlet registry into the database (or, with `--demo`, starts the demo outlets and
syncs those), then steps `workers.scheduler.Scheduler` every `scheduler_tick` seconds until
SIGTERM or Ctrl-C. Several may run: one holds the lease and acts, the others wait to take over.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from alaune.cli.context import CliContext, pass_context
from alaune.cli.demo import DEMO_OUTLET_PORT, demo_settings, start_outlets
from alaune.cli.scale import broker_app, check_database
from alaune.config import Settings
from alaune.errors import AlauneError
from alaune.ingest.pipeline import utcnow
from alaune.model import Outlet
from alaune.sources import load_registry
from alaune.store import outlets as outlet_store
from alaune.store.engine import Database
from alaune.workers.app import Dispatch
from alaune.workers.runtime import process_name
from alaune.workers.scheduler import Scheduler, Tick, Timing


@click.command()
@click.option("--demo", "with_demo", is_flag=True, help="Start the demo outlets and schedule them.")
@click.option(
    "--outlet-port",
    type=int,
    default=DEMO_OUTLET_PORT,
    show_default=True,
    help="With --demo: first port of the demo outlets.",
)
@click.option(
    "--registry/--no-registry",
    default=True,
    show_default=True,
    help="Sync the outlet registry shipped with alaune into the database first, as `alaune "
    "crawl` does; --no-registry schedules the outlets already in the database.",
)
@pass_context
def scheduler(ctx: CliContext, with_demo: bool, outlet_port: int, registry: bool) -> None:
    """Hand due feeds to the workers (scale-out mode); one scheduler is active at a time."""
    settings = ctx.settings()
    try:
        timing = Timing.from_settings(settings)
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None
    database = ctx.database(settings)
    try:
        check_database(database)
        app, broker = broker_app(settings)
        with _outlets(settings, with_demo, outlet_port, registry) as outlets:
            _sync(database, outlets)
            name = process_name()
            click.echo(f"Scheduler {name}: broker {broker}, database {database.url}.")
            found = Scheduler(database, Dispatch(app), name, timing)
            _run_until_stopped(found, _printer(found, timing))
    finally:
        database.dispose()
    click.echo("Scheduler stopped; its lease is released, so another scheduler takes over.")


@contextmanager
def _outlets(
    settings: Settings, with_demo: bool, outlet_port: int, registry: bool
) -> Iterator[list[Outlet]]:
    if not with_demo:
        yield load_registry() if registry else []
        return
    with start_outlets(outlet_port) as demo:
        allow = ",".join(demo_settings(settings, demo).fetch_allow)
        click.echo(
            f"Started {len(demo.outlets)} demo outlets. Start the workers with "
            f"ALAUNE_FETCH_ALLOW={allow} so that they may fetch them."
        )
        yield demo.registry()


def _sync(database: Database, outlets: list[Outlet]) -> None:
    if not outlets:
        return
    with database.write() as conn:
        added = outlet_store.sync_outlets(conn, outlets, now=utcnow())
    click.echo(f"Synced {len(outlets)} outlets into the database ({added} new).")


def _printer(found: Scheduler, timing: Timing) -> Callable[[Tick], None]:
    """What a step did, in a sentence, only when something happened."""
    waiting = False

    def show(tick: Tick) -> None:
        nonlocal waiting
        if not found.holding and not waiting and not tick.lost:
            click.echo(
                f"Waiting: scheduler {tick.holder} holds the lease; this one takes over if it "
                "stops."
            )
        waiting = not found.holding
        if tick.took:
            click.echo(
                f"Took the scheduler lease: handing due feeds to the workers every "
                f"{timing.tick:g} s. Ctrl-C or SIGTERM stops it."
            )
        if tick.lost:
            click.echo("Lost the scheduler lease to another scheduler; waiting to take over.")
        if tick.polls:
            click.echo(f"Handed {tick.polls} feeds to the workers.")
        if tick.placements:
            click.echo("Round done: asked for stories to be placed and images fetched.")

    return show


def _run_until_stopped(found: Scheduler, on_tick: Callable[[Tick], None]) -> None:
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda signum, frame: stop.set())
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        found.run(stop, on_tick)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
