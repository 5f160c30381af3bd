"""Dates you can trust: one publication time from every source that states one, and which.

Sources, as they come: the feed item's date, the page's own statements (JSON-LD, meta tags,
`<time>`, from `alaune.extract.metadata`), the news sitemap's date, a date written in the URL
path (`/2026/11/28/`, day precision) and the time the article was first seen. `reconcile`:

1. drops what cannot be a publication time: later than `now` by more than `skew` (a scheduled
   post, a wrong zone, "9999-12-31"); within `skew` it is clamped to `first_seen`, since
   nothing is published after we first saw it;
2. lets the sources vote: a source agrees with another when their times are within
   `AGREEMENT` (a day-precision URL date agrees with any time on the same day ±1 day,
   in the outlet's zone);
3. keeps the most agreed-on candidate; ties go to the more precise and more reliable source,
   in `RANK` order (the page's structured data, then the listings, then `<time>`, then the
   URL); a URL date alone becomes noon that day in the outlet's zone, or `first_seen` if earlier;
4. with no candidate left, uses `first_seen`. The answer is never later than `first_seen`.

The update time is the page's modification time when it lies between the publication and `now`.
Pure: `now` and `first_seen` are arguments, never read from the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from alaune.text.dates import CASABLANCA, MIN_YEAR

AGREEMENT = timedelta(hours=36)
DEFAULT_SKEW = timedelta(hours=14)  # the widest UTC offset a wrong zone can add
# Most reliable first: what the publisher states in structured data, then its listings.
RANK = ("json-ld", "meta", "sitemap", "feed", "time", "url")
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)(?:/|-|_)?(0[1-9]|1[0-2])(?:/|-|_)?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
)


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """Everything known about when an article was published."""

    first_seen: datetime
    feed: datetime | None = None
    sitemap: datetime | None = None
    page: tuple[tuple[str, datetime], ...] = ()  # ("json-ld" | "meta" | "time", time)
    page_modified: datetime | None = None
    url: str = ""


@dataclass(frozen=True, slots=True)
class TrustedDate:
    published: datetime  # aware UTC
    source: str  # one of RANK, or "first_seen"
    updated: datetime | None = None


def url_date(url: str) -> date | None:
    """The date written in a URL's path ("/2026/11/28/", "/20261128-", "/2026-11-28/")."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[-1]
    path = path[path.find("/") :] if "/" in path else ""
    for match in _URL_DATE.finditer(path):
        try:
            found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
        if found.year >= MIN_YEAR:
            return found
    return None


def reconcile(
    evidence: DateEvidence,
    *,
    now: datetime,
    zone: tzinfo = CASABLANCA,
    skew: timedelta = DEFAULT_SKEW,
) -> TrustedDate:
    """The publication time to trust, where it came from, and the update time if any."""
    first_seen = min(evidence.first_seen, now).astimezone(UTC)
    stated: list[tuple[str, datetime]] = [(s, t) for s, t in evidence.page]
    stated += [(s, t) for s, t in (("feed", evidence.feed), ("sitemap", evidence.sitemap)) if t]
    precise = [
        (source, min(moment, first_seen).astimezone(UTC))
        for source, moment in stated
        if source in RANK and moment.year >= MIN_YEAR and moment <= now + skew
    ]
    day = url_date(evidence.url)
    if day is not None and day > now.astimezone(zone).date():
        day = None
    source, moment = _vote(precise, day, zone)
    if moment is not None:
        published = moment
    elif source == "url" and day is not None:
        noon = datetime.combine(day, time(12), tzinfo=zone).astimezone(UTC)
        published = min(noon, first_seen)
    else:
        published, source = first_seen, "first_seen"
    modified = evidence.page_modified
    updated = modified.astimezone(UTC) if modified and published < modified <= now else None
    return TrustedDate(published=published, source=source, updated=updated)


def _vote(
    precise: list[tuple[str, datetime]], day: date | None, zone: tzinfo
) -> tuple[str, datetime | None]:
    """The candidate most others agree with, ties to the better-ranked source; the URL's day
    comes back with no time; ("", None) when there is no candidate at all."""
    candidates: list[tuple[str, datetime | None]] = [*precise]
    if day is not None:
        candidates.append(("url", None))
    if not candidates:
        return "", None

    def agrees(a: tuple[str, datetime | None], b: tuple[str, datetime | None]) -> bool:
        if a[1] is not None and b[1] is not None:
            return abs(a[1] - b[1]) <= AGREEMENT
        moment = a[1] if a[1] is not None else b[1]
        return moment is None or (
            day is not None and abs((moment.astimezone(zone).date() - day).days) <= 1
        )

    def support(candidate: tuple[str, datetime | None]) -> tuple[int, int]:
        votes = sum(agrees(candidate, other) for other in candidates if other is not candidate)
        return votes, -RANK.index(candidate[0])

    return max(candidates, key=support)
