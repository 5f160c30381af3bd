"""A reader's image report, from the request to its consequence, in one write transaction.

The order matters: the image must exist; the window's key is fetched (and ended windows' keys
deleted, SECURITY F7); the reporter and its network are reduced to keyed hashes; rate limits are
counted on hashes too (per reporter, per network, site-wide, F1); the report is stored once per
reporter (a second report of the same image is a no-op); then the counts go to the pure policy
(alaune.moderation.policy) and its decision is applied and audited. No address or user agent
reaches the database or a log.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from alaune.config import Settings
from alaune.moderation import keys
from alaune.moderation.networks import Address, network_unit, reporter_unit
from alaune.moderation.policy import Decision, ReportCounts, Thresholds, decide
from alaune.store import audit, ratelimit, reports, secrets
from alaune.store import moderation as image_moderation
from alaune.store.engine import Database

HOUR = 3600.0
AUTO_HIDE = "auto_hide"
BREAKER = "breaker"
REPORTED_AFTER_APPROVAL = "reported_approved"


class Outcome(enum.Enum):
    COUNTED = "counted"
    REPEATED = "repeated"  # this reporter had already reported it in this window
    NOT_FOUND = "not_found"
    LIMITED = "limited"


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    decision: Decision | None = None
    retry_after: int = 0


def thresholds(settings: Settings) -> Thresholds:
    return Thresholds(
        reporters=settings.report_min_reporters,
        networks=settings.report_min_networks,
        hides_per_hour=settings.breaker_hides_per_hour,
        outlet_hides_per_hour=settings.breaker_outlet_hides_per_hour,
    )


def submit(
    db: Database,
    settings: Settings,
    *,
    image_id: int,
    client: Address,
    reason: str,
    now: datetime,
) -> Result:
    with db.write() as conn:
        state = image_moderation.state(conn, image_id)
        if state is None or not state.stored:
            return Result(Outcome.NOT_FOUND)
        window = keys.window_of(now, settings.report_window_days)
        secrets.drop_report_keys_before(conn, window)
        key = secrets.report_key(conn, window, now=now)
        limited = _rate_limited(conn, settings, key, client, now)
        if limited:
            return Result(Outcome.LIMITED, retry_after=limited)
        new = reports.add(
            conn,
            image_id=image_id,
            window=window,
            reporter_key=keys.keyed(key, "reporter", image_id, reporter_unit(client)),
            network_key=keys.keyed(key, "network", image_id, network_unit(client)),
            reason=_clean(reason),
            now=now,
        )
        if not new:
            return Result(Outcome.REPEATED)
        decision = _decide(conn, settings, state, window, now)
        _apply(conn, settings, state, decision, now)
        return Result(Outcome.COUNTED, decision)


def _rate_limited(
    conn: Connection, settings: Settings, key: bytes, client: Address, now: datetime
) -> int:
    """0 when the report may proceed, else the seconds to wait."""
    checks = (
        (
            "report-reporter",
            keys.rate_key(key, "reporter", reporter_unit(client)),
            settings.report_rate_per_hour,
        ),
        (
            "report-network",
            keys.rate_key(key, "network", network_unit(client)),
            settings.report_rate_per_hour,
        ),
        ("report-site", "all", settings.report_global_per_hour),
    )
    for scope, rate_key, limit in checks:
        verdict = ratelimit.hit(conn, scope, rate_key, now=now, period=HOUR, limit=limit)
        if not verdict.allowed:
            return verdict.retry_after
    return 0


def _decide(
    conn: Connection,
    settings: Settings,
    state: image_moderation.ImageState,
    window: int,
    now: datetime,
) -> Decision:
    counted = reports.counts(conn, state.id, window)
    since = now - timedelta(seconds=HOUR)
    counts = ReportCounts(
        reporters=counted.reporters,
        networks=counted.networks,
        approved=state.approved,
        hidden=state.hidden,
        hides_last_hour=audit.count_since(conn, AUTO_HIDE, since),
        outlet_hides_last_hour=(
            audit.count_since(conn, AUTO_HIDE, since, outlet_id=state.outlet_id)
            if state.outlet_id
            else 0
        ),
    )
    return decide(counts, thresholds(settings))


def _apply(
    conn: Connection,
    settings: Settings,
    state: image_moderation.ImageState,
    decision: Decision,
    now: datetime,
) -> None:
    details = {"outlet": state.outlet_id}
    if decision is Decision.HIDE:
        hidden = image_moderation.hide(
            conn,
            state.id,
            reason=image_moderation.REPORTS,
            now=now,
            max_distance=settings.phash_max_distance,
        )
        audit.record(
            conn,
            actor="readers",
            action=AUTO_HIDE,
            target_kind="image",
            target_id=state.id,
            now=now,
            details={**details, "also_hidden": hidden[1:]},
        )
    elif decision in (Decision.REVIEW_BREAKER, Decision.REVIEW_IMMUNE) and not state.needs_review:
        image_moderation.flag(conn, state.id)
        action = BREAKER if decision is Decision.REVIEW_BREAKER else REPORTED_AFTER_APPROVAL
        audit.record(
            conn,
            actor="system",
            action=action,
            target_kind="image",
            target_id=state.id,
            now=now,
            details=details,
        )


def _clean(reason: str) -> str:
    """A reason as text: control characters out, length capped (escaped where shown)."""
    kept = "".join(ch for ch in reason if ch.isprintable() or ch == " ")
    return " ".join(kept.split())[: reports.MAX_REASON]
