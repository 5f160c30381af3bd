"""The open stories, in memory: centroids in one matrix, names, figures and time span per story.

One matrix row per story holds the sum of its articles' vectors, so an article is compared with
every open story in one matrix-vector product and only a shortlist is scored in full. Articles
themselves are not kept (their vectors are in the database to rebuild the window after a
restart). Stories close after `quiet_hours` without a new article and leave the window.
Pure state: no I/O, no clock (every call takes `now`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from alaune.cluster.assign import (
    ArticleSignals,
    ClusterParams,
    Decision,
    StoryView,
    assign,
)
from alaune.cluster.embeddings import DIMENSIONS

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _key(feature: str) -> int:
    # Python's string hash: stable within a process, which is all an in-memory tally needs.
    return hash(feature)


class Tally:
    """A multiset of features: sorted int64 hashes and how many articles carry each."""

    __slots__ = ("counts", "keys")

    def __init__(self, keys: np.ndarray | None = None, counts: np.ndarray | None = None) -> None:
        self.keys = keys if keys is not None else np.zeros(0, dtype=np.int64)
        self.counts = counts if counts is not None else np.zeros(0, dtype=np.uint16)

    @classmethod
    def of(cls, features: frozenset[str]) -> Tally:
        keys = np.unique(np.fromiter((_key(f) for f in features), dtype=np.int64))
        return cls(keys, np.ones(len(keys), dtype=np.uint16))

    def plus(self, other: Tally) -> Tally:
        keys, inverse = np.unique(np.concatenate([self.keys, other.keys]), return_inverse=True)
        weights = np.concatenate([self.counts, other.counts]).astype(np.float64)
        counts = np.bincount(inverse, weights=weights, minlength=len(keys))
        return Tally(keys, np.minimum(counts, 65_535).astype(np.uint16))

    def shares(self, features: frozenset[str], size: int) -> dict[str, float]:
        """For each of `features` the story carries: the share of its articles that do."""
        if not len(self.keys) or not features:
            return {}
        names = list(features)
        wanted = np.fromiter((_key(f) for f in names), dtype=np.int64, count=len(names))
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        found = self.keys[at] == wanted
        return {names[i]: float(self.counts[at[i]]) / size for i in np.flatnonzero(found).tolist()}

    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.counts.nbytes)


@dataclass(slots=True)
class OpenStory:
    """What the window keeps of one open story."""

    id: int
    row: int
    first_at: datetime
    last_at: datetime
    size: int = 0
    # Names and figures as sorted 64-bit hashes with how many articles carry each: 10 bytes
    # a feature instead of ~100 for a Counter of strings.
    entities: Tally = field(default_factory=lambda: Tally())
    numbers: Tally = field(default_factory=lambda: Tally())


class StoryWindow:
    """The open stories; `decide` then `apply` places one article."""

    def __init__(self, params: ClusterParams | None = None, capacity: int = 256) -> None:
        self.params = params or ClusterParams()
        self._sums = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
        self._norms = np.zeros(capacity, dtype=np.float32)
        self._last = np.full(capacity, -np.inf)  # hours since _EPOCH; -inf: free row
        self._ids = np.full(capacity, -1, dtype=np.int64)
        self._stories: dict[int, OpenStory] = {}
        self._free: list[int] = []
        self._used = 0

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, story_id: int) -> bool:
        return story_id in self._stories

    def story(self, story_id: int) -> OpenStory:
        return self._stories[story_id]

    def decide(self, article: ArticleSignals, now: datetime) -> Decision:
        """Where `article` goes (nothing changes until `apply`)."""
        return assign(article, self.shortlist(article, now), now, self.params)

    def shortlist(self, article: ArticleSignals, now: datetime) -> list[StoryView]:
        """The open stories closest in meaning to `article`, best first."""
        if not self._stories:
            return []
        rows = self._used
        cosines = (self._sums[:rows] @ article.vector) / np.maximum(self._norms[:rows], 1e-9)
        closed = self._last[:rows] <= _hours(now) - self.params.quiet_hours
        cosines[closed | (self._ids[:rows] < 0)] = -np.inf
        k = min(self.params.shortlist, rows)
        top = np.argpartition(-cosines, k - 1)[:k]
        top = top[np.argsort(-cosines[top])]
        views = []
        for row in top.tolist():
            if cosines[row] < self.params.min_cosine:
                break
            story = self._stories[int(self._ids[row])]
            views.append(
                StoryView(
                    story.id,
                    float(cosines[row]),
                    story.entities.shares(article.features.entities, story.size),
                    story.numbers.shares(article.features.numbers, story.size),
                    story.first_at,
                    story.last_at,
                )
            )
        return views

    def apply(
        self, decision: Decision, article: ArticleSignals, *, new_id: int, now: datetime
    ) -> int:
        """Carry out `decision`; `new_id` names the story if one starts. Returns the story id."""
        for gone in decision.merged:
            self.merge(decision.story_id or new_id, gone)
        if decision.story_id is None:
            self.open(new_id, article, now=now)
            return new_id
        self.add(decision.story_id, article, now=now)
        return decision.story_id

    def open(self, story_id: int, article: ArticleSignals, *, now: datetime) -> None:
        """Start a story with `article` as its first report."""
        if story_id in self._stories:
            raise ValueError(f"story {story_id} is already open")
        at = article.published or now
        row = self._free.pop() if self._free else self._grow()
        self._stories[story_id] = OpenStory(story_id, row, at, at)
        self._ids[row] = story_id
        self._sums[row] = 0
        self.add(story_id, article, now=now)

    def add(self, story_id: int, article: ArticleSignals, *, now: datetime) -> None:
        """Add `article`'s vector, names, figures and time to the story."""
        story = self._stories[story_id]
        at = article.published or now
        story.first_at, story.last_at = min(story.first_at, at), max(story.last_at, at)
        story.size += 1
        story.entities = story.entities.plus(Tally.of(article.features.entities))
        story.numbers = story.numbers.plus(Tally.of(article.features.numbers))
        self._sums[story.row] += article.vector
        self._norms[story.row] = np.linalg.norm(self._sums[story.row])
        self._last[story.row] = _hours(story.last_at)

    def merge(self, keep: int, gone: int) -> None:
        """Fold story `gone` into `keep` (the caller redirects `gone` to `keep`)."""
        a, b = self._stories[keep], self._stories.pop(gone)
        a.first_at, a.last_at = min(a.first_at, b.first_at), max(a.last_at, b.last_at)
        a.size += b.size
        a.entities = a.entities.plus(b.entities)
        a.numbers = a.numbers.plus(b.numbers)
        self._sums[a.row] += self._sums[b.row]
        self._norms[a.row] = np.linalg.norm(self._sums[a.row])
        self._last[a.row] = _hours(a.last_at)
        self._release(b.row)

    def close_quiet(self, now: datetime) -> list[int]:
        """Close the stories quiet for `quiet_hours`; returns their ids."""
        rows = np.flatnonzero(
            (self._ids[: self._used] >= 0)
            & (self._last[: self._used] <= _hours(now) - self.params.quiet_hours)
        )
        closed = [int(self._ids[row]) for row in rows.tolist()]
        for story_id in closed:
            self._release(self._stories.pop(story_id).row)
        return closed

    def nbytes(self) -> int:
        """Bytes held (each story's Python objects estimated at 400 bytes)."""
        arrays = self._sums.nbytes + self._norms.nbytes + self._last.nbytes + self._ids.nbytes
        tallies = sum(s.entities.nbytes() + s.numbers.nbytes() for s in self._stories.values())
        return arrays + tallies + 400 * len(self._stories)

    def vector_nbytes(self) -> int:
        """Bytes of the centroid matrix: the window's vectors, one row per story."""
        return int(self._sums.nbytes)

    def _grow(self) -> int:
        if self._used == len(self._ids):
            capacity = len(self._ids) + len(self._ids) // 2 + 1  # by half: slack costs memory
            self._sums = np.resize(self._sums, (capacity, DIMENSIONS))
            self._norms = np.resize(self._norms, capacity)
            self._last = np.concatenate([self._last, np.full(capacity - len(self._last), -np.inf)])
            self._ids = np.concatenate([self._ids, np.full(capacity - len(self._ids), -1)])
        self._used += 1
        return self._used - 1

    def _release(self, row: int) -> None:
        self._ids[row] = -1
        self._last[row] = -np.inf
        self._sums[row] = 0
        self._norms[row] = 0
        self._free.append(row)


def _hours(at: datetime) -> float:
    return (at - _EPOCH) / timedelta(hours=1)
