"""Fixtures shared by every test: databases on SQLite and PostgreSQL, settings.

PostgreSQL is the server on 127.0.0.1:5432 (trust auth). Each test run creates its own uniquely
named database and drops it at the end, since the server keeps its state between runs. Outside CI
a missing server skips the PostgreSQL tests with a loud line in the summary; with CI=true it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from alaune.store import migrate
from alaune.store.engine import Database, open_database
from alaune.store.schema import metadata

ADMIN_URL = os.environ.get("ALAUNE_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
_skipped_postgres: list[str] = []


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = f"alaune_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL at {ADMIN_URL} is unreachable ({exc}); PostgreSQL tests skipped"
        if IN_CI:
            pytest.fail(message.replace("skipped", "required under CI=true"))
        _skipped_postgres.append(message)
        pytest.skip(message)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    yield f"{base}/{name}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_db(postgres_url: str) -> Iterator[Database]:
    database = open_database(postgres_url)
    migrate.upgrade(database)
    yield database
    database.dispose()


def _empty(database: Database) -> None:
    names = [table.name for table in reversed(metadata.sorted_tables)]
    with database.write() as conn:
        if database.is_sqlite:
            for name in names:
                conn.execute(text(f"DELETE FROM {name}"))
        else:
            conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        database = open_database(f"sqlite:///{tmp_path / 'alaune.db'}")
        migrate.upgrade(database)
        yield database
        database.dispose()
        return
    database = request.getfixturevalue("postgres_db")
    _empty(database)
    yield database


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'alaune.db'}")
    migrate.upgrade(database)
    yield database
    database.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for message in _skipped_postgres[:1]:
        terminalreporter.write_sep("!", message, red=True, bold=True)
