"""What the moderation queue shows of each image: its state, counts, reports and appearances.

Reads only; the counts are those of the current counting window (what the policy decides on)
plus the total ever counted. Reasons are readers' text: templates escape them like any text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from alaune.config import Settings
from alaune.moderation.keys import window_of
from alaune.store import audit, reports
from alaune.store import moderation as image_moderation
from alaune.store.audit import AuditEntry

ALERT_ACTIONS = ("breaker", "reported_approved")


@dataclass(frozen=True, slots=True)
class QueueItem:
    state: image_moderation.ImageState
    reporters: int
    networks: int
    total_reports: int
    lines: list[reports.ReportLine]
    appearances: list[image_moderation.Appearance]


def item(conn: Connection, settings: Settings, image_id: int, now: datetime) -> QueueItem | None:
    state = image_moderation.state(conn, image_id)
    if state is None:
        return None
    counted = reports.counts(conn, image_id, window_of(now, settings.report_window_days))
    return QueueItem(
        state=state,
        reporters=counted.reporters,
        networks=counted.networks,
        total_reports=reports.totals(conn, [image_id]).get(image_id, 0),
        lines=reports.lines(conn, image_id),
        appearances=image_moderation.appearances(conn, image_id),
    )


def items(
    conn: Connection, settings: Settings, image_ids: list[int], now: datetime
) -> list[QueueItem]:
    found = (item(conn, settings, image_id, now) for image_id in dict.fromkeys(image_ids))
    return [entry for entry in found if entry is not None]


def alerts(conn: Connection, now: datetime) -> list[AuditEntry]:
    """Breaker trips and reports on approved images of the last day, newest first."""
    since = now - timedelta(days=1)
    return [
        entry
        for entry in audit.entries(conn, limit=200)
        if entry.action in ALERT_ACTIONS and entry.at >= since
    ]
