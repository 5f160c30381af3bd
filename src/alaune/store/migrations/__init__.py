"""Alembic migrations: an append-only list under `versions/`, one small file per change."""
