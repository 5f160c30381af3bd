"""Search index (issue 6): FTS5 on SQLite, tsvector + GIN on PostgreSQL, then fill it.

The objects are created by `alaune.store.search.install`, outside schema.py (SQLAlchemy has no
virtual tables); `search.include_name` keeps them out of schema comparisons.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

from alaune.store import search

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    search.install(conn)
    search.reindex_all(conn)


def downgrade() -> None:
    search.uninstall(op.get_bind())
