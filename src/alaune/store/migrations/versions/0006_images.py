"""Images (issue 4): alaune's own copy of each lead image, its state and its pHash.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from alaune.store.schema import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS = (
    "fetched_at",
    "hidden",
    "phash",
    "thumbnail",
    "data",
    "height",
    "width",
    "media_type",
    "attempts",
    "reject_kind",
    "status",
)


def upgrade() -> None:
    with op.batch_alter_table("images") as batch:
        batch.add_column(
            sa.Column("status", sa.String(16), nullable=False, server_default="pending")
        )
        batch.add_column(sa.Column("reject_kind", sa.String(32)))
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("media_type", sa.String(32)))
        batch.add_column(sa.Column("width", sa.Integer))
        batch.add_column(sa.Column("height", sa.Integer))
        batch.add_column(sa.Column("data", sa.LargeBinary))
        batch.add_column(sa.Column("thumbnail", sa.LargeBinary))
        batch.add_column(sa.Column("phash", sa.String(16)))
        batch.add_column(sa.Column("hidden", sa.Boolean, nullable=False, server_default="0"))
        batch.add_column(sa.Column("fetched_at", UTCDateTime))
    op.create_index("ix_images_status", "images", ["status"])


def downgrade() -> None:
    op.drop_index("ix_images_status", "images")
    with op.batch_alter_table("images") as batch:
        for column in _COLUMNS:
            batch.drop_column(column)
