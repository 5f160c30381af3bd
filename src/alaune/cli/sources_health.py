"""`health`: per outlet, whether polling works: last attempt, success and new article, the error
and how many polls in a row failed, errors by kind, items per day, status and next poll; its
article pages: how many were fetched out of all tried, and the failed ones by kind (under the
table); and its images (lead and inline): how many were stored out of all named, and the
rejected ones by kind.

A standalone click command, meant to be mounted as `alaune sources health`. Reading and
printing only: the rows come from `alaune.store.health`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import click

from alaune.cli.context import CliContext, pass_context
from alaune.errors import AlauneError
from alaune.ingest.pipeline import utcnow
from alaune.store import migrate
from alaune.store.health import OutletHealth, outlet_health

COLUMNS = (
    "outlet", "status", "last attempt", "last success", "last new", "error", "items/day",
    "pages", "images",
)  # fmt: skip


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per outlet.")
@click.option(
    "--days", type=click.IntRange(1, 365), default=7, show_default=True, help="Window for rates."
)
@pass_context
def health(ctx: CliContext, as_json: bool, days: int) -> None:
    """Show each outlet's polling health."""
    settings = ctx.settings()
    database = ctx.database(settings)
    now = utcnow()
    try:
        migrate.check_current(database)
        with database.read() as conn:
            rows = outlet_health(conn, now=now, window=timedelta(days=days))
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        database.dispose()
    if as_json:
        for row in rows:
            click.echo(json.dumps(_json(row), ensure_ascii=False))
        return
    if not rows:
        click.echo("No outlets yet. Try `alaune crawl --once --demo`.")
        return
    table = [COLUMNS, *(_cells(row, now) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    for line in table:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    _by_kind("Pages failed", {row.outlet_id: row.pages.failed for row in rows})
    _by_kind("Images rejected", {row.outlet_id: row.images.rejected for row in rows})
    for row in rows:
        if row.error:
            click.echo(f"{row.outlet_id}: {row.error_kind}: {row.error}", err=True)


def _by_kind(title: str, counts: dict[str, dict[str, int]]) -> None:
    """Counts by kind per outlet (pages failed, images rejected) under the table."""
    listed = {outlet: kinds for outlet, kinds in counts.items() if kinds}
    if listed:
        click.echo(f"\n{title}:")
    for outlet, kinds in listed.items():
        click.echo(f"  {outlet}: " + ", ".join(f"{kind} ×{n}" for kind, n in kinds.items()))


def _cells(row: OutletHealth, now: datetime) -> tuple[str, ...]:
    error = "-"
    if row.error_kind:
        error = f"{row.error_kind} ×{row.failures}" if row.failures else row.error_kind
    return (
        row.outlet_id,
        row.status,
        _ago(row.last_attempt, now),
        _ago(row.last_success, now),
        _ago(row.last_new, now),
        error,
        f"{row.items_per_day:g}",
        f"{row.pages.fetched}/{row.pages.tried}" if row.pages.tried else "-",
        f"{row.images.stored}/{row.images.total}" if row.images.total else "-",
    )


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return "just now"


def _json(row: OutletHealth) -> dict[str, object]:
    def iso(moment: datetime | None) -> str | None:
        return None if moment is None else moment.isoformat()

    return {
        "outlet": row.outlet_id,
        "name": row.name,
        "status": row.status,
        "feeds": row.feeds,
        "last_attempt": iso(row.last_attempt),
        "last_success": iso(row.last_success),
        "last_new": iso(row.last_new),
        "error_kind": row.error_kind,
        "error": row.error,
        "failures": row.failures,
        "errors": row.errors,
        "pages": {
            "tried": row.pages.tried,
            "fetched": row.pages.fetched,
            "stored": row.pages.stored,
            "failed": row.pages.failed,
        },
        "images": {
            "stored": row.images.stored,
            "pending": row.images.pending,
            "rejected": row.images.rejected,
        },
        "items_per_day": row.items_per_day,
        "next_poll": iso(row.next_poll),
    }
