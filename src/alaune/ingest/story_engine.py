"""Dedupe then clustering, in memory: where one article goes. Shared by ingestion and `alaune eval`.

`StoryEngine.plan` reads an article's fingerprint against the recent ones (a copy joins its
original's story and counts once) and otherwise its embedding, names, figures and time against
the open stories; `commit` then updates the in-memory state once the caller has stored the
outcome (and, for a new story, given it an id). Splitting the two keeps memory and database in
step when a write fails. No I/O here: the database side is `ingest.stories`, the replay side
`cli.eval`. One engine must be driven by one caller at a time (see docs/clustering.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from alaune.cluster.assign import ArticleSignals, ClusterParams, Decision
from alaune.cluster.embeddings import embed, embedding_text
from alaune.cluster.features import Features, features
from alaune.cluster.window import StoryWindow
from alaune.dedupe.index import CopyIndex
from alaune.dedupe.keys import Fingerprint, fingerprint
from alaune.dedupe.match import CopyMatch, DedupeParams, find_original, prefer_agency

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class Report:
    """One article to place: `ref` is its id (the database's, or a record's position)."""

    ref: int
    title: str
    lead: str
    text: str
    published: datetime | None
    language: str = ""
    outlet: str = ""
    agency: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    """Where a report goes, decided but not yet applied."""

    report: Report
    fingerprint: Fingerprint
    copy: CopyMatch | None  # set when the report copies an indexed article
    becomes_original: bool  # an agency dispatch that takes over its copies' group
    story_id: int | None  # None: a new story starts
    decision: Decision | None  # None for copies
    signals: ArticleSignals | None  # None for copies

    @property
    def copy_of(self) -> int | None:
        return None if self.copy is None or self.becomes_original else self.copy.original


@dataclass(frozen=True, slots=True)
class Placement:
    """What `commit` did: the story, the copy link, and the stories and articles it changed."""

    ref: int
    story_id: int
    copy_of: int | None
    new_story: bool
    merged: tuple[int, ...] = ()
    repointed: tuple[int, ...] = ()  # articles whose original is now `ref`
    closed: tuple[int, ...] = field(default=())


class StoryEngine:
    """The in-memory state of dedupe and clustering: recent fingerprints and open stories."""

    def __init__(
        self,
        *,
        cluster: ClusterParams | None = None,
        dedupe: DedupeParams | None = None,
        embedder: Embed = embed,
    ) -> None:
        self.window = StoryWindow(cluster)
        self.index = CopyIndex()
        self.dedupe = dedupe or DedupeParams()
        self.embedder = embedder

    def signals(self, report: Report, vector: np.ndarray | None = None) -> ArticleSignals:
        """The clustering view of `report`, embedding it unless `vector` is given."""
        if vector is None:
            vector = self.embedder([embedding_text(report.title, report.lead, report.text)])[0]
        return ArticleSignals(
            vector=vector,
            features=self.features(report),
            published=report.published,
            language=report.language,
            outlet=report.outlet,
        )

    @staticmethod
    def features(report: Report) -> Features:
        return features(report.title, report.lead, report.text, language=report.language)

    def find_copy(self, report: Report) -> tuple[Fingerprint, CopyMatch | None]:
        fp = fingerprint(report.text, lead=report.lead)
        return fp, find_original(fp, self.index, self.dedupe)

    def plan(self, report: Report, *, now: datetime, vector: np.ndarray | None = None) -> Plan:
        """Decide where `report` goes; embeds it (unless `vector` is given) only if not a copy."""
        fp, match = self.find_copy(report)
        if match is not None:
            story = self.index.entry(match.original).tag
            takes_over = prefer_agency(match, self.index, agency=report.agency)
            return Plan(report, fp, match, takes_over, story, None, None)
        signals = self.signals(report, vector)
        decision = self.window.decide(signals, now)
        return Plan(report, fp, None, False, decision.story_id, decision, signals)

    def commit(self, plan: Plan, *, now: datetime, new_story_id: int | None = None) -> Placement:
        """Apply `plan`; `new_story_id` is required when the plan starts a story."""
        report = plan.report
        story_id, merged = plan.story_id, tuple[int, ...]()
        if plan.decision is not None and plan.signals is not None:
            if plan.story_id is None and new_story_id is None:
                raise ValueError("this plan starts a story: pass new_story_id")
            story_id = self.window.apply(
                plan.decision, plan.signals, new_id=new_story_id or 0, now=now
            )
            merged = plan.decision.merged
            for gone in merged:
                self.index.retag(gone, story_id)
        assert story_id is not None
        repointed: tuple[int, ...] = ()
        if plan.becomes_original and plan.copy is not None:
            repointed = tuple(self.index.group(plan.copy.original))
            for ref in repointed:
                self.index.set_root(ref, report.ref)
        self.index.add(
            report.ref,
            plan.fingerprint,
            root=plan.copy_of,
            agency=report.agency,
            tag=story_id,
        )
        closed = tuple(self.close_quiet(now))
        return Placement(
            report.ref,
            story_id,
            plan.copy_of,
            new_story=plan.decision is not None and plan.decision.story_id is None,
            merged=merged,
            repointed=repointed,
            closed=closed,
        )

    def place(self, report: Report, *, now: datetime, new_story_id: int) -> Placement:
        """`plan` then `commit` in one step (for replays, where ids cost nothing)."""
        return self.commit(self.plan(report, now=now), now=now, new_story_id=new_story_id)

    def restore(
        self,
        report: Report,
        fp: Fingerprint,
        *,
        story_id: int,
        copy_of: int | None,
        vector: np.ndarray | None,
        now: datetime,
    ) -> None:
        """Put back an article placed before a restart (oldest first), without deciding again."""
        if copy_of is None and vector is not None:
            signals = self.signals(report, vector)
            if story_id in self.window:
                self.window.add(story_id, signals, now=now)
            else:
                self.window.open(story_id, signals, now=now)
        if copy_of is not None and copy_of not in self.index:
            copy_of = None  # its original left the window: this copy stands for the group
        self.index.add(report.ref, fp, root=copy_of, agency=report.agency, tag=story_id)

    def close_quiet(self, now: datetime) -> list[int]:
        """Close quiet stories and forget their articles' fingerprints."""
        closed = self.window.close_quiet(now)
        for story_id in closed:
            self.index.remove_tagged(story_id)
        return closed

    def nbytes(self) -> int:
        return self.window.nbytes() + self.index.nbytes()
