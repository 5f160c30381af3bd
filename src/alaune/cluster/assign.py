"""Does a new article join an open story, or start one? One decision from four signals.

score = cosine(article, story centroid)                      the meaning, across fr/ar/en
      + entity_weight × min(1, shared names / entity_saturation)      same people, places
      + number_weight × min(1, shared figures / number_saturation)    same magnitude, amount
      − time_weight × min(1, hours outside the story's span / time_scale_hours)

A shared name or figure counts for the share of the story's articles that carry it.

The article joins the best story scoring ≥ `join`. Same-topic, different-event pairs (two
earthquakes, two matches of one team) have close embeddings (up to 0.65) but share no figures and
few names, and are often days apart: the three other terms keep them apart. A second story also
scoring ≥ `merge` is merged into the older one. Pure: `now` and the stories come in as arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from alaune.cluster.features import Features


@dataclass(frozen=True, slots=True)
class ClusterParams:
    """Clustering parameters, tuned on the demo corpus's train stories only."""

    join: float = 0.62
    entity_weight: float = 0.2
    number_weight: float = 0.45
    # Shared names (figures) at which their term is full: one shared name proves little.
    entity_saturation: int = 3
    number_saturation: int = 2
    time_weight: float = 0.4
    time_scale_hours: float = 24.0
    # A story with no new article for this long closes: later reports start a new story.
    quiet_hours: float = 48.0
    # Stories below this cosine are not scored further (most of the window, cheaply).
    min_cosine: float = 0.2
    shortlist: int = 12
    merge: float = 0.85


@dataclass(frozen=True, slots=True)
class ArticleSignals:
    """What clustering reads of one article."""

    vector: np.ndarray  # unit float32 embedding of title and lead
    features: Features
    published: datetime | None
    language: str = ""
    outlet: str = ""


@dataclass(frozen=True, slots=True)
class StoryView:
    """An open story as one decision sees it."""

    id: int
    cosine: float  # between the article and the story's centroid
    # Each name (figure) with the share of the story's articles that mention it: one wrongly
    # joined article then adds little, instead of widening the story for the next one.
    entities: Mapping[str, float]
    numbers: Mapping[str, float]
    first_at: datetime
    last_at: datetime


@dataclass(frozen=True, slots=True)
class Decision:
    """Join `story_id` (None: start a new story); `merged` stories fold into it."""

    story_id: int | None
    score: float
    merged: tuple[int, ...] = field(default=())


def score(article: ArticleSignals, story: StoryView, params: ClusterParams) -> float:
    """How strongly `article` belongs to `story` (see the module docstring)."""
    names = sum(story.entities.get(name, 0.0) for name in article.features.entities)
    figures = sum(story.numbers.get(figure, 0.0) for figure in article.features.numbers)
    value = story.cosine
    value += params.entity_weight * min(1.0, names / params.entity_saturation)
    value += params.number_weight * min(1.0, figures / params.number_saturation)
    value -= params.time_weight * min(1.0, _hours_outside(article, story) / params.time_scale_hours)
    return value


def _hours_outside(article: ArticleSignals, story: StoryView) -> float:
    if article.published is None:
        return 0.0
    if article.published < story.first_at:
        return (story.first_at - article.published) / timedelta(hours=1)
    if article.published > story.last_at:
        return (article.published - story.last_at) / timedelta(hours=1)
    return 0.0


def is_open(story: StoryView, now: datetime, params: ClusterParams) -> bool:
    """A story stays open until `quiet_hours` pass without a new article."""
    return now - story.last_at < timedelta(hours=params.quiet_hours)


def assign(
    article: ArticleSignals,
    open_stories: Iterable[StoryView],
    now: datetime,
    params: ClusterParams = ClusterParams(),
) -> Decision:
    """Join the best-scoring open story, or start a new one; merge the stories it bridges."""
    scored = sorted(
        ((score(article, s, params), s) for s in open_stories if is_open(s, now, params)),
        key=lambda pair: (-pair[0], pair[1].id),
    )
    if not scored or scored[0][0] < params.join:
        return Decision(None, scored[0][0] if scored else 0.0)
    bridged = [s for value, s in scored[1:] if value >= params.merge]
    if not bridged:
        return Decision(scored[0][1].id, scored[0][0])
    # A merge keeps the older (smaller) id; the others redirect to it.
    ids = sorted([scored[0][1].id, *(s.id for s in bridged)])
    return Decision(ids[0], scored[0][0], merged=tuple(ids[1:]))
