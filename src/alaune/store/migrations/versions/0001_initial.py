"""The spine's tables: outlets, feeds, stories, images, articles (issue 2).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from alaune.store.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outlets",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("homepage", sa.String(2048), nullable=False),
        sa.Column("languages", sa.String(64), nullable=False),
        sa.Column("country", sa.String(2), nullable=False, server_default=""),
        sa.Column("policy", sa.String(16), nullable=False, server_default="excerpt"),
        sa.Column("agency", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outlets"),
    )
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("outlet_id", sa.String(64), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("etag", sa.String(512)),
        sa.Column("last_modified", sa.String(64)),
        sa.Column("last_polled_at", UTCDateTime),
        sa.Column("last_success_at", UTCDateTime),
        sa.Column("last_error_kind", sa.String(32)),
        sa.Column("last_error", sa.String(1000)),
        sa.Column("error_count", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_feeds"),
        sa.ForeignKeyConstraint(["outlet_id"], ["outlets.id"], name="fk_feeds_outlet_id_outlets"),
        sa.UniqueConstraint("url", name="uq_feeds_url"),
    )
    op.create_index("ix_feeds_outlet_id", "feeds", ["outlet_id"])
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("article_count", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )
    op.create_index("ix_stories_updated_at", "stories", ["updated_at"])
    op.create_table(
        "images",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_url", sa.String(2048), nullable=False),
        sa.Column("first_seen_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_images"),
        sa.UniqueConstraint("source_url", name="uq_images_source_url"),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("outlet_id", sa.String(64), nullable=False),
        sa.Column("canonical_url", sa.String(2048), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("guid", sa.String(2048), nullable=False, server_default=""),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("lead", sa.Text, nullable=False, server_default=""),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.String(300), nullable=False, server_default=""),
        sa.Column("language", sa.String(8), nullable=False, server_default=""),
        sa.Column("section", sa.String(200), nullable=False, server_default=""),
        sa.Column("word_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("published_at", UTCDateTime, nullable=False),
        sa.Column("date_source", sa.String(16), nullable=False, server_default=""),
        sa.Column("first_seen_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("image_id", sa.Integer),
        sa.Column("story_id", sa.Integer, nullable=False),
        sa.Column("raw_html", sa.LargeBinary),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlets.id"], name="fk_articles_outlet_id_outlets"
        ),
        sa.ForeignKeyConstraint(["image_id"], ["images.id"], name="fk_articles_image_id_images"),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name="fk_articles_story_id_stories"),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
    )
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_outlet_id_published_at", "articles", ["outlet_id", "published_at"])
    op.create_index("ix_articles_story_id", "articles", ["story_id"])


def downgrade() -> None:
    for table in ("articles", "images", "stories", "feeds", "outlets"):
        op.drop_table(table)
