"""What a report count means: nothing yet, hide the image, or ask an admin.

`decide` is the whole policy, from numbers the store counted: distinct reporter keys and distinct
network keys in the current window, whether an admin approved the image (immunity: never hidden
automatically again, only queued), and how many automatic hides happened in the last hour across
the site and for the image's outlet (the circuit breaker against brigades, SECURITY F5). It
never deletes: the harshest outcome is a reversible hide.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Decision(enum.Enum):
    COUNTED = "counted"  # below the thresholds: counted, nothing else
    HIDE = "hide"  # hide everywhere, and queue for an admin
    REVIEW_IMMUNE = "review_immune"  # an admin approved it: queue, do not hide
    REVIEW_BREAKER = "review_breaker"  # the circuit breaker is open: queue, do not hide
    ALREADY_HIDDEN = "already_hidden"


@dataclass(frozen=True, slots=True)
class Thresholds:
    reporters: int = 3
    networks: int = 2
    hides_per_hour: int = 10
    outlet_hides_per_hour: int = 5


@dataclass(frozen=True, slots=True)
class ReportCounts:
    reporters: int
    networks: int
    approved: bool
    hidden: bool
    hides_last_hour: int
    outlet_hides_last_hour: int


def decide(counts: ReportCounts, thresholds: Thresholds) -> Decision:
    if counts.hidden:
        return Decision.ALREADY_HIDDEN
    if counts.reporters < thresholds.reporters or counts.networks < thresholds.networks:
        return Decision.COUNTED
    if counts.approved:
        return Decision.REVIEW_IMMUNE
    if breaker_open(counts, thresholds):
        return Decision.REVIEW_BREAKER
    return Decision.HIDE


def breaker_open(counts: ReportCounts, thresholds: Thresholds) -> bool:
    return (
        counts.hides_last_hour >= thresholds.hides_per_hour
        or counts.outlet_hides_last_hour >= thresholds.outlet_hides_per_hour
    )
