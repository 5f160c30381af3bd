"""The ingestion hook: after an article is stored, fold it into its story.

    model = StoryModel()                        # one per process, kept for its lifetime
    await attach_to_story(db, article_id, now=clock(), model=model)

`attach_to_story` reads the article, checks it against recent fingerprints (a copy joins its
original's story and counts once), embeds the title and lead off the event loop (the loop's
thread pool, or the executor given to `StoryModel`, e.g. a process pool whose initializer is
`cluster.embeddings.limit_blas_threads`), then, holding the model's lock, decides, writes the
outcome in one transaction and only then updates the in-memory window. It is idempotent: an
article already clustered is left alone.

Serialization: one assigner at a time per process (an asyncio lock), so two reports of one event
arriving together cannot both start a story. Several processes must not cluster at once: in
scale-out, one consumer owns the `cluster` queue (see docs/clustering.md).
"""

from __future__ import annotations

import asyncio
import dataclasses
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import Connection

from alaune.cluster import embeddings, present, rank
from alaune.cluster.assign import ClusterParams
from alaune.dedupe.keys import Fingerprint
from alaune.dedupe.match import DedupeParams
from alaune.ingest.story_engine import Embed, Placement, Plan, Report, StoryEngine
from alaune.store import stories as story_store
from alaune.store.engine import Database


def embed_one(text: str) -> np.ndarray:
    """One text's vector: a module-level function, so that a process pool can run it."""
    vector: np.ndarray = embeddings.embed([text])[0]
    return vector


@dataclass
class StoryModel:
    """The process's clustering state: the engine, the lock that serializes it, the executor."""

    cluster: ClusterParams = field(default_factory=ClusterParams)
    dedupe: DedupeParams = field(default_factory=DedupeParams)
    embedder: Embed = embeddings.embed
    executor: Executor | None = None  # None: the event loop's default thread pool

    def __post_init__(self) -> None:
        self.engine = StoryEngine(cluster=self.cluster, dedupe=self.dedupe, embedder=self.embedder)
        self.lock = asyncio.Lock()
        self.loaded = False

    def load(self, db: Database, *, now: datetime) -> int:
        """Rebuild the open window from the database (after a start); returns articles read."""
        since = now - timedelta(hours=self.cluster.quiet_hours)
        with db.write() as conn:
            story_store.close_quiet_stories(conn, before=since)
            rows = story_store.open_window(conn, since=since)
        for row in rows:
            if row.minhash is None:
                continue
            vector = embeddings.from_bytes(row.embedding) if row.embedding else None
            self.engine.restore(
                _report(row),
                Fingerprint.from_bytes(row.content_hash, row.minhash),
                story_id=row.story_id,
                copy_of=row.copy_of,
                vector=vector,
                now=row.published_at,
            )
        self.engine.close_quiet(now)
        self.loaded = True
        return len(rows)

    async def embed(self, report: Report) -> np.ndarray:
        text = embeddings.embedding_text(report.title, report.lead, report.text)
        loop = asyncio.get_running_loop()
        if self.embedder is embeddings.embed:  # a module-level function: pickles for processes
            return await loop.run_in_executor(self.executor, embed_one, text)
        vectors = await loop.run_in_executor(self.executor, self.embedder, [text])
        vector: np.ndarray = vectors[0]
        return vector


def _report(row: story_store.ClusterInput) -> Report:
    return Report(
        ref=row.article_id,
        title=row.title,
        lead=row.lead,
        text=row.text,
        published=row.published_at,
        language=row.language,
        outlet=row.outlet_id,
        agency=row.agency,
    )


async def attach_to_story(
    db: Database, article_id: int, *, now: datetime, model: StoryModel
) -> Placement | None:
    """Fold a stored article into its story; None when it is unknown or already clustered."""
    async with model.lock:
        if not model.loaded:
            await asyncio.to_thread(model.load, db, now=now)
    with db.read() as conn:
        row = story_store.clustering_input(conn, article_id)
    if row is None or row.content_hash:
        return None
    report = _report(row)
    # Embedding is the slow part (~5 ms): done before taking the lock, and skipped for copies.
    _, copy = model.engine.find_copy(report)
    vector = None if copy is not None else await model.embed(report)
    async with model.lock:
        if article_id in model.engine.index:  # another call placed it while this one embedded
            return None
        # Decide at the article's own time: a crawl that meets a days-old report (a backfill,
        # an outlet's sitemap) must compare it with the stories of its day, not close those as
        # quiet because the wall clock has moved on. Real-time news has both times equal.
        at = min(now, row.published_at)
        plan = model.engine.plan(report, now=at, vector=vector)
        with db.write() as conn:
            story_id = _write(conn, plan, row, model)
        placement = model.engine.commit(plan, now=at, new_story_id=story_id)
        if placement.closed:
            with db.write() as conn:
                story_store.close_stories(conn, placement.closed)
    return placement


def _write(conn: Connection, plan: Plan, row: story_store.ClusterInput, model: StoryModel) -> int:
    """Store the plan's outcome; returns the article's story id."""
    article_id = row.article_id
    # A new story keeps the story of one the article was stored in, and so its id.
    target = plan.story_id if plan.story_id is not None else row.story_id
    for gone in plan.decision.merged if plan.decision is not None else ():
        story_store.merge_stories(conn, keep=target, gone=gone)
    story_store.move_article(conn, article_id, story_id=target, copy_of=plan.copy_of)
    if plan.becomes_original and plan.copy is not None:
        story_store.set_copy_of(conn, model.engine.index.group(plan.copy.original), article_id)
    vector = plan.signals.vector if plan.signals is not None else None
    story_store.save_keys(
        conn,
        article_id,
        content_hash=plan.fingerprint.content_hash,
        minhash=plan.fingerprint.to_bytes(),
        embedding=embeddings.to_bytes(vector) if vector is not None else None,
    )
    refresh_story(conn, target)
    return target


def refresh_story(conn: Connection, story_id: int) -> None:
    """Recompute what a story carries from its articles (counts, title, first report, hotness)."""
    reports = [
        present.Member(
            article_id=m.article_id,
            outlet_id=m.outlet_id,
            language=m.language,
            published_at=m.published_at,
            title=m.title,
            lead=m.lead,
            copy_of=m.copy_of,
            image_id=m.image_id,
            agency=m.agency,
        )
        for m in story_store.members(conn, story_id)
    ]
    if not reports:
        return
    # Only the headline report's text can be shown (as its summary, when it has no lead).
    lead = present.headline(reports)
    if not lead.lead:
        text = story_store.article_text(conn, lead.article_id)
        reports = [dataclasses.replace(m, text=text) if m is lead else m for m in reports]
    summary = present.summarize(reports)
    story_store.save_story(
        conn,
        story_id,
        story_store.StoryFacts(
            title=summary.title,
            summary=summary.summary,
            language=summary.language,
            image_id=summary.image_id,
            languages=summary.languages,
            outlet_count=summary.outlet_count,
            article_count=summary.article_count,
            report_count=summary.report_count,
            first_article_id=summary.first.article_id,
            first_outlet_id=summary.first.outlet_id,
            first_at=summary.first.published_at,
            updated_at=summary.last_at,
            hotness=rank.hotness(
                outlets=summary.outlet_count,
                languages=len(summary.languages),
                articles=summary.report_count,
                last_at=summary.last_at,
            ),
        ),
    )
