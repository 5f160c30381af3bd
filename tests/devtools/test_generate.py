"""`alaune dev generate`: realistic fr/ar/en articles, outlets and stories, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import func, select, text

from alaune.cli.main import cli
from alaune.store import articles as article_store
from alaune.store import search
from alaune.store.engine import Database
from alaune.store.schema import articles, outlets, stories


def _generate(db: Database, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--database", db.url, "dev", "generate", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _search_entry(db: Database, article_id: int) -> object:
    with db.read() as conn:
        if db.is_sqlite:
            query = "SELECT title || '|' || body FROM search_index WHERE rowid = :id"
        else:
            query = "SELECT document::text FROM search_index WHERE article_id = :id"
        return conn.execute(text(query), {"id": article_id}).scalar_one()


def test_generated_articles_stories_and_outlets(db: Database) -> None:
    output = _generate(db, "--articles", "60", "--outlets", "12")
    assert output.startswith("Added 60 articles in ")
    with db.read() as conn:
        rows = conn.execute(
            select(
                articles.c.id, articles.c.published_at, articles.c.language, articles.c.story_id
            ).order_by(articles.c.id)
        ).all()
        made = conn.execute(select(outlets.c.id, outlets.c.languages)).all()
        story_rows = conn.execute(select(stories)).mappings().all()
    assert len(rows) == 60
    assert [r.published_at for r in rows] == sorted(r.published_at for r in rows)  # id order
    assert all(r.published_at < datetime.now(UTC) for r in rows)
    assert {r.language for r in rows} == {"fr", "ar", "en"}
    assert len(made) == 12
    assert sorted(o.languages for o in made).count("ar") == 4  # languages in turn
    assert sum(s["article_count"] for s in story_rows) == 60
    for story in story_rows:
        members = [r for r in rows if r.story_id == story["id"]]
        assert len(members) == story["article_count"]
        assert story["first_article_id"] == members[0].id
        assert set(story["languages"].split(",")) == {m.language for m in members}


def test_search_entries_are_what_the_store_would_write(db: Database) -> None:
    _generate(db, "--articles", "30")
    with db.read() as conn:
        title = conn.execute(select(articles.c.title).where(articles.c.id == 7)).scalar_one()
    generated = {n: _search_entry(db, n) for n in (1, 7, 30)}
    with db.write() as conn:
        for article_id in generated:
            search.index_article(conn, article_id)
    assert {n: _search_entry(db, n) for n in generated} == generated
    word = max(title.split(), key=len)
    with db.read() as conn:
        found = search.search(conn, search.SearchQuery(text=word, limit=50))
    assert 7 in found.ids


def test_a_second_run_adds_after_the_first_and_ingestion_goes_on(db: Database) -> None:
    _generate(db, "--articles", "20")
    _generate(db, "--articles", "20")
    with db.read() as conn:
        count, last = conn.execute(select(func.count(), func.max(articles.c.id))).one()
        texts = conn.execute(select(articles.c.text).order_by(articles.c.id)).scalars().all()
    assert (count, last) == (40, 40)
    assert not set(texts[:20]) & set(texts[20:])  # the second run drew new texts
    with db.write() as conn:  # a crawler's insert takes the next id (PostgreSQL's sequence)
        new_id = article_store.add_article(
            conn,
            article_store.NewArticle(
                outlet_id="echo-atlas",
                canonical_url="https://echo-atlas.demo.invalid/new",
                url="https://echo-atlas.demo.invalid/new",
                title="Après la génération",
                language="fr",
                published_at=datetime.now(UTC),
                first_seen_at=datetime.now(UTC),
            ),
        )
    assert new_id == 41
    with db.read() as conn:
        story_ids = conn.execute(select(stories.c.id).order_by(stories.c.id)).scalars().all()
    assert story_ids == list(range(1, len(story_ids) + 1))  # its own story took the next id
