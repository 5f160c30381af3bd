"""`alaune dev`: tools for developers and benchmarks, never needed to run a site.

`alaune dev generate --articles N [--outlets M]` adds N generated fr/ar/en articles, in stories
of 1–8, from M outlets (default: the 9 demo outlets; more are numbered copies) to the configured
database, SQLite or PostgreSQL, migrating it first (alaune.devtools.generate). A progress bar
shows on a terminal; a summary line is printed in any case.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.progress import Progress, TaskID

from alaune.cli.context import CliContext, pass_context
from alaune.devtools.generate import Generated, ProgressFn, fill
from alaune.errors import AlauneError
from alaune.store import migrate

PHASES = {"plan": "Planning", "articles": "Writing articles", "analyze": "Analyzing"}


@click.group()
def dev() -> None:
    """Developer tools: generated data for benchmarks."""


@dev.command()
@click.option(
    "--articles", "count", type=click.IntRange(min=1), required=True, help="Articles to add."
)
@click.option(
    "--outlets",
    type=click.IntRange(min=1),
    help="Outlets writing them (default 9, the demo outlets; more are numbered copies).",
)
@click.option("--seed", type=int, default=6, show_default=True, help="Seed of the generator.")
@pass_context
def generate(ctx: CliContext, count: int, outlets: int | None, seed: int) -> None:
    """Add generated fr/ar/en articles, outlets and stories to the database."""
    settings = ctx.settings()
    database = ctx.database(settings)
    try:
        migrate.upgrade(database)
        with _progress() as progress:
            made = fill(database, count, outlets=outlets, seed=seed, progress=progress)
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        database.dispose()
    click.echo(_summary(made, database.url))


@contextmanager
def _progress() -> Iterator[ProgressFn | None]:
    if not sys.stdout.isatty():
        yield None
        return
    with Progress(transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(PHASES.get(phase, phase), total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield advance


def _summary(made: Generated, url: str) -> str:
    timings = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in made.seconds.items())
    return (
        f"Added {made.articles:,} articles in {made.stories:,} stories from {made.outlets} "
        f"outlets to {url} ({timings})."
    )
