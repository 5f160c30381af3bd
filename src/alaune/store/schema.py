"""The database schema, in one readable block (SQLAlchemy Core, no ORM).

The same tables serve SQLite and PostgreSQL. Each index names the query it speeds up. Changing a
table here means adding a migration under `migrations/versions/`; a test checks that the
migrated database and this file agree. This module must not open connections.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect

# Constraint names are explicit so that migrations can name them on both databases.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on both databases.

    SQLite has no time zone type and returns naive values; storing naive UTC everywhere and
    re-attaching UTC on the way out keeps comparisons and ordering right on both.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"naive or non-datetime value {value!r}: pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


outlets = Table(
    "outlets",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("homepage", String(2048), nullable=False),
    Column("languages", String(64), nullable=False),  # comma-separated ISO 639-1 codes
    Column("country", String(2), nullable=False, server_default=""),
    Column("policy", String(16), nullable=False, server_default="excerpt"),
    Column("agency", Boolean, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("verified", Boolean, nullable=False, server_default="1"),
    Column("paused", Boolean, nullable=False, server_default="0"),
    # The registry entry as JSON (sections → categories, URL patterns, polling hints).
    Column("config", Text, nullable=False, server_default="{}"),
)

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("outlet_id", String(64), ForeignKey("outlets.id"), nullable=False),
    Column("url", String(2048), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    # Validators are written in the same transaction as the articles they cover (promise 1).
    Column("etag", String(512)),
    Column("last_modified", String(64)),
    Column("last_polled_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("last_error_kind", String(32)),
    Column("last_error", String(1000)),
    Column("error_count", Integer, nullable=False, server_default="0"),
    # Scheduling state (issue 3): when to poll next and at which learned interval.
    Column("next_poll_at", UTCDateTime),
    Column("poll_interval", Float),
    Column("last_new_at", UTCDateTime),
    Column("status", String(16), nullable=False, server_default="ok"),  # ok | failing
    # polling a feed: "the feeds of this outlet"
    Index(None, "outlet_id"),
    # the scheduler: "feeds due before now"
    Index(None, "next_poll_at"),
)

# One row per poll: the history the scheduler learns from and the health table shows.
polls = Table(
    "polls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("outcome", String(16), nullable=False),  # ok | not_modified | error
    Column("error_kind", String(32)),
    Column("http_status", Integer),
    Column("items", Integer, nullable=False, server_default="0"),
    Column("new_items", Integer, nullable=False, server_default="0"),
    Column("duration_ms", Integer, nullable=False, server_default="0"),
    # health and scheduling: "the recent polls of this feed"
    Index(None, "feed_id", "at"),
)

# Articles an admin removed: ingestion never stores these canonical URLs again (SECURITY H6).
tombstones = Table(
    "tombstones",
    metadata,
    Column("canonical_url", String(2048), primary_key=True),
    Column("outlet_id", String(64), nullable=False),
    Column("removed_at", UTCDateTime, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("article_count", Integer, nullable=False, server_default="0"),
    # Issue 5: what a story carries; `updated_at` is the last report. `article_count` counts
    # every article (removals rely on it); `report_count` takes wire copies once.
    Column("report_count", Integer, nullable=False, server_default="0"),
    Column("summary", Text, nullable=False, server_default=""),
    Column("language", String(8), nullable=False, server_default=""),  # of title and summary
    Column("image_id", Integer, ForeignKey("images.id")),
    Column("languages", String(64), nullable=False, server_default=""),  # comma-separated
    Column("outlet_count", Integer, nullable=False, server_default="0"),
    # The first report (no foreign key: articles already point here, and a cycle of keys
    # would make every insert order-dependent).
    Column("first_article_id", Integer),
    Column("first_outlet_id", String(64)),
    Column("first_at", UTCDateTime),
    Column("hotness", Float, nullable=False, server_default="0"),
    Column("status", String(16), nullable=False, server_default="open"),  # open|closed|merged
    # A merged story redirects here (the older id is kept).
    Column("merged_into", Integer, ForeignKey("stories.id", ondelete="SET NULL")),
    # home page: stories by last update
    Index(None, "updated_at"),
    # home page: top stories by hotness, merged ones left out
    Index(None, "status", "hotness"),
    # deleting a story sets `merged_into` to NULL where it points to it (ON DELETE SET NULL)
    Index(None, "merged_into"),
)

images = Table(
    "images",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_url", String(2048), nullable=False, unique=True),
    Column("first_seen_at", UTCDateTime, nullable=False),
    # Issue 4: alaune's own copy, downloaded by the crawler (ingest.images), served by the web.
    Column("status", String(16), nullable=False, server_default="pending"),  # |stored|rejected
    Column("reject_kind", String(32)),  # media.ImageRejected.kind, or the fetch error's kind
    Column("attempts", Integer, nullable=False, server_default="0"),  # failed downloads so far
    Column("media_type", String(32)),  # of `data` and `thumbnail`
    Column("width", Integer),  # of `data`, the resized copy
    Column("height", Integer),
    Column("data", LargeBinary),
    Column("thumbnail", LargeBinary),
    Column("phash", String(16)),
    Column("hidden", Boolean, nullable=False, server_default="0"),  # moderation: not served
    Column("fetched_at", UTCDateTime),
    # Issue 7, moderation. Why an image is hidden: `reports` (readers, automatically), `admin`,
    # or `match` (its pHash is near a hidden image's: `hidden_source` names that image).
    Column("hidden_reason", String(16)),
    Column("hidden_source", Integer),
    Column("hidden_at", UTCDateTime),
    Column("approved", Boolean, nullable=False, server_default="0"),  # immune to auto-hiding
    Column("needs_review", Boolean, nullable=False, server_default="0"),  # in the admin queue
    # the image worker: "images still to download"
    Index(None, "status"),
    # the moderation queue: "images waiting for an admin"
    Index(None, "needs_review"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("outlet_id", String(64), ForeignKey("outlets.id"), nullable=False),
    # One row per canonical URL: the key of idempotent ingestion (promise 1).
    Column("canonical_url", String(2048), nullable=False, unique=True),
    Column("url", String(2048), nullable=False),
    Column("guid", String(2048), nullable=False, server_default=""),
    Column("title", Text, nullable=False),
    Column("lead", Text, nullable=False, server_default=""),
    Column("text", Text, nullable=False, server_default=""),
    Column("author", String(300), nullable=False, server_default=""),
    Column("language", String(8), nullable=False, server_default=""),
    Column("section", String(200), nullable=False, server_default=""),
    Column("category", String(32), nullable=False, server_default=""),
    Column("word_count", Integer, nullable=False, server_default="0"),
    Column("published_at", UTCDateTime, nullable=False),
    Column("date_source", String(16), nullable=False, server_default=""),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("image_id", Integer, ForeignKey("images.id")),
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False),
    # The page as fetched, zlib-compressed, so that better extractors can re-extract it.
    Column("raw_html", LargeBinary),
    # Issue 5: dedupe and clustering. A wire copy points to its original (counted once).
    Column("copy_of", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("content_hash", String(32), nullable=False, server_default=""),
    # uint32 shingle count + 128 uint32 MinHash minima, little-endian (dedupe.keys).
    Column("minhash", LargeBinary),
    # 512 float32 (cluster.embeddings): a restart rebuilds the open window without re-embedding.
    Column("embedding", LargeBinary),
    # home page and feeds: newest first
    Index(None, "published_at"),
    # outlet page: an outlet's newest articles
    Index(None, "outlet_id", "published_at"),
    # polls: an outlet's articles by the GUIDs of a listing's items (store.identity.by_guid)
    Index(None, "outlet_id", "guid"),
    # story page: the articles of a story
    Index(None, "story_id"),
    # category page: a category's newest articles
    Index(None, "category", "published_at"),
    # dedupe: "an article with this exact text"
    Index(None, "content_hash"),
    # article page: "the copies of this article"
    Index(None, "copy_of"),
)


# Each outlet's learned site template (issue 4): the blocks that recur across its pages, as JSON
# (alaune.extract.templates), updated in the same transaction as the article that taught it.
site_templates = Table(
    "site_templates",
    metadata,
    Column("outlet_id", String(64), ForeignKey("outlets.id"), primary_key=True),
    Column("template", Text, nullable=False),
    Column("pages", Integer, nullable=False, server_default="0"),
    Column("updated_at", UTCDateTime, nullable=False),
)


# Issue 4: every image of an article beyond the lead (inline figures), in page order.
article_images = Table(
    "article_images",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("image_id", Integer, ForeignKey("images.id"), nullable=False),
    # moderation: "the articles an image appears on"
    Index(None, "image_id"),
)

# Issue 7: one row per counted reader report. No address or user agent is ever stored: only
# keyed hashes (alaune.moderation.keys) whose key lives as long as the counting window.
image_reports = Table(
    "image_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("image_id", Integer, ForeignKey("images.id", ondelete="CASCADE"), nullable=False),
    Column("window", Integer, nullable=False),  # the counting window the keys belong to
    Column("reporter_key", String(64), nullable=False),  # HMAC(k_window, image ‖ address)
    Column("network_key", String(64), nullable=False),  # HMAC(k_window, image ‖ /24 or /48)
    Column("reason", String(500), nullable=False, server_default=""),
    Column("at", UTCDateTime, nullable=False),
    # a reader who reports twice counts once
    UniqueConstraint("image_id", "window", "reporter_key"),
    # moderation queue: "the reports of this image"; the breaker: "reports since"
    Index(None, "at"),
)

# Secrets alaune makes itself: the form-token key, and one report key per counting window
# (deleted when its window ends, so old reporter keys can never be recomputed).
site_secrets = Table(
    "site_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# Fixed-window counters for rate limits shared by every web process (reports, logins). Keys are
# keyed hashes, never addresses.
rate_counters = Table(
    "rate_counters",
    metadata,
    Column("scope", String(32), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("count", Integer, nullable=False, server_default="0"),
)

admin_users = Table(
    "admin_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),  # argon2id
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_login_at", UTCDateTime),
)

# Server-side sessions: the cookie holds a random token, the row its SHA-256, so that a copy of
# the database opens no session. Logout deletes the row.
admin_sessions = Table(
    "admin_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("admin_users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    # logout everywhere and expiry: "the sessions of this user"
    Index(None, "user_id"),
)

# Append-only: every moderation and admin action, by whom (an admin's name, `readers` or
# `system`), on what, when and why. Nothing updates or deletes these rows.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target_kind", String(16), nullable=False),
    Column("target_id", String(200), nullable=False),
    Column("reason", String(1000), nullable=False, server_default=""),
    Column("details", Text, nullable=False, server_default="{}"),  # JSON
    # the breaker: "automatic hides since"; the public log: newest first
    Index(None, "action", "at"),
)

# Work the web process asks of the worker (it never fetches itself): discover an outlet's feeds,
# poll an outlet now. The crawler takes queued jobs and writes the outcome back.
jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("payload", Text, nullable=False, server_default="{}"),  # JSON
    Column("status", String(16), nullable=False, server_default="queued"),  # |running|done|failed
    Column("result", Text, nullable=False, server_default=""),
    Column("requested_by", String(64), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    # the worker: "queued jobs, oldest first"
    Index(None, "status", "id"),
)

# Issue 8: tasks that failed after their last retry, kept for an operator to read and replay.
dead_letters = Table(
    "dead_letters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("task", String(64), nullable=False),
    Column("payload", Text, nullable=False, server_default="{}"),  # JSON
    Column("error", Text, nullable=False, server_default=""),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("failed_at", UTCDateTime, nullable=False),
)

# Issue 8: leases that keep one process in a role (one scheduler at a time).
locks = Table(
    "locks",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(128), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

# Issue 8, metrics: how long the stages of ingestion took, one row per stage and batch (a crawl
# round, a worker task), written by the process that did the work and summed by `/metrics`.
# Kept two days (`store.timings.KEEP`).
stage_timings = Table(
    "stage_timings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("stage", String(16), nullable=False),  # extract | cluster | images
    Column("finished_at", UTCDateTime, nullable=False),
    Column("items", Integer, nullable=False, server_default="0"),
    Column("seconds", Float, nullable=False, server_default="0"),  # summed over the items
    Column("slowest", Float, nullable=False, server_default="0"),  # the longest item, seconds
    # `/metrics`: "the last hour's rows"; pruning: "rows older than"
    Index(None, "finished_at"),
)

# Issue 8, metrics: the broker's queue lengths as the active scheduler last read them.
queue_depths = Table(
    "queue_depths",
    metadata,
    Column("queue", String(32), primary_key=True),  # poll | pages | images | cluster
    Column("depth", Integer, nullable=False),
    Column("read_at", UTCDateTime, nullable=False),
)

# Issue 8: deliveries of worker tasks that have not finished (store.deliveries): a task whose
# worker died under it this many times in a row is buried instead of delivered again.
task_deliveries = Table(
    "task_deliveries",
    metadata,
    Column("task_id", String(255), primary_key=True),  # Celery's id, kept across retries
    Column("task", String(64), nullable=False),
    Column("deliveries", Integer, nullable=False),
    Column("first_at", UTCDateTime, nullable=False),
    Column("last_at", UTCDateTime, nullable=False),
)
