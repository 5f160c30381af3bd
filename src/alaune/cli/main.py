"""`alaune`: the entry point and its command groups."""

from __future__ import annotations

import click

from alaune import __version__
from alaune.cli.context import CliContext
from alaune.cli.crawl import crawl
from alaune.cli.db import db
from alaune.cli.demo import demo
from alaune.cli.dev import dev
from alaune.cli.eval import eval_
from alaune.cli.extract import extract_command
from alaune.cli.parse_feed import parse_feed
from alaune.cli.prune import prune_command
from alaune.cli.reextract import reextract_command
from alaune.cli.scheduler import scheduler
from alaune.cli.serve import serve
from alaune.cli.settings import config
from alaune.cli.sources import sources
from alaune.cli.users import users
from alaune.cli.worker import worker
from alaune.config import load_settings
from alaune.errors import AlauneError, ConfigError
from alaune.logs import configure as configure_logs


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
    _configure_logging(ctx.obj)


def _configure_logging(obj: CliContext) -> None:
    """Logs as the settings `log_level` and `log_format` say; a configuration that does not
    load leaves the defaults, and the command itself reports the problem."""
    try:
        settings = load_settings(config_file=obj.config_file, overrides=obj.overrides)
    except AlauneError:
        configure_logs()
        return
    try:
        configure_logs(level=settings.log_level, fmt=settings.log_format)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


for command in (
    config,
    db,
    crawl,
    serve,
    demo,
    dev,
    parse_feed,
    sources,
    prune_command,
    eval_,
    reextract_command,
    users,
    worker,
    scheduler,
    extract_command,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="alaune")
