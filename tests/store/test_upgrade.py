"""Upgrading a database that holds data: every migration keeps the rows it finds.

SQLite alters a table by rebuilding it; with foreign keys enforced, dropping a referenced table
fails ("FOREIGN KEY constraint failed"), so a fresh database migrating fine proves nothing.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from alaune.store import migrate
from alaune.store.engine import open_database

ROWS = [
    "INSERT INTO outlets (id, name, homepage, languages, created_at) "
    "VALUES ('o', 'O', 'http://x.example/', 'fr', '2026-01-01 00:00:00')",
    "INSERT INTO stories (id, title, created_at, updated_at, article_count) "
    "VALUES (1, 't', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)",
    "INSERT INTO articles (outlet_id, canonical_url, url, title, published_at, first_seen_at, "
    "updated_at, story_id) VALUES ('o', 'http://x.example/a', 'http://x.example/a', 't', "
    "'2026-01-01 00:00:00', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)",
]


def test_a_populated_spine_database_upgrades_to_the_newest_schema(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'old.db'}")
    config = migrate._config()
    with database.write() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    with database.write() as conn:
        for statement in ROWS:
            conn.execute(text(statement))
    before, after = migrate.upgrade(database)
    assert (before, after) == ("0001", migrate.head_revision())
    with database.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 1
        assert conn.execute(text("SELECT story_id FROM articles")).scalar() == 1
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    database.dispose()
