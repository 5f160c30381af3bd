"""The append-only audit log of moderation and admin actions: who, what, on what, when, why.

`record` is the only write; nothing in alaune updates or deletes a row. `entries` reads it for
the admin area; `public_entries` for the transparency page, which shows the action, the kind of
target and the time, but neither the admin's name nor the reason (which may name a person).
`count_since` lets the circuit breaker count automatic hides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from alaune.store.schema import audit_log

MAX_REASON = 1000


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    target_kind: str
    target_id: str
    reason: str
    details: dict[str, Any]


def record(
    conn: Connection,
    *,
    actor: str,
    action: str,
    target_kind: str,
    target_id: str | int,
    now: datetime,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        insert(audit_log).values(
            at=now,
            actor=actor[:64],
            action=action[:32],
            target_kind=target_kind[:16],
            target_id=str(target_id)[:200],
            reason=reason[:MAX_REASON],
            details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
        )
    )


def entries(
    conn: Connection, *, limit: int = 100, before_id: int | None = None
) -> list[AuditEntry]:
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(audit_log.c.id < before_id)
    return [_entry(row) for row in conn.execute(query)]


def public_entries(
    conn: Connection, actions: tuple[str, ...], *, limit: int = 100
) -> list[AuditEntry]:
    """Moderation actions only, stripped of who and why."""
    query = (
        select(audit_log)
        .where(audit_log.c.action.in_(actions))
        .order_by(audit_log.c.id.desc())
        .limit(limit)
    )
    return [
        AuditEntry(
            id=row.id,
            at=row.at,
            actor="readers" if row.actor in ("readers", "system") else "admin",
            action=row.action,
            target_kind=row.target_kind,
            target_id=row.target_id,
            reason="",
            details={},
        )
        for row in conn.execute(query)
    ]


def count_since(
    conn: Connection, action: str, since: datetime, *, outlet_id: str | None = None
) -> int:
    query = select(audit_log.c.details).where(
        (audit_log.c.action == action) & (audit_log.c.at >= since)
    )
    if outlet_id is None:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        return int(total)
    # The outlet is in the details; a breaker counts a handful of rows per hour at most.
    return sum(
        1 for (details,) in conn.execute(query) if json.loads(details).get("outlet") == outlet_id
    )


def _entry(row: Any) -> AuditEntry:
    try:
        details = json.loads(row.details)
    except ValueError:
        details = {}
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target_kind=row.target_kind,
        target_id=row.target_id,
        reason=row.reason,
        details=details if isinstance(details, dict) else {},
    )
