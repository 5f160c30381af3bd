"""The history of polls: one row per poll of a feed, what health and the benchmarks read.

`record_polls` appends rows (many at once: a crawl batches the bookkeeping of its 304s);
`errors_by_kind` counts recent failures of polls per outlet and kind; `prune_polls` drops
history older than the retention setting.

The article pages a listing sends the crawler to are summed up in the same table, without a
table of their own: `record_pages` writes, for one listing, a `pages` row (`items` pages tried,
`new_items` stored) and one `page_error` row per failure kind (`items` pages that failed so),
under the feed that listed them; `page_tallies` sums them per outlet for health. Such rows are
not polls: `recent_polls` and `errors_by_kind` leave them out. They share the polls' index
(feed, time) and retention.

This module stores and counts; it must not decide what an outcome means for scheduling (that
is `alaune.ingest.schedule`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from alaune.store.schema import feeds, polls

#: What a poll came to: new listing read, 304, a failure, or a 429/503 asking for time.
POLL_OUTCOMES = ("ok", "not_modified", "error", "deferred")
#: The rows that sum up a listing's article pages (see the module's docstring).
PAGE_OUTCOMES = ("pages", "page_error")
OUTCOMES = POLL_OUTCOMES + PAGE_OUTCOMES


@dataclass(frozen=True, slots=True, kw_only=True)
class PollRecord:
    feed_id: int
    at: datetime
    outcome: str
    error_kind: str | None = None
    http_status: int | None = None
    items: int = 0
    new_items: int = 0
    duration_ms: int = 0

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"poll outcome {self.outcome!r} is not one of {OUTCOMES}")


def record_polls(conn: Connection, records: Sequence[PollRecord]) -> None:
    if records:
        conn.execute(insert(polls), [asdict(record) for record in records])


def recent_polls(conn: Connection, feed_id: int, *, limit: int = 20) -> list[PollRecord]:
    """A feed's latest polls, newest first (its pages' tallies left out)."""
    query = (
        select(polls)
        .where(polls.c.feed_id == feed_id, polls.c.outcome.in_(POLL_OUTCOMES))
        .order_by(polls.c.at.desc(), polls.c.id.desc())
        .limit(limit)
    )
    rows = conn.execute(query).mappings()
    return [PollRecord(**{k: v for k, v in row.items() if k != "id"}) for row in rows]


def errors_by_kind(conn: Connection, *, since: datetime) -> dict[str, dict[str, int]]:
    """outlet id → error kind → failed or deferred polls since `since` (pages left out)."""
    query = (
        select(feeds.c.outlet_id, polls.c.error_kind, func.count())
        .join(feeds, feeds.c.id == polls.c.feed_id)
        .where(
            polls.c.at >= since,
            polls.c.error_kind.is_not(None),
            polls.c.outcome.in_(POLL_OUTCOMES),
        )
        .group_by(feeds.c.outlet_id, polls.c.error_kind)
    )
    counts: dict[str, dict[str, int]] = {}
    for outlet_id, kind, count in conn.execute(query):
        counts.setdefault(outlet_id, {})[kind] = int(count)
    return counts


def prune_polls(conn: Connection, *, before: datetime) -> int:
    """Delete poll history older than `before`; returns how many rows went."""
    return conn.execute(delete(polls).where(polls.c.at < before)).rowcount


@dataclass(frozen=True, slots=True)
class PageTally:
    """Article pages: how many were tried, how many stored, and the failures by kind."""

    tried: int = 0
    stored: int = 0
    failed: dict[str, int] = field(default_factory=dict)  # error kind → pages

    @property
    def fetched(self) -> int:
        """Pages fetched and extracted (stored, or found to be known or removed meanwhile)."""
        return self.tried - sum(self.failed.values())


def record_pages(
    conn: Connection,
    *,
    outlet_id: str,
    feed_id: int | None,
    at: datetime,
    tally: PageTally,
    duration_ms: int = 0,
) -> bool:
    """Sum up one listing's article pages under `feed_id`, or, when the caller cannot say
    which feed listed them, under the outlet's first feed; False (nothing written) when the
    outlet has no feed or no page was tried."""
    if tally.tried <= 0:
        return False
    if feed_id is None:
        first = select(func.min(feeds.c.id)).where(feeds.c.outlet_id == outlet_id)
        feed_id = conn.execute(first).scalar()
        if feed_id is None:
            return False
    summary = PollRecord(
        feed_id=feed_id,
        at=at,
        outcome="pages",
        items=tally.tried,
        new_items=tally.stored,
        duration_ms=duration_ms,
    )
    failures = [
        PollRecord(feed_id=feed_id, at=at, outcome="page_error", error_kind=kind, items=count)
        for kind, count in sorted(tally.failed.items())
        if count > 0
    ]
    record_polls(conn, [summary, *failures])
    return True


def page_tallies(conn: Connection, *, since: datetime) -> dict[str, PageTally]:
    """outlet id → its article pages summed up since `since` (outlets with none left out)."""
    query = (
        select(
            feeds.c.outlet_id,
            polls.c.outcome,
            polls.c.error_kind,
            func.sum(polls.c["items"]),  # `c.items` is the collection's method
            func.sum(polls.c.new_items),
        )
        .join(feeds, feeds.c.id == polls.c.feed_id)
        .where(polls.c.at >= since, polls.c.outcome.in_(PAGE_OUTCOMES))
        .group_by(feeds.c.outlet_id, polls.c.outcome, polls.c.error_kind)
    )
    sums: dict[str, list[tuple[str, str | None, int, int]]] = {}
    for outlet_id, outcome, kind, items, stored in conn.execute(query):
        sums.setdefault(str(outlet_id), []).append((outcome, kind, int(items), int(stored)))
    return {outlet_id: _tally(rows) for outlet_id, rows in sums.items()}


def _tally(rows: Sequence[tuple[str, str | None, int, int]]) -> PageTally:
    """(outcome, error kind, items, new items) sums of one outlet, as a tally."""
    failed: Counter[str] = Counter()
    for outcome, kind, items, _ in rows:
        if outcome == "page_error":
            failed[kind or "unknown"] += items
    return PageTally(
        tried=sum(items for outcome, _, items, _ in rows if outcome == "pages"),
        stored=sum(stored for outcome, _, _, stored in rows if outcome == "pages"),
        failed=dict(sorted(failed.items())),
    )
