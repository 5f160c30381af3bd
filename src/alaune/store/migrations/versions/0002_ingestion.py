"""Ingestion (issue 3): outlet state, feed scheduling, poll history, categories, tombstones.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from alaune.store.schema import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outlets") as batch:
        batch.add_column(sa.Column("verified", sa.Boolean, nullable=False, server_default="1"))
        batch.add_column(sa.Column("paused", sa.Boolean, nullable=False, server_default="0"))
        batch.add_column(sa.Column("config", sa.Text, nullable=False, server_default="{}"))
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("next_poll_at", UTCDateTime))
        batch.add_column(sa.Column("poll_interval", sa.Float))
        batch.add_column(sa.Column("last_new_at", UTCDateTime))
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="ok"))
    op.create_index("ix_feeds_next_poll_at", "feeds", ["next_poll_at"])
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("category", sa.String(32), nullable=False, server_default=""))
    op.create_index("ix_articles_category_published_at", "articles", ["category", "published_at"])
    op.create_table(
        "polls",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("feed_id", sa.Integer, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("error_kind", sa.String(32)),
        sa.Column("http_status", sa.Integer),
        sa.Column("items", sa.Integer, nullable=False, server_default="0"),
        sa.Column("new_items", sa.Integer, nullable=False, server_default="0"),
        sa.Column("duration_ms", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_polls"),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name="fk_polls_feed_id_feeds", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_polls_feed_id_at", "polls", ["feed_id", "at"])
    op.create_table(
        "tombstones",
        sa.Column("canonical_url", sa.String(2048), nullable=False),
        sa.Column("outlet_id", sa.String(64), nullable=False),
        sa.Column("removed_at", UTCDateTime, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("canonical_url", name="pk_tombstones"),
    )


def downgrade() -> None:
    op.drop_table("tombstones")
    op.drop_table("polls")
    op.drop_index("ix_articles_category_published_at", "articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("category")
    op.drop_index("ix_feeds_next_poll_at", "feeds")
    with op.batch_alter_table("feeds") as batch:
        for column in ("status", "last_new_at", "poll_interval", "next_poll_at"):
            batch.drop_column(column)
    with op.batch_alter_table("outlets") as batch:
        for column in ("config", "paused", "verified"):
            batch.drop_column(column)
