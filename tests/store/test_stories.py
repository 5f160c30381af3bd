"""Stories in the store, through the ingestion hook: joins, copies, merges, restarts, reads."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import select

from alaune.ingest.stories import StoryModel, attach_to_story
from alaune.model import Outlet
from alaune.store import articles, outlets, tombstones
from alaune.store import stories as story_store
from alaune.store.engine import Database
from alaune.store.schema import articles as articles_table
from alaune.store.schema import stories as stories_table

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
OUTLETS = [
    Outlet(id="echo", name="L'Écho", homepage="https://echo.example/", languages=("fr",)),
    Outlet(id="sada", name="Sada", homepage="https://sada.example/", languages=("ar",)),
    Outlet(id="herald", name="Herald", homepage="https://herald.example/", languages=("en",)),
    Outlet(
        id="wire",
        name="Wire",
        homepage="https://wire.example/",
        languages=("fr",),
        agency=True,
    ),
]
QUAKE = (
    "Une secousse de magnitude 4,9 a été enregistrée mardi dans la province d'Al Haouz, sans "
    "faire de victimes, selon l'Institut national de géophysique. L'épicentre a été localisé "
    "dans la commune d'Ighil, à une profondeur de neuf kilomètres, a précisé l'institut, qui "
    "relève du Centre national pour la recherche scientifique et technique, dans un bulletin."
)


def fake_embed(texts: Sequence[str]) -> np.ndarray:
    """One direction per event: the title's first word ("Quake", "Derby") picks it."""
    rows = []
    for text in texts:
        seed = zlib.crc32(text.split()[0].strip(".").lower().encode())
        vector = np.random.default_rng(seed).standard_normal(512).astype(np.float32)
        rows.append(vector / np.linalg.norm(vector))
    return np.stack(rows)


def store(db: Database, n: int, outlet: str, title: str, *, minutes: int, **extra: str) -> int:
    language = {"echo": "fr", "sada": "ar", "herald": "en", "wire": "fr"}[outlet]
    article = articles.NewArticle(
        outlet_id=outlet,
        canonical_url=f"https://{outlet}.example/a/{n}",
        url=f"https://{outlet}.example/a/{n}",
        title=title,
        text=extra.get("text", f"Texte propre à l'article {n}. " * 12),
        lead=extra.get("lead", ""),
        language=language,
        published_at=NOW + timedelta(minutes=minutes),
        first_seen_at=NOW + timedelta(minutes=minutes),
    )
    with db.write() as conn:
        if conn.execute(select(articles_table.c.id).limit(1)).first() is None:
            outlets.sync_outlets(conn, OUTLETS, now=NOW)
        article_id = articles.add_article(conn, article)
    assert article_id is not None
    return article_id


def model() -> StoryModel:
    return StoryModel(embedder=fake_embed)


async def attach(db: Database, article_id: int, m: StoryModel, minutes: int = 0) -> int:
    placement = await attach_to_story(db, article_id, now=NOW + timedelta(minutes=minutes), model=m)
    assert placement is not None
    return placement.story_id


def story_ids(db: Database) -> list[int]:
    with db.read() as conn:
        return sorted(conn.execute(select(stories_table.c.id)).scalars())


async def test_reports_of_one_event_share_a_story_and_copies_count_once(db: Database) -> None:
    m = model()
    first = store(db, 1, "echo", "Quake in Al Haouz", minutes=0, text=QUAKE)
    story = await attach(db, first, m)
    second = store(db, 2, "sada", "Quake هزة أرضية في الحوز", minutes=20)
    copy = store(db, 3, "herald", "Quake: 4.9 tremor", minutes=30, text="Rabat - " + QUAKE)
    other = store(db, 4, "herald", "Derby: Raja beat Wydad 2-1", minutes=40)
    assert await attach(db, second, m, 20) == story
    assert await attach(db, copy, m, 30) == story
    assert await attach(db, other, m, 40) != story
    # The stories of one that `second` and `copy` were stored in are gone; ids are stable.
    assert story_ids(db) == [story, await attach_id(db, other)]
    with db.read() as conn:
        page = story_store.story_page(conn, story)
        keys = story_store.clustering_input(conn, copy)
    assert page is not None
    assert (page.story.article_count, page.story.report_count) == (3, 2)  # copies once
    assert page.story.outlet_count == 3
    assert page.story.languages == ("ar", "en", "fr")
    assert page.story.first_outlet_id == "echo"
    assert [a.id for a in page.timeline] == [first, second, copy]
    assert list(page.by_language) == ["fr", "ar", "en"]
    assert page.by_language["en"]["herald"][0].copy_of == first
    assert keys is not None
    assert keys.copy_of == first
    with db.read() as conn:
        titles = story_store.headlines(conn, [story], "ar")
    assert titles == {story: ("Quake هزة أرضية في الحوز", "")}
    assert keys.embedding is None  # a copy is never embedded
    assert keys.minhash is not None
    assert len(keys.content_hash) == 32


async def attach_id(db: Database, article_id: int) -> int:
    with db.read() as conn:
        row = story_store.clustering_input(conn, article_id)
    assert row is not None
    return row.story_id


async def test_attaching_twice_changes_nothing(db: Database) -> None:
    m = model()
    article = store(db, 1, "echo", "Quake in Al Haouz", minutes=0)
    both = await asyncio.gather(
        attach_to_story(db, article, now=NOW, model=m),
        attach_to_story(db, article, now=NOW, model=m),
    )
    assert sum(p is not None for p in both) == 1
    assert await attach_to_story(db, article, now=NOW, model=m) is None
    assert await attach_to_story(db, 999_999, now=NOW, model=m) is None


async def test_a_restart_rebuilds_the_open_window_from_the_database(db: Database) -> None:
    first = store(db, 1, "echo", "Quake in Al Haouz", minutes=0, text=QUAKE)
    story = await attach(db, first, model())
    restarted = model()  # a new process: nothing in memory
    later = store(db, 2, "sada", "Quake هزة أرضية", minutes=60)
    copy = store(db, 3, "herald", "Tremor", minutes=70, text=QUAKE)
    assert await attach(db, later, restarted, 60) == story
    assert await attach(db, copy, restarted, 70) == story
    assert restarted.engine.index.entry(copy).root == first


async def test_a_quiet_story_closes_and_a_late_report_starts_another(db: Database) -> None:
    m = model()
    first = store(db, 1, "echo", "Quake in Al Haouz", minutes=0)
    story = await attach(db, first, m)
    late_minutes = int(m.cluster.quiet_hours * 60) + 60
    late = store(db, 2, "sada", "Quake again", minutes=late_minutes)
    assert await attach(db, late, m, late_minutes) != story
    with db.read() as conn:
        status = conn.execute(
            select(stories_table.c.status).where(stories_table.c.id == story)
        ).scalar_one()
    assert status == "closed"


async def test_an_agency_dispatch_becomes_the_original_of_its_copies(db: Database) -> None:
    m = model()
    early = store(db, 1, "echo", "Quake in Al Haouz", minutes=0, text=QUAKE)
    await attach(db, early, m)
    dispatch = store(db, 2, "wire", "Quake", minutes=5, text=QUAKE)
    await attach(db, dispatch, m, 5)
    with db.read() as conn:
        early_row = story_store.clustering_input(conn, early)
        dispatch_row = story_store.clustering_input(conn, dispatch)
    assert early_row is not None
    assert dispatch_row is not None
    assert (early_row.copy_of, dispatch_row.copy_of) == (dispatch, None)


async def test_a_merge_keeps_the_older_id_and_redirects_the_other(db: Database) -> None:
    m = model()
    a = await attach(db, store(db, 1, "echo", "Quake in Al Haouz", minutes=0), m)
    b = await attach(db, store(db, 2, "herald", "Derby: Raja win", minutes=5), m, 5)
    with db.write() as conn:
        story_store.merge_stories(conn, keep=a, gone=b)
    with db.read() as conn:
        assert story_store.resolve(conn, b) == a
        page = story_store.story_page(conn, b)
        top = story_store.top_stories(conn)
    assert page is not None
    assert page.story.id == a
    assert len(page.timeline) == 2
    assert [s.id for s in top] == [a]


async def test_top_stories_rank_broad_coverage_first(db: Database) -> None:
    m = model()
    quake = await attach(db, store(db, 1, "echo", "Quake in Al Haouz", minutes=0), m)
    await attach(db, store(db, 2, "sada", "Quake هزة", minutes=5), m, 5)
    await attach(db, store(db, 3, "herald", "Quake hits", minutes=6), m, 6)
    derby = await attach(db, store(db, 4, "echo", "Derby: Raja win", minutes=10), m, 10)
    with db.read() as conn:
        top = story_store.top_stories(conn, limit=5)
    assert [s.id for s in top] == [quake, derby]
    assert top[0].hotness > top[1].hotness
    assert top[0].languages == ("ar", "en", "fr")


@pytest.mark.parametrize("missing", [0, 10**9])
async def test_reads_of_unknown_stories_say_none(db: Database, missing: int) -> None:
    with db.read() as conn:
        assert story_store.story_page(conn, missing) is None
        assert story_store.resolve(conn, missing) is None


async def test_removing_an_original_keeps_its_copies_and_their_story(db: Database) -> None:
    m = model()
    original = store(db, 1, "echo", "Quake in Al Haouz", minutes=0, text=QUAKE)
    story = await attach(db, original, m)
    copy = store(db, 2, "herald", "Tremor", minutes=5, text=QUAKE)
    await attach(db, copy, m, 5)
    with db.write() as conn:
        tombstones.remove_article(conn, original, reason="test", now=NOW)
    with db.read() as conn:
        row = story_store.clustering_input(conn, copy)
    assert row is not None
    assert (row.story_id, row.copy_of) == (story, None)


async def test_a_restart_closes_the_stories_that_went_quiet_meanwhile(db: Database) -> None:
    story = await attach(db, store(db, 1, "echo", "Quake in Al Haouz", minutes=0), model())
    restarted = model()
    restarted.load(db, now=NOW + timedelta(hours=restarted.cluster.quiet_hours + 1))
    with db.read() as conn:
        page = story_store.story_page(conn, story)
    assert page is not None
    assert page.story.status == "closed"
    assert len(restarted.engine.window) == 0


async def test_a_story_without_a_lead_is_summarized_from_its_first_reports_text(
    db: Database,
) -> None:
    """Placement reads members without their texts; the headline report's text is read alone
    when it has no lead, so the summary is still its first sentences."""
    m = model()
    story = await attach(db, store(db, 1, "echo", "Quake in Al Haouz", minutes=0, text=QUAKE), m)
    led = await attach(db, store(db, 2, "herald", "Derby", minutes=5, lead="A short lead."), m)
    with db.read() as conn:
        summaries = dict(conn.execute(select(stories_table.c.id, stories_table.c.summary)).all())
    assert summaries[story].startswith("Une secousse de magnitude 4,9 a été enregistrée mardi")
    assert summaries[led] == "A short lead."
