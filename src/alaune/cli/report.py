"""What a crawl prints: the one-paragraph summary, with the next step when there is one.

`print_report` summarises one crawl; `loop_reporter` is the crawl loop's `on_report`: it prints
only the rounds that polled something, and prunes old data by the retention settings (at most
hourly). Printing only: the numbers come from `CrawlReport` and `alaune.ingest.retention`.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from alaune.config import Settings
from alaune.ingest.pipeline import CrawlReport, utcnow
from alaune.ingest.retention import Pruned, Pruner, RetentionPolicy
from alaune.store.engine import Database


def print_report(report: CrawlReport) -> None:
    click.echo(
        f"Polled {report.feeds} feeds ({report.not_modified} not modified, {report.deferred} "
        f"asked us to wait): {report.added} new articles, {report.known} already stored, "
        f"{report.moved} moved, {len(report.errors)} errors."
    )
    for url, kind, message in report.errors[:20]:
        click.echo(f"  {kind}: {url}: {message}", err=True)
    if report.feeds == 0:
        click.echo("No feeds to poll yet. Try `alaune crawl --once --demo` or `make demo`.")


def print_pruned(pruned: Pruned) -> None:
    if pruned.raw_html or pruned.articles or pruned.polls:
        click.echo(
            f"Pruned {pruned.raw_html} stored pages, {pruned.articles} articles and "
            f"{pruned.polls} poll records past their retention."
        )


def loop_reporter(settings: Settings, database: Database) -> Callable[[CrawlReport], None]:
    """The crawl loop's report: rounds that polled something, then retention when it is due."""
    pruner = Pruner(database, RetentionPolicy.from_settings(settings))

    def report(round_: CrawlReport) -> None:
        if round_.feeds:
            print_report(round_)
        pruned = pruner.maybe_run(utcnow())
        if pruned is not None:
            print_pruned(pruned)

    return report
