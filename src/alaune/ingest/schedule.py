"""When to poll a feed next: a pure decider over the feed's history and the last poll's outcome.

`decide(bounds, state, outcome, u=…)` returns the next poll time and the feed's new state. Like
lemon24/reader's `Decider`, it does not interact with any dependency, only processes data: the
poll's time is `outcome.at` and the jitter's randomness is `u` in [0, 1), both passed in, so
every branch is a table test. The rules:

- **Learned interval.** Each feed keeps an interval, starting at `bounds.start`. A poll with no
  new item (or a 304) stretches it ×1.25; a poll where some items are new shrinks it ×0.8, and
  ×0.5 when at least half the listing is new (items may be scrolling off before we see them).
  The first poll is not evidence (everything is new), so it keeps the start interval. Always
  within [`minimum`, `maximum`].
- **The outlet's hint.** A registry entry's `poll_interval` (`state.hint`) is where learning
  starts instead of `bounds.start`, and a floor: an outlet that says it changes every 30
  minutes is never polled more often than that, though quiet polls may stretch the interval
  beyond it. The hint is clamped to [`minimum`, `maximum`] like everything else.
- **Freshness.** Cache-Control max-age, Expires or an RSS `<ttl>` (`outcome.fresh_for`) is a
  floor: we do not come back before the server says its answer may change, up to `maximum`.
- **Deferral (SECURITY B5).** A 429 or 503 asks us to come back later, not to give up: the delay
  is its Retry-After (or the interval when that is absent or unreadable), clamped to
  [`minimum`, `retry_after_max`]; it is not a hard error, so failures and status are unchanged.
- **Backoff (promise 6).** Any other error doubles the wait per consecutive failure, from the
  interval up to `backoff_cap`; after `failing_after` failures the status is `failing` and the
  feed is retried every `backoff_cap`, never dropped. The first success resets both.
- **Jitter.** Every delay is spread by up to `jitter` of itself (downwards for backoff, so the
  cap holds; upwards for deferral, so Retry-After holds) so that feeds that failed together do
  not all come back in the same second.

It must not read the clock, draw random numbers, or know how polls are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from alaune.config import Settings
from alaune.errors import ConfigError

OK, FAILING = "ok", "failing"
#: Statuses whose error asks us to come back later rather than counting as a failure.
DEFERRING_STATUSES = frozenset({429, 503})

Result = Literal["ok", "not_modified", "error"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Bounds:
    """The scheduler's settings, in seconds (see docs/config.md)."""

    start: float = 900.0
    minimum: float = 300.0
    maximum: float = 14400.0
    backoff_cap: float = 21600.0
    retry_after_max: float = 21600.0
    failing_after: int = 5
    jitter: float = 0.1

    def __post_init__(self) -> None:
        # ConfigError: these come from the settings, and the CLI reports settings errors.
        if not 0 < self.minimum <= self.maximum:
            raise ConfigError(f"need 0 < poll_interval_min ≤ poll_interval_max: {self}")
        if self.backoff_cap < self.minimum or self.retry_after_max < self.minimum:
            raise ConfigError(
                f"backoff_cap and retry_after_max must be ≥ poll_interval_min: {self}"
            )
        if self.failing_after < 1 or not 0 <= self.jitter < 1:
            raise ConfigError(f"need failing_after ≥ 1 and 0 ≤ jitter < 1: {self}")

    @classmethod
    def from_settings(cls, settings: Settings) -> Bounds:
        """The bounds of the settings table (`crawl_interval`, `poll_interval_*`, …)."""
        return cls(
            start=settings.crawl_interval,
            minimum=settings.poll_interval_min,
            maximum=settings.poll_interval_max,
            backoff_cap=settings.backoff_cap,
            retry_after_max=settings.retry_after_max,
            failing_after=settings.failing_after,
        )

    def clamp(self, seconds: float) -> float:
        return min(self.maximum, max(self.minimum, seconds))


@dataclass(frozen=True, slots=True)
class FeedSchedule:
    """What the scheduler remembers of a feed between polls."""

    interval: float | None = None  # None: never polled successfully yet
    failures: int = 0  # consecutive hard failures
    status: str = OK
    hint: float | None = None  # the outlet's `poll_interval`, if its registry entry gives one


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What one poll found."""

    at: datetime
    result: Result
    items: int = 0
    new_items: int = 0
    http_status: int | None = None
    retry_after: float | None = None  # seconds, as `parse_retry_after` read it
    fresh_for: float | None = None  # seconds the response says it stays current


@dataclass(frozen=True, slots=True)
class Decision:
    next_poll_at: datetime
    delay: float
    schedule: FeedSchedule
    reason: str  # learned | freshness | deferred | backoff | failing
    hard_error: bool


def is_deferral(outcome: Outcome) -> bool:
    """A 429/503: the server asks for time (RFC 9110 §15.5.20, §15.6.4), not a failure."""
    return outcome.result == "error" and outcome.http_status in DEFERRING_STATUSES


def decide(bounds: Bounds, state: FeedSchedule, outcome: Outcome, *, u: float) -> Decision:
    """The next poll of a feed in `state` after `outcome`; `u` in [0, 1) drives the jitter."""
    if not 0 <= u < 1:
        raise ValueError(f"u must be in [0, 1), not {u}")
    start = state.hint if state.hint is not None else bounds.start
    interval = state.interval if state.interval is not None else bounds.clamp(start)
    floor = bounds.clamp(state.hint) if state.hint is not None else bounds.minimum
    if is_deferral(outcome):
        wanted = outcome.retry_after if outcome.retry_after is not None else interval
        limit = bounds.retry_after_max
        delay = min(limit, max(bounds.minimum, wanted) * (1 + bounds.jitter * u))
        return _decision(outcome, delay, state, "deferred", hard=False)
    if outcome.result == "error":
        return _backoff(bounds, state, interval, outcome, u)
    learned = _learn(bounds, state.interval, interval, outcome, floor)
    delay, reason = learned, "learned"
    if outcome.fresh_for is not None and outcome.fresh_for > delay:
        delay, reason = min(bounds.maximum, outcome.fresh_for), "freshness"
    spread = delay * (1 + bounds.jitter * (u - 0.5))
    delay = min(bounds.maximum, max(floor, spread))
    learnt = FeedSchedule(learned, 0, OK, state.hint)
    return _decision(outcome, delay, learnt, reason, hard=False)


def _learn(
    bounds: Bounds, previous: float | None, interval: float, outcome: Outcome, floor: float
) -> float:
    if previous is None:
        return max(floor, interval)  # a first poll lists everything as new: no rate known yet
    if outcome.new_items <= 0:
        factor = 1.25
    elif outcome.new_items * 2 >= outcome.items:
        factor = 0.5
    else:
        factor = 0.8
    return min(bounds.maximum, max(floor, interval * factor))


def _backoff(
    bounds: Bounds, state: FeedSchedule, interval: float, outcome: Outcome, u: float
) -> Decision:
    failures = state.failures + 1
    status = FAILING if failures >= bounds.failing_after else state.status
    if status == FAILING:
        delay, reason = bounds.backoff_cap, "failing"
    else:
        # Exponent capped so the float stays finite however long a feed has been failing.
        delay, reason = min(bounds.backoff_cap, interval * 2.0 ** min(failures, 32)), "backoff"
    if outcome.retry_after is not None:  # e.g. a 500 with Retry-After: honour it, clamped
        delay = max(delay, min(bounds.retry_after_max, outcome.retry_after))
    delay = max(bounds.minimum, delay * (1 - bounds.jitter * u))
    failed = FeedSchedule(state.interval, failures, status, state.hint)
    return _decision(outcome, delay, failed, reason, True)


def _decision(
    outcome: Outcome, delay: float, schedule: FeedSchedule, reason: str, hard: bool
) -> Decision:
    return Decision(outcome.at + timedelta(seconds=delay), delay, schedule, reason, hard)
