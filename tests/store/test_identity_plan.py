"""`identity.by_guid` reads an outlet's articles by GUID through an index, not by scanning the
outlet's rows: at a million articles the scan was most of each poll's time (bench.e2e)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text

from alaune.store import identity
from alaune.store.engine import Database


def _statement_of_by_guid(db: Database) -> tuple[str, Any]:
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.read() as conn:
            identity.by_guid(conn, "lematin", ["urn:a", "urn:b"])
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    [found] = [s for s in seen if "guid IN" in s[0] or "guid in" in s[0].lower()]
    return found


def test_by_guid_reads_the_guid_index_on_sqlite(sqlite_db: Database) -> None:
    statement, parameters = _statement_of_by_guid(sqlite_db)
    with sqlite_db.read() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        plan = " ".join(
            str(row[-1]) for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        )
    assert "ix_articles_outlet_id_guid" in plan, plan


def test_by_guid_can_use_the_guid_index_on_postgresql(postgres_db: Database) -> None:
    statement, parameters = _statement_of_by_guid(postgres_db)
    with postgres_db.read() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))  # an empty table: force the choice
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("EXPLAIN " + statement, parameters)
        plan = " ".join(str(row[0]) for row in cursor.fetchall())
    assert "ix_articles_outlet_id_guid" in plan, plan
