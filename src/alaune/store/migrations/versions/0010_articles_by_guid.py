"""An index on articles (outlet_id, guid): each poll looks up its items' GUIDs (issue 3's moved
GUIDs, H2), and with only (outlet_id, published_at) that read every article of the outlet. At a
million articles it was most of a poll's time (bench.e2e on the 1M database: the crawler sat in
`identity.by_guid`).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_outlet_id_guid", "articles", ["outlet_id", "guid"])


def downgrade() -> None:
    op.drop_index("ix_articles_outlet_id_guid", table_name="articles")
