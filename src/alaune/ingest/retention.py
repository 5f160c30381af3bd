"""Retention: prune raw HTML, old articles and poll history past their configured age, the
report keys of ended counting windows with idle rate counters, and the stage timings `/metrics`
reads once they are older than `store.timings.KEEP` (two days; not a setting).

`prune(db, policy, now=…)` runs the store's pruning functions in short batches (one transaction
each, so the site and the crawler keep writing meanwhile) and says what went; `Pruner` runs it
at most once per `every` from the crawl loop. A retention of 0 days keeps that kind forever.
Removed articles are tombstoned by the store, so feeds that still list them cannot bring them
back. This module must not decide what the settings are, nor run on its own schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from alaune.config import Settings
from alaune.moderation.keys import window_of
from alaune.store import polls, ratelimit, retention, secrets, timings
from alaune.store.engine import Database


@dataclass(frozen=True, slots=True, kw_only=True)
class RetentionPolicy:
    """Days to keep each kind of data; 0 keeps it forever."""

    raw_html_days: float = 30.0
    articles_days: float = 0.0
    polls_days: float = 30.0
    report_window_days: float = 7.0  # report keys die with their window (SECURITY F7)

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        return cls(
            raw_html_days=settings.retention_raw_html_days,
            articles_days=settings.retention_articles_days,
            polls_days=settings.retention_polls_days,
            report_window_days=settings.report_window_days,
        )


@dataclass(frozen=True, slots=True)
class Pruned:
    raw_html: int = 0
    articles: int = 0
    polls: int = 0
    report_keys: int = 0
    stage_timings: int = 0


def prune(db: Database, policy: RetentionPolicy, *, now: datetime) -> Pruned:
    """Apply `policy` as of `now`; returns how many pages, articles and polls were pruned."""

    def before(days: float) -> datetime:
        return now - timedelta(days=days)

    pruned = Pruned()
    if policy.articles_days > 0:
        step = partial(retention.prune_articles, before=before(policy.articles_days), now=now)
        pruned = replace(pruned, articles=_batches(db, step))
    if policy.raw_html_days > 0:
        step = partial(retention.prune_raw_html, before=before(policy.raw_html_days))
        pruned = replace(pruned, raw_html=_batches(db, step))
    if policy.polls_days > 0:
        with db.write() as conn:
            count = polls.prune_polls(conn, before=before(policy.polls_days))
        pruned = replace(pruned, polls=count)
    with db.write() as conn:
        # Keys of ended counting windows go even when nobody reports: no stored reporter key
        # may be recomputable from an address once its window is over.
        keys = secrets.drop_report_keys_before(conn, window_of(now, policy.report_window_days))
        ratelimit.prune(conn, now=now)
        stages = timings.prune(conn, before=now - timings.KEEP)
    return replace(pruned, report_keys=keys, stage_timings=stages)


def _batches(db: Database, step: retention.Step) -> int:
    total = 0
    while True:
        with db.write() as conn:
            done = step(conn)
        total += done
        if done < retention.BATCH:
            return total


class Pruner:
    """Runs `prune` when at least `every` has passed since the last run (the first call runs)."""

    def __init__(
        self, db: Database, policy: RetentionPolicy, *, every: timedelta = timedelta(hours=1)
    ) -> None:
        self.db = db
        self.policy = policy
        self.every = every
        self._last: datetime | None = None

    def maybe_run(self, now: datetime) -> Pruned | None:
        if self._last is not None and now - self._last < self.every:
            return None
        self._last = now
        return prune(self.db, self.policy, now=now)
