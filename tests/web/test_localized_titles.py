"""A story shows its title and summary in the reader's UI language when an outlet told it so."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alaune.store.coverage import StoryCard

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
CARD = StoryCard(
    id=1,
    title="سد يمتلئ",
    summary="ملخص",
    languages=("ar", "fr"),
    outlet_count=2,
    article_count=2,
    first_outlet_id="sada-rif",
    first_outlet_name="صدى الريف",
    first_published_at=NOW,
    updated_at=NOW,
    category="national",
    lead_article_id=1,
    localized=(("ar", "سد يمتلئ", "ملخص"), ("fr", "Le barrage se remplit", "Résumé")),
)


@pytest.mark.parametrize(
    ("language", "title", "summary"),
    [
        ("fr", "Le barrage se remplit", "Résumé"),
        ("ar", "سد يمتلئ", "ملخص"),
        ("en", "سد يمتلئ", "ملخص"),  # no English report: the story's own title
    ],
)
def test_title_and_summary_follow_the_ui_language(language: str, title: str, summary: str) -> None:
    assert (CARD.title_in(language), CARD.summary_in(language)) == (title, summary)
