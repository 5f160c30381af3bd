"""Outlet health: one row per outlet saying whether its polling works (issue 3, item 6).

`outlet_health(conn, now=…)` gathers, per outlet, from its feeds, the poll history and its
articles: last attempt, last success, last new article, the last error and how many polls in a
row failed, errors by kind over the window, items per day, the next poll and a status:
`paused`, `new` (never polled), `failing` (see `alaune.ingest.schedule`), `error` (the last poll
failed), `deferred` (the last poll was a 429/503 asking for time) or `ok`.
The CLI prints it and the admin area will show it. Read-only; it must not decide anything about
scheduling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, RowMapping, func, select

from alaune.store.polls import errors_by_kind
from alaune.store.schema import articles, feeds, outlets

WINDOW = timedelta(days=7)
Row = RowMapping


@dataclass(frozen=True, slots=True)
class OutletHealth:
    outlet_id: str
    name: str
    status: str
    feeds: int
    last_attempt: datetime | None
    last_success: datetime | None
    last_new: datetime | None
    error_kind: str | None
    error: str | None
    failures: int  # consecutive failed polls of its worst feed
    items_per_day: float
    next_poll: datetime | None
    errors: dict[str, int] = field(default_factory=dict)  # kind → failed polls in the window


def outlet_health(
    conn: Connection, *, now: datetime, window: timedelta = WINDOW
) -> list[OutletHealth]:
    """Health of every outlet, by name."""
    since = now - window
    recent: dict[str, int] = {
        outlet_id: int(count)
        for outlet_id, count in conn.execute(
            select(articles.c.outlet_id, func.count())
            .where(articles.c.first_seen_at >= since)
            .group_by(articles.c.outlet_id)
        )
    }
    errors = errors_by_kind(conn, since=since)
    by_outlet: dict[str, list[Row]] = {}
    for feed in conn.execute(select(feeds).order_by(feeds.c.id)).mappings():
        by_outlet.setdefault(feed["outlet_id"], []).append(feed)
    days = window.total_seconds() / 86400
    query = select(outlets).order_by(outlets.c.name, outlets.c.id)
    return [
        _row(o, by_outlet.get(o["id"], []), recent.get(o["id"], 0) / days, errors.get(o["id"], {}))
        for o in conn.execute(query).mappings()
    ]


def _row(outlet: Row, fs: list[Row], per_day: float, errors: dict[str, int]) -> OutletHealth:
    # The feed that is worst off speaks for the outlet: failing first, then most failures.
    worst = max(fs, key=lambda f: (f["status"] == "failing", f["error_count"]), default=None)
    return OutletHealth(
        outlet_id=outlet["id"],
        name=outlet["name"],
        status=_status(bool(outlet["paused"]), fs, worst),
        feeds=len(fs),
        last_attempt=_latest(fs, "last_polled_at"),
        last_success=_latest(fs, "last_success_at"),
        last_new=_latest(fs, "last_new_at"),
        error_kind=None if worst is None else worst["last_error_kind"],
        error=None if worst is None else worst["last_error"],
        failures=0 if worst is None else int(worst["error_count"]),
        items_per_day=round(per_day, 1),
        next_poll=min((f["next_poll_at"] for f in fs if f["next_poll_at"]), default=None),
        errors=dict(sorted(errors.items())),
    )


def _status(paused: bool, fs: list[Row], worst: Row | None) -> str:
    if paused:
        return "paused"
    if worst is None or all(f["last_polled_at"] is None for f in fs):
        return "new"
    if worst["status"] == "failing":
        return "failing"
    if worst["last_error_kind"] is None:
        return "ok"
    # A failure that left the count at 0 was a 429/503 asking for time (SECURITY B5).
    return "error" if worst["error_count"] else "deferred"


def _latest(fs: list[Row], key: str) -> datetime | None:
    return max((f[key] for f in fs if f[key] is not None), default=None)
