"""Deliveries of worker tasks that have not finished (issue 8): a task that kills its worker.

`task_deliveries`: one row per task id while a delivery of it is running or was cut short by
its worker's death; dropped when the task finishes (store.deliveries).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from alaune.store.schema import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_deliveries",
        sa.Column("task_id", sa.String(255), nullable=False),
        sa.Column("task", sa.String(64), nullable=False),
        sa.Column("deliveries", sa.Integer, nullable=False),
        sa.Column("first_at", UTCDateTime, nullable=False),
        sa.Column("last_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("task_id", name="pk_task_deliveries"),
    )


def downgrade() -> None:
    op.drop_table("task_deliveries")
