"""Running and checking Alembic migrations from alaune's own settings.

`upgrade` brings a database to the newest schema; `check_current` raises `SchemaOutOfDate`, naming
the command to run, when it is behind. No alembic.ini: the script directory is package data.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from alaune.errors import SchemaOutOfDate, StoreError
from alaune.store.engine import Database


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("alaune.store") / "migrations"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database) -> tuple[str | None, str]:
    """Migrate to the newest schema; returns (revision before, revision after)."""
    before = current_revision(db)
    config = _config()
    with db.write(foreign_keys=False) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        _check_foreign_keys(conn)
    return before, head_revision()


def _check_foreign_keys(conn: Connection) -> None:
    """SQLite migrations run with foreign keys off: check them before committing instead."""
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise StoreError(
            f"the migration left {len(broken)} rows pointing nowhere (first: {tuple(broken[0])}); "
            "nothing was changed. Please report this with the output of `alaune db status`."
        )


def check_current(db: Database) -> None:
    current, head = current_revision(db), head_revision()
    if current != head:
        state = "empty" if current is None else f"at revision {current}"
        raise SchemaOutOfDate(
            f"the database {db.url} is {state}, this alaune needs revision {head}: "
            "run `alaune db upgrade`"
        )
