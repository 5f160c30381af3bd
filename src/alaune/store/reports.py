"""Reader reports of images, as counted: one row per (image, window, reporter key).

Only keyed hashes are stored (alaune.moderation.keys), with a capped reason and the time. `add`
says whether the report is new (a reader who reports twice counts once); `counts` returns the
distinct reporters and networks of an image in a window, what the policy decides on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from alaune.store.dialect import insert_new
from alaune.store.schema import image_reports

MAX_REASON = 500
KEY_PREFIX = 8  # what the admin queue shows of a reporter key


@dataclass(frozen=True, slots=True)
class Counts:
    reporters: int
    networks: int


@dataclass(frozen=True, slots=True)
class ReportLine:
    at: datetime
    reporter: str  # the first hex digits of the key: enough to see repeats, not to link images
    reason: str


def add(
    conn: Connection,
    *,
    image_id: int,
    window: int,
    reporter_key: str,
    network_key: str,
    reason: str,
    now: datetime,
) -> bool:
    return insert_new(
        conn,
        image_reports,
        {
            "image_id": image_id,
            "window": window,
            "reporter_key": reporter_key,
            "network_key": network_key,
            "reason": reason[:MAX_REASON],
            "at": now,
        },
    )


def counts(conn: Connection, image_id: int, window: int) -> Counts:
    row = conn.execute(
        select(
            func.count(func.distinct(image_reports.c.reporter_key)),
            func.count(func.distinct(image_reports.c.network_key)),
        ).where((image_reports.c.image_id == image_id) & (image_reports.c.window == window))
    ).one()
    return Counts(reporters=int(row[0]), networks=int(row[1]))


def lines(conn: Connection, image_id: int, *, limit: int = 20) -> list[ReportLine]:
    query = (
        select(image_reports.c.at, image_reports.c.reporter_key, image_reports.c.reason)
        .where(image_reports.c.image_id == image_id)
        .order_by(image_reports.c.id.desc())
        .limit(limit)
    )
    return [
        ReportLine(at=row.at, reporter=row.reporter_key[:KEY_PREFIX], reason=row.reason)
        for row in conn.execute(query)
    ]


def totals(conn: Connection, image_ids: list[int]) -> dict[int, int]:
    """Reports ever counted per image."""
    if not image_ids:
        return {}
    query = (
        select(image_reports.c.image_id, func.count())
        .where(image_reports.c.image_id.in_(image_ids))
        .group_by(image_reports.c.image_id)
    )
    return {int(image_id): int(n) for image_id, n in conn.execute(query)}
