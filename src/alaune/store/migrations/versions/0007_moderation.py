"""Moderation and admin (issue 7), inline images (issue 4), task bookkeeping (issue 8).

Image moderation state; counted reader reports (keyed hashes only); alaune's own secrets; shared
rate counters; admin users, server-side sessions and the append-only audit log; jobs the web asks
of the worker; inline images of articles; dead letters and leases for scale-out workers.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from alaune.store.schema import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_IMAGE_COLUMNS = ("needs_review", "approved", "hidden_at", "hidden_source", "hidden_reason")
_TABLES = (
    "locks",
    "dead_letters",
    "jobs",
    "audit_log",
    "admin_sessions",
    "admin_users",
    "rate_counters",
    "site_secrets",
    "image_reports",
    "article_images",
)


def upgrade() -> None:
    with op.batch_alter_table("images") as batch:
        batch.add_column(sa.Column("hidden_reason", sa.String(16)))
        batch.add_column(sa.Column("hidden_source", sa.Integer))
        batch.add_column(sa.Column("hidden_at", UTCDateTime))
        batch.add_column(sa.Column("approved", sa.Boolean, nullable=False, server_default="0"))
        batch.add_column(sa.Column("needs_review", sa.Boolean, nullable=False, server_default="0"))
    op.create_index("ix_images_needs_review", "images", ["needs_review"])

    op.create_table(
        "article_images",
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("image_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "position", name="pk_article_images"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_images_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["image_id"], ["images.id"], name="fk_article_images_image_id_images"
        ),
    )
    op.create_index("ix_article_images_image_id", "article_images", ["image_id"])

    op.create_table(
        "image_reports",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("image_id", sa.Integer, nullable=False),
        sa.Column("window", sa.Integer, nullable=False),
        sa.Column("reporter_key", sa.String(64), nullable=False),
        sa.Column("network_key", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False, server_default=""),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_image_reports"),
        sa.ForeignKeyConstraint(
            ["image_id"], ["images.id"], name="fk_image_reports_image_id_images", ondelete="CASCADE"
        ),
        sa.UniqueConstraint(
            "image_id",
            "window",
            "reporter_key",
            name="uq_image_reports_image_id_window_reporter_key",
        ),
    )
    op.create_index("ix_image_reports_at", "image_reports", ["at"])

    op.create_table(
        "site_secrets",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_site_secrets"),
    )
    op.create_table(
        "rate_counters",
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("count", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("scope", "key", name="pk_rate_counters"),
    )
    op.create_table(
        "admin_users",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_login_at", UTCDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_admin_users"),
        sa.UniqueConstraint("name", name="uq_admin_users_name"),
    )
    op.create_table(
        "admin_sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_admin_sessions"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["admin_users.id"],
            name="fk_admin_sessions_user_id_admin_users",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_admin_sessions_user_id", "admin_sessions", ["user_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False, server_default=""),
        sa.Column("details", sa.Text, nullable=False, server_default="{}"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_action_at", "audit_log", ["action", "at"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text, nullable=False, server_default="{}"),
        sa.Column("status", sa.String(16), nullable=False, server_default="queued"),
        sa.Column("result", sa.Text, nullable=False, server_default=""),
        sa.Column("requested_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
    )
    op.create_index("ix_jobs_status_id", "jobs", ["status", "id"])
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("task", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text, nullable=False, server_default="{}"),
        sa.Column("error", sa.Text, nullable=False, server_default=""),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dead_letters"),
    )
    op.create_table(
        "locks",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(128), nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_locks"),
    )


def downgrade() -> None:
    for table in _TABLES:
        op.drop_table(table)
    op.drop_index("ix_images_needs_review", "images")
    with op.batch_alter_table("images") as batch:
        for column in _IMAGE_COLUMNS:
            batch.drop_column(column)
