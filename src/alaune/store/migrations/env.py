"""Alembic environment: runs migrations on the connection `alaune.store.migrate` passes in.

It never reads alembic.ini or a URL itself; alaune's settings decide the database.
"""

from __future__ import annotations

from alembic import context

from alaune.store.schema import metadata
from alaune.store.search import include_name

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds tables when a migration needs it.
    render_as_batch=connection.dialect.name == "sqlite",
    # The search index (FTS5 / tsvector) lives outside schema.py; comparisons skip it.
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
