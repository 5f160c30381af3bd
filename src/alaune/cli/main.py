"""`alaune`: the entry point and its command groups."""

from __future__ import annotations

import logging

import click

from alaune import __version__
from alaune.cli.context import CliContext
from alaune.cli.crawl import crawl
from alaune.cli.db import db
from alaune.cli.demo import demo
from alaune.cli.eval import eval_
from alaune.cli.extract import extract_command
from alaune.cli.parse_feed import parse_feed
from alaune.cli.prune import prune_command
from alaune.cli.reextract import reextract_command
from alaune.cli.serve import serve
from alaune.cli.settings import config
from alaune.cli.sources import sources
from alaune.cli.users import users


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alaune")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    envvar="ALAUNE_CONFIG",
    help="TOML file of settings (see docs/config.md).",
)
@click.option("--database", "database_url", help="Database URL (overrides ALAUNE_DATABASE_URL).")
@click.pass_context
def cli(ctx: click.Context, config_file: str | None, database_url: str | None) -> None:
    """alaune: news from French, Arabic and English outlets, folded into stories."""
    overrides = {"database_url": database_url} if database_url else {}
    ctx.obj = CliContext(config_file=config_file, overrides=overrides)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


for command in (
    config,
    db,
    crawl,
    serve,
    demo,
    parse_feed,
    sources,
    prune_command,
    eval_,
    reextract_command,
    users,
    extract_command,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="alaune")
