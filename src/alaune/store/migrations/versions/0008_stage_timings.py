"""Operations metrics (issue 8): stage timings and the broker's queue depths.

`stage_timings`: one row per ingestion stage (extraction, story placement, images) and batch,
what `/metrics` sums over the last hour. `queue_depths`: each broker queue's length as the
active scheduler last read it.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from alaune.store.schema import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stage_timings",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("finished_at", UTCDateTime, nullable=False),
        sa.Column("items", sa.Integer, nullable=False, server_default="0"),
        sa.Column("seconds", sa.Float, nullable=False, server_default="0"),
        sa.Column("slowest", sa.Float, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_stage_timings"),
    )
    op.create_index("ix_stage_timings_finished_at", "stage_timings", ["finished_at"])
    op.create_table(
        "queue_depths",
        sa.Column("queue", sa.String(32), nullable=False),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("read_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("queue", name="pk_queue_depths"),
    )


def downgrade() -> None:
    op.drop_table("queue_depths")
    op.drop_index("ix_stage_timings_finished_at", "stage_timings")
    op.drop_table("stage_timings")
