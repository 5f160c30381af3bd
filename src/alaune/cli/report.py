"""The one-paragraph summary a crawl prints, with the next step when there is one."""

from __future__ import annotations

import click

from alaune.ingest.pipeline import CrawlReport


def print_report(report: CrawlReport) -> None:
    click.echo(
        f"Polled {report.feeds} feeds ({report.not_modified} not modified): "
        f"{report.added} new articles, {report.known} already stored, {len(report.errors)} errors."
    )
    for url, kind, message in report.errors[:20]:
        click.echo(f"  {kind}: {url}: {message}", err=True)
    if report.feeds == 0:
        click.echo("No feeds to poll yet. Try `alaune crawl --once --demo` or `make demo`.")
