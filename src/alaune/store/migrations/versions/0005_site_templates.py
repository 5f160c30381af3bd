"""Site templates (issue 4): each outlet's learned boilerplate, as JSON.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from alaune.store.schema import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_templates",
        sa.Column("outlet_id", sa.String(64), nullable=False),
        sa.Column("template", sa.Text, nullable=False),
        sa.Column("pages", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("outlet_id", name="pk_site_templates"),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlets.id"], name="fk_site_templates_outlet_id_outlets"
        ),
    )


def downgrade() -> None:
    op.drop_table("site_templates")
