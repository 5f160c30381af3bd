"""`alaune demo`: the demo outlets, a crawl loop and the site, in one process.

It uses its own database file (default `alaune-demo.db`), created and migrated on start, so it
never touches a real installation's data, and an admin account `admin` whose new password is
printed at every start. The crawl loop polls the feeds that are due, as `alaune crawl` does;
`--fault OUTLET=SWITCH[:ARG]` makes demo outlets misbehave. Ctrl-C or SIGTERM stops the site,
the crawl loop and the demo outlets, in that order.
"""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import click
import uvicorn

from alaune.auth import passwords
from alaune.cli.context import CliContext, pass_context
from alaune.cli.heap import freeze_startup_heap
from alaune.cli.report import loop_reporter
from alaune.config import Settings
from alaune.demo.faults import Faults, merge_faults
from alaune.demo.server import DemoOutlets
from alaune.errors import AlauneError
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler
from alaune.ingest.schedule import Bounds
from alaune.store import admins, migrate
from alaune.store.engine import Database
from alaune.web.app import create_app
from alaune.workers.embedded import crawl_loop

DEMO_DATABASE = "sqlite:///alaune-demo.db"
DEMO_ADMIN = "admin"
# Fixed ports keep the demo outlets' URLs, hence their articles' identities, stable across runs.
DEMO_OUTLET_PORT = 8101


def demo_faults(specs: Sequence[str]) -> dict[str, dict[str, object]]:
    """`--fault OUTLET=SWITCH[:ARG]` options as the demo's faults, or a usage error."""
    try:
        return merge_faults(specs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--fault") from None


def demo_settings(settings: Settings, outlets: DemoOutlets) -> Settings:
    """The settings with the demo outlets' own addresses allowed (and so, by `origin_gap_local`,
    polled without the politeness gap meant for other people's servers)."""
    return dataclasses.replace(settings, fetch_allow=[*settings.fetch_allow, *outlets.allow])


@contextmanager
def start_outlets(base_port: int, *, faults: Faults | None = None) -> Iterator[DemoOutlets]:
    """The demo outlets on base_port, base_port + 1, …, or a message saying why they can't start."""
    try:
        outlets = DemoOutlets(base_port=base_port, faults=faults)
    except ValueError as exc:  # an unknown outlet or switch
        raise click.BadParameter(str(exc), param_hint="--fault") from None
    try:
        outlets.start()
    except OSError as exc:
        raise click.ClickException(
            f"cannot start the demo outlets on ports {base_port}+ ({exc.strerror}): is another "
            "alaune demo running? Stop it, or pass --outlet-port with free ports."
        ) from None
    try:
        yield outlets
    finally:
        outlets.stop()


@click.command()
@click.option("--host", help="Address of the site (setting `host`).")
@click.option("--port", type=int, help="Port of the site (setting `port`, default 8000).")
@click.option(
    "--interval",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds between two looks for due feeds (each feed has its own schedule).",
)
@click.option(
    "--outlet-port",
    type=int,
    default=DEMO_OUTLET_PORT,
    show_default=True,
    help="First port of the demo outlets (one port each).",
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="OUTLET=SWITCH[:ARG]",
    help="Make a demo outlet misbehave, e.g. amp=status:503 (repeatable).",
)
@pass_context
def demo(
    ctx: CliContext,
    host: str | None,
    port: int | None,
    interval: float,
    outlet_port: int,
    faults: tuple[str, ...],
) -> None:
    """Run alaune on its built-in demo outlets and serve the site."""
    ctx.overrides.setdefault("database_url", DEMO_DATABASE)
    settings = ctx.settings(host=host, port=port)
    database = ctx.database(settings)
    try:
        before, after = migrate.upgrade(database)
        if before != after:
            click.echo(f"Created {database.url} (schema revision {after}).")
        password = demo_admin(database)
        click.echo(
            f"Admin area: http://{settings.host}:{settings.port}/admin/login "
            f"(name {DEMO_ADMIN!r}, password {password!r}; a new one at every start)."
        )
        with start_outlets(outlet_port, faults=demo_faults(faults)) as outlets:
            click.echo(f"Started {len(outlets.outlets)} demo outlets on 127.0.0.1.")
            settings = demo_settings(settings, outlets)
            _run_until_stopped(settings, database, outlets, interval)
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        database.dispose()
    click.echo("Stopped.")


def demo_admin(database: Database) -> str:
    """Make (or reset) the demo's admin account; returns its new random password."""
    password = secrets.token_urlsafe(12)
    hashed = passwords.hash_password(password)
    now = datetime.now(UTC)
    with database.write() as conn:
        if not admins.set_password(conn, DEMO_ADMIN, hashed):
            admins.create_user(conn, DEMO_ADMIN, hashed, now=now)
    return password


def _run_until_stopped(
    settings: Settings, database: Database, outlets: DemoOutlets, interval: float
) -> None:
    """Run until Ctrl-C or SIGTERM, then let every `finally` run (uvicorn re-raises the signal)."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Our own handler for both signals: asyncio.run then leaves SIGINT alone (its handler would
    # cancel the server's lifespan task mid-shutdown), and uvicorn, which restores the previous
    # handler and re-raises the signal once it has stopped, ends up here.
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        asyncio.run(_run(settings, database, outlets, interval))
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


async def _run(
    settings: Settings, database: Database, outlets: DemoOutlets, interval: float
) -> None:
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, database),
            host=settings.host,
            port=settings.port,
            log_level="warning",
        )
    )
    stop = asyncio.Event()
    async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
        bounds = Bounds.from_settings(settings)
        crawler = Crawler(
            database,
            fetcher,
            bounds=bounds,
            due_only=True,
            place_every=settings.placement_interval,
        )
        crawler.register(outlets.registry())
        report = loop_reporter(settings, database)
        crawling = asyncio.create_task(
            crawl_loop(crawler, interval=interval, stop=stop, on_report=report)
        )
        click.echo(f"alaune demo: open http://{settings.host}:{settings.port}/ (Ctrl-C stops)")
        freeze_startup_heap()  # the site's requests then never wait on a pass over startup's
        try:
            await server.serve()
        finally:
            stop.set()
            await crawling
