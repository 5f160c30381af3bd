"""Opening a database: SQLite (WAL, busy_timeout, `BEGIN IMMEDIATE`, one writer) or PostgreSQL.

`Database` wraps one SQLAlchemy engine and hands out two kinds of transactions: `read()` for
queries and `write()` for changes. On SQLite every write transaction starts with `BEGIN IMMEDIATE`
and writers of one process queue on a lock, so a transaction that reads then writes never fails
with "database is locked" (a deferred transaction upgrading its lock fails at once, whatever the
busy_timeout). This module must not know any table.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from alaune.config import Settings
from alaune.errors import StoreError

SQLITE_BUSY_TIMEOUT_MS = 10_000


class Database:
    """One database, with a read path and a single write path."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._write_lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a short read transaction."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self, *, foreign_keys: bool = True) -> Iterator[Connection]:
        """A connection in a write transaction, committed on success, rolled back on error.

        `foreign_keys=False` is for migrations only: SQLite rebuilds a table to alter it
        (copy, drop, rename), and dropping a table that others reference fails while foreign
        keys are enforced. The pragma only takes effect outside a transaction, so it is set on
        the raw connection before BEGIN and restored after.
        """
        if not self.is_sqlite:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._write_lock, self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            if not foreign_keys:
                raw.execute("PRAGMA foreign_keys = OFF")
            try:
                conn.execution_options(alaune_immediate=True)
                with conn.begin():
                    yield conn
            finally:
                if not foreign_keys:
                    raw.execute("PRAGMA foreign_keys = ON")

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(
    url: str, *, pool_size: int = 10, max_overflow: int = 5, pool_timeout: float = 5.0
) -> Database:
    """Open the database at `url`; SQLite files are created, not migrated (see `migrate`).

    One process holds at most `pool_size` + `max_overflow` connections and waits at most
    `pool_timeout` seconds for one (then `sqlalchemy.exc.TimeoutError`, which the site answers
    with 503). On PostgreSQL a new connection also gives up after that long (`connect_timeout`),
    so an unreachable server fails as fast as a full pool.
    """
    pool = Pool(size=pool_size, overflow=max_overflow, timeout=pool_timeout)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"database_url {url!r} is not a database URL; use sqlite:///alaune.db "
            "or postgresql+psycopg://user@host/db"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        return Database(_sqlite_engine(url, parsed.database, pool))
    if parsed.get_backend_name() == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        connect_args = {} if "connect_timeout" in parsed.query else pool.connect_args()
        engine = create_engine(
            parsed, **pool.engine_args(), pool_pre_ping=True, connect_args=connect_args
        )
        return Database(engine)
    raise StoreError(
        f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
    )


@dataclass(frozen=True, slots=True)
class Pool:
    """The connection budget of one process (settings `db_pool_size`, `db_max_overflow`,
    `db_pool_timeout`)."""

    size: int
    overflow: int
    timeout: float

    def engine_args(self) -> dict[str, Any]:
        return {"pool_size": self.size, "max_overflow": self.overflow, "pool_timeout": self.timeout}

    def connect_args(self) -> dict[str, Any]:
        return {"connect_timeout": max(1, math.ceil(self.timeout))}


def open_configured(settings: Settings) -> Database:
    """`open_database` with the pool the settings ask for (what servers and workers use)."""
    return open_database(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
    )


def _sqlite_engine(url: str, database: str | None, pool: Pool) -> Engine:
    # A file gets the same bounded pool as PostgreSQL; an in-memory database keeps SQLAlchemy's
    # own pool (one connection per thread), which takes no size.
    on_disk = database is not None and database not in ("", ":memory:")
    sized = pool.engine_args() if on_disk else {}
    if database and on_disk:
        parent = Path(database).expanduser().resolve().parent
        if not parent.is_dir():
            raise StoreError(f"cannot create the database {database}: {parent} does not exist")
    engine = create_engine(url, connect_args={"check_same_thread": False}, **sized)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself, so that writes can say IMMEDIATE.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    except sqlite3.OperationalError as exc:
        raise StoreError(f"cannot open the SQLite database: {exc}") from exc
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("alaune_immediate", False)
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    except OperationalError as exc:
        raise StoreError(f"the database refused a transaction: {exc.orig}") from exc
