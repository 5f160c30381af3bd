"""`alaune crawl`: poll the outlets' feeds once (`--once`) or on their schedule, and report.

`--once` polls every feed of the outlets that are not paused (add `--due` to poll only the feeds
whose next poll time has come); without it, the crawl loop looks for due feeds every
`LOOP_TICK` seconds, each feed's next poll being set by the scheduler from its history, and
prunes old data by the retention settings at most once an hour. `--demo` crawls the built-in
demo outlets, and `--fault OUTLET=SWITCH[:ARG]` (repeatable) makes some of them misbehave.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.progress import Progress

from alaune.cli.context import CliContext, pass_context
from alaune.cli.demo import DEMO_OUTLET_PORT, demo_faults, demo_settings, start_outlets
from alaune.cli.report import loop_reporter, print_report
from alaune.config import Settings
from alaune.errors import AlauneError
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler, CrawlReport, ProgressFn
from alaune.ingest.schedule import Bounds
from alaune.model import Outlet
from alaune.sources import load_registry
from alaune.store import migrate
from alaune.store.engine import Database
from alaune.workers.embedded import crawl_loop

#: Seconds between two looks for due feeds in loop mode (each feed has its own schedule).
LOOP_TICK = 30.0


@click.command()
@click.option("--once", is_flag=True, help="Poll every feed once, then exit.")
@click.option("--due", is_flag=True, help="With --once: poll only the feeds that are due.")
@click.option("--demo", "with_demo", is_flag=True, help="Crawl the built-in demo outlets.")
@click.option(
    "--outlet-port",
    type=int,
    default=DEMO_OUTLET_PORT,
    show_default=True,
    help="With --demo: first port of the demo outlets.",
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="OUTLET=SWITCH[:ARG]",
    help="With --demo: make an outlet misbehave, e.g. amp=status:503 (repeatable; the switches "
    "are listed in alaune.demo.faults).",
)
@pass_context
def crawl(
    ctx: CliContext,
    once: bool,
    due: bool,
    with_demo: bool,
    outlet_port: int,
    faults: tuple[str, ...],
) -> None:
    """Fetch new articles from the outlets' feeds and store them."""
    if faults and not with_demo:
        raise click.UsageError("--fault only applies to the demo outlets: add --demo")
    if due and not once:
        raise click.UsageError("--due goes with --once (the loop always polls due feeds only)")
    settings = ctx.settings()
    database = ctx.database(settings)
    try:
        migrate.check_current(database)
        with _outlets(settings, with_demo, outlet_port, faults) as (settings, registry):
            if once:
                report = _crawl_once(settings, database, registry, due_only=due)
                print_report(report)
            else:
                asyncio.run(_loop(settings, database, registry))
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        database.dispose()


@contextmanager
def _outlets(
    settings: Settings, with_demo: bool, outlet_port: int, faults: tuple[str, ...]
) -> Iterator[tuple[Settings, list[Outlet]]]:
    if not with_demo:
        # The shipped registry (sources/registry/*.toml): synced into the database each run,
        # so an edited entry takes effect at the next crawl.
        yield settings, load_registry()
        return
    with start_outlets(outlet_port, faults=demo_faults(faults)) as demo:
        yield demo_settings(settings, demo), demo.registry()


def _crawler(
    settings: Settings,
    database: Database,
    fetcher: Fetcher,
    *,
    due_only: bool,
    progress: ProgressFn | None = None,
) -> Crawler:
    bounds = Bounds.from_settings(settings)
    return Crawler(
        database,
        fetcher,
        bounds=bounds,
        due_only=due_only,
        progress=progress,
        place_every=settings.placement_interval,
    )


def _crawl_once(
    settings: Settings, database: Database, registry: list[Outlet], *, due_only: bool
) -> CrawlReport:
    async def run(progress: ProgressFn | None) -> CrawlReport:
        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            crawler = _crawler(settings, database, fetcher, progress=progress, due_only=due_only)
            if registry:
                crawler.register(registry)
            return await crawler.crawl_once()

    if not sys.stderr.isatty():
        return asyncio.run(run(None))
    with Progress(transient=True) as bar:
        task = bar.add_task("Polling feeds", total=None)
        return asyncio.run(run(lambda done, total: bar.update(task, completed=done, total=total)))


async def _loop(settings: Settings, database: Database, registry: list[Outlet]) -> None:
    async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
        crawler = _crawler(settings, database, fetcher, due_only=True)
        if registry:
            crawler.register(registry)
        click.echo(f"Polling due feeds (looking every {LOOP_TICK:.0f} s); Ctrl-C stops.")
        await crawl_loop(
            crawler,
            interval=LOOP_TICK,
            stop=asyncio.Event(),
            on_report=loop_reporter(settings, database),
        )
