"""The scheduler's decisions, as named table cases over the pure `decide`.

No clock and no randomness: the poll's time and the jitter draw `u` are inputs, so every case
states exactly when the next poll comes. SECURITY B5 (Retry-After clamped, not a hard error)
and H6 / promise 6 (multiplicative, capped, jittered backoff; failing, never dropped; recovery
on the first success) are cases here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alaune.config import Settings
from alaune.errors import ConfigError
from alaune.ingest.schedule import (
    FAILING,
    OK,
    Bounds,
    Decision,
    FeedSchedule,
    Outcome,
    Result,
    decide,
)

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
BOUNDS = Bounds(
    start=900, minimum=300, maximum=14400, backoff_cap=21600, retry_after_max=21600, jitter=0.1
)
LEARNED = FeedSchedule(interval=1200.0)
NEW = FeedSchedule()


def outcome(result: Result = "ok", **fields: object) -> Outcome:
    return Outcome(at=T0, result=result, **fields)  # type: ignore[arg-type]


#: name → (state, outcome, u, expected delay in seconds, expected interval, reason)
SUCCESS = {
    "first_poll_keeps_the_start_interval": (
        NEW, outcome(items=50, new_items=50), 0.5, 900.0, 900.0, "learned"),
    "no_new_item_stretches_x1.25": (
        LEARNED, outcome(items=50, new_items=0), 0.5, 1500.0, 1500.0, "learned"),
    "not_modified_stretches_x1.25": (
        LEARNED, outcome("not_modified"), 0.5, 1500.0, 1500.0, "learned"),
    "some_new_items_shrink_x0.8": (
        LEARNED, outcome(items=50, new_items=5), 0.5, 960.0, 960.0, "learned"),
    "mostly_new_items_halve": (
        LEARNED, outcome(items=50, new_items=30), 0.5, 600.0, 600.0, "learned"),
    "never_below_the_minimum": (
        FeedSchedule(interval=400.0), outcome(items=10, new_items=10), 0.5, 300.0, 300.0,
        "learned"),
    "never_above_the_maximum": (
        FeedSchedule(interval=14000.0), outcome("not_modified"), 0.5, 14400.0, 14400.0,
        "learned"),
    "max_age_is_a_floor": (
        LEARNED, outcome("not_modified", fresh_for=3600.0), 0.5, 3600.0, 1500.0, "freshness"),
    "short_max_age_changes_nothing": (
        LEARNED, outcome("not_modified", fresh_for=60.0), 0.5, 1500.0, 1500.0, "learned"),
    "huge_ttl_is_capped_at_the_maximum": (
        LEARNED, outcome(items=5, fresh_for=10 * 86400.0), 0.5, 14400.0, 1500.0, "freshness"),
    "jitter_low_end": (LEARNED, outcome("not_modified"), 0.0, 1425.0, 1500.0, "learned"),
    "jitter_high_end": (LEARNED, outcome("not_modified"), 0.99, 1573.5, 1500.0, "learned"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("state", "polled", "u", "delay", "interval", "reason"), SUCCESS.values(), ids=SUCCESS.keys()
)
def test_success_learns_the_interval(
    state: FeedSchedule, polled: Outcome, u: float, delay: float, interval: float, reason: str
) -> None:
    decision = decide(BOUNDS, state, polled, u=u)
    assert decision.delay == pytest.approx(delay)
    assert decision.next_poll_at == T0 + timedelta(seconds=decision.delay)
    assert decision.schedule == FeedSchedule(interval, 0, OK)
    assert (decision.reason, decision.hard_error) == (reason, False)


#: SECURITY B5 — name → (status, Retry-After as parsed, u, expected delay)
DEFERRALS = {
    "retry_after_86400_is_clamped": (503, 86400.0, 0.0, 21600.0),
    "retry_after_86400_clamped_even_with_jitter": (429, 86400.0, 0.9, 21600.0),
    # parse_retry_after reads a date in the past as 0: the next poll still waits the minimum.
    "http_date_in_1990_waits_the_minimum": (503, 0.0, 0.0, 300.0),
    # "-5" and garbage are unreadable (None): the feed's own interval is used.
    "minus_5_uses_the_interval": (503, None, 0.0, 1200.0),
    "garbage_uses_the_interval": (429, None, 0.0, 1200.0),
    "reasonable_value_is_honoured": (429, 3600.0, 0.0, 3600.0),
    "jitter_only_adds_to_retry_after": (429, 3600.0, 0.5, 3780.0),
}


@pytest.mark.parametrize(
    ("status", "retry_after", "u", "delay"), DEFERRALS.values(), ids=DEFERRALS.keys()
)
def test_b5_retry_after_is_clamped_and_not_a_hard_error(
    status: int, retry_after: float | None, u: float, delay: float
) -> None:
    state = FeedSchedule(interval=1200.0, failures=2, status=OK)
    polled = outcome("error", http_status=status, retry_after=retry_after)
    decision = decide(BOUNDS, state, polled, u=u)
    assert decision.delay == pytest.approx(delay)
    assert BOUNDS.minimum <= decision.delay <= BOUNDS.retry_after_max
    assert decision.schedule == state  # failures and status untouched
    assert (decision.reason, decision.hard_error) == ("deferred", False)


def fail(state: FeedSchedule, u: float = 0.0, **fields: object) -> Decision:
    return decide(BOUNDS, state, outcome("error", **fields), u=u)


#: name → (failures before, u, expected delay, expected status)
BACKOFF = {
    "first_failure_doubles": (0, 0.0, 2400.0, OK),
    "second_failure_quadruples": (1, 0.0, 4800.0, OK),
    "third_failure_x8": (2, 0.0, 9600.0, OK),
    "fourth_failure_reaches_the_cap": (3, 0.0, 19200.0, OK),
    "fifth_failure_is_failing_at_the_cap": (4, 0.0, 21600.0, FAILING),
    "jitter_only_shortens": (0, 0.5, 2280.0, OK),
    "jitter_below_the_cap_when_failing": (10, 0.99, 21600.0 * (1 - 0.099), FAILING),
    "a_thousand_failures_stay_finite": (1000, 0.0, 21600.0, FAILING),
}


@pytest.mark.parametrize(("before", "u", "delay", "status"), BACKOFF.values(), ids=BACKOFF.keys())
def test_backoff_is_multiplicative_capped_and_jittered(
    before: int, u: float, delay: float, status: str
) -> None:
    state = FeedSchedule(1200.0, before, FAILING if before >= 5 else OK)
    decision = fail(state, u=u, http_status=404)
    assert decision.delay == pytest.approx(delay)
    assert decision.schedule == FeedSchedule(1200.0, before + 1, status)
    assert decision.hard_error


def test_h6_fifty_failures_then_recovery() -> None:
    """A source failing 50 times (404, DNS, TLS, HTML instead of a feed) is retried ever more
    slowly, never beyond the cap, marked failing, never dropped; the first success recovers it."""
    state = FeedSchedule(interval=900.0)
    delays = []
    for attempt in range(50):
        status = 404 if attempt % 4 == 0 else None
        decision = fail(state, u=(attempt * 0.37) % 1, http_status=status)
        delays.append(decision.delay)
        state = decision.schedule
    assert state.failures == 50
    assert state.status == FAILING
    assert max(delays) <= BOUNDS.backoff_cap
    assert min(delays[4:]) >= BOUNDS.backoff_cap * (1 - BOUNDS.jitter)  # slow, but still polled
    assert len(set(delays[4:])) > 1  # jittered: failing feeds do not come back in lockstep
    recovered = decide(BOUNDS, state, outcome(items=20, new_items=3), u=0.5)
    assert recovered.schedule == FeedSchedule(720.0, 0, OK)
    assert recovered.delay == pytest.approx(720.0)


def test_an_error_with_retry_after_waits_at_least_that_long() -> None:
    decision = fail(FeedSchedule(1200.0), http_status=500, retry_after=10000.0)
    assert decision.delay == pytest.approx(10000.0)
    assert decision.hard_error


def test_bounds_from_settings_and_their_checks() -> None:
    bounds = Bounds.from_settings(Settings(poll_interval_min=60.0, failing_after=3))
    assert (bounds.minimum, bounds.failing_after, bounds.start) == (60.0, 3, 900.0)
    with pytest.raises(ConfigError, match="poll_interval_min"):
        Bounds(minimum=600, maximum=300)
    with pytest.raises(ValueError, match="u must be"):
        decide(BOUNDS, NEW, outcome(), u=1.0)


#: name → (state, outcome, u, expected delay, expected interval): the outlet's `poll_interval`.
HINTED = {
    "the_hint_is_where_learning_starts": (
        FeedSchedule(hint=3600.0), outcome(items=50, new_items=50), 0.5, 3600.0, 3600.0),
    "new_items_never_shrink_below_the_hint": (
        FeedSchedule(interval=3600.0, hint=3600.0), outcome(items=50, new_items=40), 0.5,
        3600.0, 3600.0),
    "jitter_never_goes_below_the_hint": (
        FeedSchedule(interval=3600.0, hint=3600.0), outcome(items=50, new_items=40), 0.0,
        3600.0, 3600.0),
    "quiet_polls_stretch_beyond_the_hint": (
        FeedSchedule(interval=3600.0, hint=3600.0), outcome("not_modified"), 0.5, 4500.0, 4500.0),
    "a_hint_below_the_minimum_is_clamped": (
        FeedSchedule(hint=60.0), outcome(items=50, new_items=50), 0.5, 300.0, 300.0),
    "a_hint_above_the_maximum_is_clamped": (
        FeedSchedule(hint=86400.0), outcome(items=50, new_items=50), 0.5, 14400.0, 14400.0),
    "a_short_hint_lets_a_busy_feed_go_faster_than_the_start": (
        FeedSchedule(interval=600.0, hint=300.0), outcome(items=50, new_items=30), 0.5,
        300.0, 300.0),
}  # fmt: skip


@pytest.mark.parametrize(
    ("state", "polled", "u", "delay", "interval"), HINTED.values(), ids=HINTED.keys()
)
def test_the_outlets_hint_starts_and_floors_the_interval(
    state: FeedSchedule, polled: Outcome, u: float, delay: float, interval: float
) -> None:
    decision = decide(BOUNDS, state, polled, u=u)
    assert decision.delay == pytest.approx(delay)
    assert decision.schedule == FeedSchedule(interval, 0, OK, state.hint)


def test_backoff_keeps_the_hint() -> None:
    state = FeedSchedule(interval=3600.0, hint=3600.0)
    decision = decide(BOUNDS, state, outcome("error", http_status=500), u=0.0)
    assert decision.delay == pytest.approx(7200.0)
    assert decision.schedule == FeedSchedule(3600.0, 1, OK, 3600.0)
