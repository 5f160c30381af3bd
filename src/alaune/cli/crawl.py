"""`alaune crawl`: poll every outlet once (`--once`) or in a loop, and say what was stored."""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.progress import Progress

from alaune.cli.context import CliContext, pass_context
from alaune.cli.demo import DEMO_OUTLET_PORT, start_outlets
from alaune.cli.report import print_report
from alaune.config import Settings
from alaune.errors import AlauneError
from alaune.fetch import Fetcher, FetchPolicy
from alaune.ingest.pipeline import Crawler, CrawlReport, ProgressFn
from alaune.model import Outlet
from alaune.store import migrate
from alaune.store.engine import Database
from alaune.workers.embedded import crawl_loop


@click.command()
@click.option("--once", is_flag=True, help="Poll every feed once, then exit.")
@click.option("--demo", "with_demo", is_flag=True, help="Crawl the built-in demo outlets.")
@click.option(
    "--outlet-port",
    type=int,
    default=DEMO_OUTLET_PORT,
    show_default=True,
    help="With --demo: first port of the demo outlets.",
)
@pass_context
def crawl(ctx: CliContext, once: bool, with_demo: bool, outlet_port: int) -> None:
    """Fetch new articles from the outlets' feeds and store them."""
    settings = ctx.settings()
    database = ctx.database(settings)
    try:
        migrate.check_current(database)
        with _outlets(settings, with_demo, outlet_port) as (settings, registry):
            if once:
                report = _crawl_once(settings, database, registry)
                print_report(report)
            else:
                asyncio.run(_loop(settings, database, registry))
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        database.dispose()


@contextmanager
def _outlets(
    settings: Settings, with_demo: bool, outlet_port: int
) -> Iterator[tuple[Settings, list[Outlet]]]:
    if not with_demo:
        yield settings, []
        return
    with start_outlets(outlet_port) as demo:
        allowed = dataclasses.replace(settings, fetch_allow=list(demo.allow))
        yield allowed, demo.registry()


def _crawl_once(settings: Settings, database: Database, registry: list[Outlet]) -> CrawlReport:
    async def run(progress: ProgressFn | None) -> CrawlReport:
        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            crawler = Crawler(database, fetcher, progress=progress)
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
        crawler = Crawler(database, fetcher)
        if registry:
            crawler.register(registry)
        click.echo(f"Crawling every {settings.crawl_interval:.0f} s; Ctrl-C stops.")
        await crawl_loop(
            crawler, interval=settings.crawl_interval, stop=asyncio.Event(), on_report=print_report
        )
