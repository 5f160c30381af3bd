"""Hotness: how high a story stands on the home page.

hotness = log2(1 + outlets) + LANGUAGE_BONUS × (languages − 1) + log2(articles) / 2
          + hours since 2000-01-01 / HALF_LIFE_HOURS

Breadth counts most (outlets, then languages: a story told in fr, ar and en is bigger news than
one told three times in one language); copies count once. Time enters as an additive term, as in
Reddit's "hot" ranking, so stored scores never need recomputing: a story one `HALF_LIFE_HOURS`
newer is worth one more doubling of its outlets. Pure.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

HALF_LIFE_HOURS = 12.0
LANGUAGE_BONUS = 0.75
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def hotness(*, outlets: int, languages: int, articles: int, last_at: datetime) -> float:
    """The story's rank score (higher is hotter); see the module docstring."""
    breadth = math.log2(1 + max(outlets, 0)) + LANGUAGE_BONUS * max(languages - 1, 0)
    depth = math.log2(max(articles, 1)) / 2
    return breadth + depth + (last_at - _EPOCH) / timedelta(hours=HALF_LIFE_HOURS)
