"""Admin accounts and their server-side sessions.

A session row is keyed by the SHA-256 of the cookie's random token (alaune.auth.tokens), carries
its CSRF token and an expiry; logging in makes a new row (a new id at every login), logging out
deletes it, so an old cookie opens nothing (SECURITY G3). Password hashes are argon2id strings
made by alaune.auth.passwords; this module never sees a password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from alaune.store.schema import admin_sessions, admin_users


@dataclass(frozen=True, slots=True)
class Admin:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Session:
    admin: Admin
    csrf: str
    expires_at: datetime


class NameTaken(ValueError):
    pass


def create_user(conn: Connection, name: str, password_hash: str, *, now: datetime) -> Admin:
    if conn.execute(select(admin_users.c.id).where(admin_users.c.name == name)).first():
        raise NameTaken(f"an admin called {name!r} already exists")
    new_id = conn.execute(
        insert(admin_users)
        .values(name=name, password_hash=password_hash, created_at=now)
        .returning(admin_users.c.id)
    ).scalar_one()
    return Admin(id=int(new_id), name=name)


def set_password(conn: Connection, name: str, password_hash: str) -> bool:
    result = conn.execute(
        update(admin_users).where(admin_users.c.name == name).values(password_hash=password_hash)
    )
    return bool(result.rowcount)


def password_hash(conn: Connection, name: str) -> tuple[Admin, str] | None:
    row = conn.execute(
        select(admin_users.c.id, admin_users.c.name, admin_users.c.password_hash).where(
            admin_users.c.name == name
        )
    ).first()
    if row is None:
        return None
    return Admin(id=row.id, name=row.name), row.password_hash


def names(conn: Connection) -> list[str]:
    return list(conn.execute(select(admin_users.c.name).order_by(admin_users.c.name)).scalars())


def open_session(
    conn: Connection, admin: Admin, *, session_digest: str, csrf: str, now: datetime, hours: float
) -> None:
    conn.execute(
        insert(admin_sessions).values(
            id=session_digest,
            user_id=admin.id,
            csrf=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    conn.execute(update(admin_users).where(admin_users.c.id == admin.id).values(last_login_at=now))
    # Expired sessions of anyone go at each login: the table stays small without a sweeper.
    conn.execute(delete(admin_sessions).where(admin_sessions.c.expires_at < now))


def session(conn: Connection, session_digest: str, *, now: datetime) -> Session | None:
    row = conn.execute(
        select(
            admin_users.c.id,
            admin_users.c.name,
            admin_sessions.c.csrf,
            admin_sessions.c.expires_at,
        )
        .join(admin_users, admin_users.c.id == admin_sessions.c.user_id)
        .where(admin_sessions.c.id == session_digest)
    ).first()
    if row is None or row.expires_at <= now:
        return None
    return Session(admin=Admin(row.id, row.name), csrf=row.csrf, expires_at=row.expires_at)


def close_session(conn: Connection, session_digest: str) -> None:
    conn.execute(delete(admin_sessions).where(admin_sessions.c.id == session_digest))
