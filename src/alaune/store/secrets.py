"""Secrets alaune makes for itself and keeps in the database, so every web process shares them.

`get_or_create` returns a named random key, made on first use (the form-token key). Report keys
are one per counting window (`report_key`); `drop_report_keys_before` deletes the keys of ended
windows, after which no stored reporter key can be recomputed from an address (SECURITY F7).
"""

from __future__ import annotations

import secrets as random
from datetime import datetime

from sqlalchemy import Connection, delete, select

from alaune.store.dialect import insert_new
from alaune.store.schema import site_secrets

KEY_BYTES = 32
REPORT_PREFIX = "report:"


def get_or_create(conn: Connection, name: str, *, now: datetime) -> bytes:
    """The secret called `name`, made now if it does not exist (two racing callers agree)."""
    found = _get(conn, name)
    if found is not None:
        return found
    insert_new(
        conn,
        site_secrets,
        {"name": name, "value": random.token_bytes(KEY_BYTES), "created_at": now},
    )
    value = _get(conn, name)
    assert value is not None
    return value


def _get(conn: Connection, name: str) -> bytes | None:
    value = conn.execute(select(site_secrets.c.value).where(site_secrets.c.name == name)).scalar()
    return bytes(value) if value is not None else None


def report_key(conn: Connection, window: int, *, now: datetime) -> bytes:
    return get_or_create(conn, f"{REPORT_PREFIX}{window}", now=now)


def report_windows(conn: Connection) -> list[int]:
    """The windows whose report key still exists."""
    names = conn.execute(
        select(site_secrets.c.name).where(site_secrets.c.name.startswith(REPORT_PREFIX))
    ).scalars()
    return sorted(int(name.removeprefix(REPORT_PREFIX)) for name in names)


def drop_report_keys_before(conn: Connection, window: int) -> int:
    """Delete the report keys of every window before `window`; returns how many went."""
    dropped = [w for w in report_windows(conn) if w < window]
    if dropped:
        conn.execute(
            delete(site_secrets).where(
                site_secrets.c.name.in_([f"{REPORT_PREFIX}{w}" for w in dropped])
            )
        )
    return len(dropped)
