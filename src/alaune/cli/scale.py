"""What `alaune worker` and `alaune scheduler` share: checking the database and the broker.

Scale-out needs PostgreSQL (several processes, several machines, one database) at the current
schema, and a broker that answers; each check ends in a message naming the fix.
"""

from __future__ import annotations

import click
from celery import Celery

from alaune.config import Settings
from alaune.errors import AlauneError
from alaune.store import migrate
from alaune.store.engine import Database
from alaune.workers.app import broker_reachable, broker_shown, make_app


def check_database(database: Database) -> None:
    if database.is_sqlite:
        raise click.ClickException(
            f"{database.url} is SQLite: workers on several processes or machines need "
            "PostgreSQL (set database_url to postgresql+psycopg://user@host/db). On one "
            "machine, `alaune crawl` runs the whole pipeline in one process."
        )
    try:
        migrate.check_current(database)
    except AlauneError as exc:
        raise click.ClickException(str(exc)) from None


def broker_app(settings: Settings) -> tuple[Celery, str]:
    """The Celery app and its broker URL (password masked), or a message if it is down."""
    app = make_app(settings)
    shown = broker_shown(settings.broker_url)
    problem = broker_reachable(app)
    if problem is not None:
        raise click.ClickException(
            f"cannot reach the broker at {shown} ({problem}): start Redis or RabbitMQ, or set "
            "broker_url (see docs/scale.md)."
        )
    return app, shown
