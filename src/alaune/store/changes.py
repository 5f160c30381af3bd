"""A cheap value that changes when the database's content changes: the site's cache key.

SQLite: `PRAGMA data_version` on one dedicated connection (never used to write) changes
whenever any other connection, in this process or another, commits
(https://sqlite.org/pragma.html#pragma_data_version), so every write is seen, for a few
microseconds per probe. PostgreSQL has no such counter for one database: the probe reads a
fingerprint of what pages show (newest article and story ids, the latest story update, the
number of outlets, the latest moderation decision) from indexes; other changes (an edited
article) are picked up by the cache's time-to-live. Read-only; never raises for a missing table.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import func, select

from alaune.store.engine import Database
from alaune.store.schema import articles, audit_log, outlets, stories


class ChangeProbe:
    """`current()` returns a value that differs from the last one when data may have changed."""

    def __init__(self, db: Database) -> None:
        self.db = db
        database = db.engine.url.database if db.is_sqlite else None
        self._path = Path(database) if database and database != ":memory:" else None
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def current(self) -> object:
        if self._path is not None:
            return self._sqlite()
        return self._fingerprint()

    def _sqlite(self) -> object:
        with self._lock:
            if self._conn is None:
                assert self._path is not None
                # Never used to write: no transaction is ever opened on it.
                self._conn = sqlite3.connect(self._path, check_same_thread=False)
            row = self._conn.execute("PRAGMA data_version").fetchone()
        return ("sqlite", row[0])

    def _fingerprint(self) -> object:
        query = select(
            select(func.max(articles.c.id)).scalar_subquery(),
            select(func.max(stories.c.id)).scalar_subquery(),
            select(func.max(stories.c.updated_at)).scalar_subquery(),
            select(func.count()).select_from(outlets).scalar_subquery(),
            # Every moderation decision (a hidden or restored image) is audited: pages change.
            select(func.max(audit_log.c.id)).scalar_subquery(),
        )
        with self.db.read() as conn:
            return tuple(conn.execute(query).one())

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
