"""Outlet health: one row per outlet saying whether its polling works (issue 3, item 6).

`outlet_health(conn, now=…)` gathers, per outlet, from its feeds, the poll history and its
articles: last attempt, last success, last new article, the last error and how many polls in a
row failed, errors by kind over the window, items per day, the next poll and a status:
`paused`, `new` (never polled), `failing` (see `alaune.ingest.schedule`), `error` (the last poll
failed), `deferred` (the last poll was a 429/503 asking for time) or `ok`; and what became of
the images (lead and inline) its articles named, first seen in the window: stored, pending, and
rejected by kind (`images.reject_kind`: not_an_image, too_many_pixels, robots, http_status…);
and its article pages over the window: tried, stored, and failed by kind (fetch or extraction:
http_status, robots, timeout, parse_error…), from the `pages`/`page_error` rows of `polls`.
The CLI prints it and the admin area will show it. Read-only; it must not decide anything about
scheduling.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, RowMapping, func, select, union

from alaune.store.polls import PageTally, errors_by_kind, page_tallies
from alaune.store.schema import article_images, articles, feeds, images, outlets

WINDOW = timedelta(days=7)
Row = RowMapping


@dataclass(frozen=True, slots=True)
class ImageHealth:
    """What became of the images an outlet's articles named (each image counted once)."""

    stored: int = 0
    pending: int = 0
    rejected: dict[str, int] = field(default_factory=dict)  # reject kind → images

    @property
    def total(self) -> int:
        return self.stored + self.pending + sum(self.rejected.values())


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
    images: ImageHealth = field(default_factory=ImageHealth)  # first seen in the window
    pages: PageTally = field(default_factory=PageTally)  # article pages tried in the window


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
    pictures = image_health(conn, since=since)
    pages = page_tallies(conn, since=since)
    query = select(outlets).order_by(outlets.c.name, outlets.c.id)
    return [
        _row(
            o,
            by_outlet.get(o["id"], []),
            recent.get(o["id"], 0) / days,
            errors.get(o["id"], {}),
            pictures.get(o["id"], ImageHealth()),
            pages.get(o["id"], PageTally()),
        )
        for o in conn.execute(query).mappings()
    ]


def image_health(conn: Connection, *, since: datetime) -> dict[str, ImageHealth]:
    """Per outlet, the images its articles named (lead or inline) first seen since `since`, by
    status and reject kind; an image two outlets share counts for each."""
    named = union(
        select(articles.c.outlet_id, articles.c.image_id).where(articles.c.image_id.is_not(None)),
        select(articles.c.outlet_id, article_images.c.image_id).join(
            articles, articles.c.id == article_images.c.article_id
        ),
    ).subquery()
    query = (
        select(named.c.outlet_id, images.c.status, images.c.reject_kind, func.count())
        .join(images, images.c.id == named.c.image_id)
        .where(images.c.first_seen_at >= since)
        .group_by(named.c.outlet_id, images.c.status, images.c.reject_kind)
    )
    found: dict[str, list[tuple[str, str | None, int]]] = {}
    for outlet_id, status, kind, count in conn.execute(query):
        found.setdefault(str(outlet_id), []).append((str(status), kind, int(count)))
    return {outlet_id: _images(rows) for outlet_id, rows in found.items()}


def _images(rows: list[tuple[str, str | None, int]]) -> ImageHealth:
    """(status, reject kind, images) rows of one outlet, summed."""
    rejected: Counter[str] = Counter()
    for status, kind, count in rows:
        if status == "rejected":
            rejected[kind or "unknown"] += count
    return ImageHealth(
        stored=sum(count for status, _, count in rows if status == "stored"),
        pending=sum(count for status, _, count in rows if status == "pending"),
        rejected=dict(sorted(rejected.items())),
    )


def _row(
    outlet: Row,
    fs: list[Row],
    per_day: float,
    errors: dict[str, int],
    pictures: ImageHealth,
    pages: PageTally,
) -> OutletHealth:
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
        images=pictures,
        pages=pages,
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
