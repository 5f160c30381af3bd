"""Test data for the site's tests: outlets in three languages, articles stored as ingestion
stores them (each its own story of one, then the search index), and stories folded as
clustering folds them. Imported by conftest.py and the tests (a name no other folder uses)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update

from alaune.model import Outlet
from alaune.store import articles, outlets, search
from alaune.store import stories as story_store
from alaune.store.engine import Database
from alaune.store.schema import articles as articles_table

NOW = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)
FULL = Outlet(
    id="full", name="L'Écho", homepage="https://e.example/", languages=("fr",), policy="full"
)
EXCERPT = Outlet(id="ex", name="صدى", homepage="https://s.example/", languages=("ar",))
HERALD = Outlet(
    id="herald", name="The Herald", homepage="https://h.example/", languages=("en",), policy="full"
)
OUTLETS = (FULL, EXCERPT, HERALD)


class Newsroom:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.count = 0

    def add(
        self,
        outlet: Outlet = FULL,
        *,
        category: str = "",
        hours_ago: float | None = None,
        **changes: Any,
    ) -> int:
        self.count += 1
        n = self.count
        values: dict[str, Any] = {
            "outlet_id": outlet.id,
            "canonical_url": f"{outlet.homepage}a/{n}",
            "url": f"{outlet.homepage}a/{n}",
            "title": f"Titre {n}",
            "lead": f"Chapeau {n}",
            "text": "Premier paragraphe.\n\nDeuxième paragraphe.",
            "language": outlet.languages[0],
            "published_at": NOW - timedelta(hours=n if hours_ago is None else hours_ago),
            "first_seen_at": NOW,
            **changes,
        }
        with self.db.write() as conn:
            outlets.sync_outlets(conn, OUTLETS, now=NOW)
            new_id = articles.add_article(conn, articles.NewArticle(**values))
            assert new_id is not None
            if category:
                conn.execute(
                    update(articles_table)
                    .where(articles_table.c.id == new_id)
                    .values(category=category)
                )
            search.index_article(conn, new_id)
        return new_id

    def story(self, article_ids: list[int], *, title: str = "", hotness: float = 1.0) -> int:
        """Fold the articles into the story of the first, with facts as clustering saves them."""
        with self.db.write() as conn:
            first = story_store.clustering_input(conn, article_ids[0])
            assert first is not None
            for article_id in article_ids[1:]:
                story_store.move_article(conn, article_id, story_id=first.story_id)
            members = sorted(
                story_store.members(conn, first.story_id), key=lambda m: m.published_at
            )
            languages = tuple(dict.fromkeys(m.language for m in members))
            story_store.save_story(
                conn,
                first.story_id,
                story_store.StoryFacts(
                    title=title or members[0].title,
                    summary=members[0].lead,
                    language=members[0].language,
                    image_id=None,
                    languages=languages,
                    outlet_count=len({m.outlet_id for m in members}),
                    article_count=len(members),
                    first_article_id=members[0].article_id,
                    first_outlet_id=members[0].outlet_id,
                    first_at=members[0].published_at,
                    updated_at=members[-1].published_at,
                    hotness=hotness,
                ),
            )
        return first.story_id
