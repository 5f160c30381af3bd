"""Two indexes for lookups that read whole tables at a million articles (bench.e2e on the 1M
database, issue 8):

- articles (outlet_id, guid): each poll looks up its items' GUIDs (moved GUIDs, H2); with only
  (outlet_id, published_at) that read every article of the outlet, and the crawler's rounds sat
  in `identity.by_guid`;
- stories (merged_into): deleting a story (placement moves an article out of its story of one,
  which is then deleted) must set `merged_into` to NULL in the stories that point to it
  (ON DELETE SET NULL), which read every story; placement spent 60 % of its time there.

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
    op.create_index("ix_stories_merged_into", "stories", ["merged_into"])


def downgrade() -> None:
    op.drop_index("ix_stories_merged_into", table_name="stories")
    op.drop_index("ix_articles_outlet_id_guid", table_name="articles")
