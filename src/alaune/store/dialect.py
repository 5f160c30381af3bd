"""The one place where SQLite and PostgreSQL need different SQL: INSERT … ON CONFLICT."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignore(conn: Connection, table: Table, values: dict[str, Any]) -> Any:
    """Insert a row unless a unique key already has it; returns the new id or None."""
    module: Any = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = module.insert(table).values(**values).on_conflict_do_nothing()
    return conn.execute(stmt.returning(table.c.id)).scalar_one_or_none()


def insert_new(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """Insert a row unless its key already exists; True when this call inserted it."""
    module: Any = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = module.insert(table).values(**values).on_conflict_do_nothing()
    # RETURNING, not rowcount: psycopg reports -1 for ON CONFLICT DO NOTHING whether or not a
    # row went in, so only a returned key tells.
    returned = conn.execute(stmt.returning(*table.primary_key.columns)).first()
    return returned is not None
