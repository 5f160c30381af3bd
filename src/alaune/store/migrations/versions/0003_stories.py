"""Stories (issue 5): what a story carries, and the dedupe and clustering keys of articles.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from alaune.store.schema import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("report_count", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("summary", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("language", sa.String(8), nullable=False, server_default=""))
        batch.add_column(sa.Column("image_id", sa.Integer))
        batch.add_column(sa.Column("languages", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("outlet_count", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("first_article_id", sa.Integer))
        batch.add_column(sa.Column("first_outlet_id", sa.String(64)))
        batch.add_column(sa.Column("first_at", UTCDateTime))
        batch.add_column(sa.Column("hotness", sa.Float, nullable=False, server_default="0"))
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="open"))
        batch.add_column(sa.Column("merged_into", sa.Integer))
        batch.create_foreign_key("fk_stories_image_id_images", "images", ["image_id"], ["id"])
        batch.create_foreign_key(
            "fk_stories_merged_into_stories",
            "stories",
            ["merged_into"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index("ix_stories_status_hotness", "stories", ["status", "hotness"])
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("copy_of", sa.Integer))
        batch.add_column(
            sa.Column("content_hash", sa.String(32), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("minhash", sa.LargeBinary))
        batch.add_column(sa.Column("embedding", sa.LargeBinary))
        batch.create_foreign_key(
            "fk_articles_copy_of_articles", "articles", ["copy_of"], ["id"], ondelete="SET NULL"
        )
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_copy_of", "articles", ["copy_of"])


def downgrade() -> None:
    op.drop_index("ix_articles_copy_of", "articles")
    op.drop_index("ix_articles_content_hash", "articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_constraint("fk_articles_copy_of_articles", type_="foreignkey")
        for column in ("embedding", "minhash", "content_hash", "copy_of"):
            batch.drop_column(column)
    op.drop_index("ix_stories_status_hotness", "stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_constraint("fk_stories_merged_into_stories", type_="foreignkey")
        batch.drop_constraint("fk_stories_image_id_images", type_="foreignkey")
        for column in (
            "merged_into",
            "status",
            "hotness",
            "first_at",
            "first_outlet_id",
            "first_article_id",
            "outlet_count",
            "languages",
            "image_id",
            "language",
            "summary",
            "report_count",
        ):
            batch.drop_column(column)
