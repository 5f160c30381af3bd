"""Lookups that read whole tables at a million articles go through indexes: `by_guid` (an
outlet's articles by the GUIDs of a listing) and the stories that point to a deleted one
(`merged_into`). At 1M articles the scans were most of each poll's and each placement's time."""

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


def test_deleting_a_story_finds_the_stories_merged_into_it_by_index(sqlite_db: Database) -> None:
    """ON DELETE SET NULL on stories.merged_into: without an index, each deletion of a story
    (placement deletes emptied stories of one) read every story."""
    with sqlite_db.read() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        plan = " ".join(
            str(row[-1])
            for row in raw.execute(
                "EXPLAIN QUERY PLAN UPDATE stories SET merged_into = NULL WHERE merged_into = 7"
            )
        )
    assert "ix_stories_merged_into" in plan, plan
