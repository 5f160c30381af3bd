"""Joining, starting, closing and merging stories, with hand-made vectors (no model needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from alaune.cluster.assign import ArticleSignals, ClusterParams, StoryView, assign, score
from alaune.cluster.features import Features
from alaune.cluster.present import Member, headline, summarize
from alaune.cluster.rank import hotness
from alaune.cluster.window import StoryWindow

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
PARAMS = ClusterParams()


def unit(*weights: float) -> np.ndarray:
    vector = np.zeros(512, dtype=np.float32)
    vector[: len(weights)] = weights
    return vector / np.linalg.norm(vector)


def signals(
    vector: np.ndarray,
    *,
    hours: float = 0.0,
    names: tuple[str, ...] = (),
    figures: tuple[str, ...] = (),
) -> ArticleSignals:
    return ArticleSignals(
        vector, Features(frozenset(names), frozenset(figures)), T0 + timedelta(hours=hours)
    )


def view(cosine: float, *, names: tuple[str, ...] = (), figures: tuple[str, ...] = ()) -> StoryView:
    return StoryView(1, cosine, dict.fromkeys(names, 1.0), dict.fromkeys(figures, 1.0), T0, T0)


@pytest.mark.parametrize(
    ("case", "cosine", "names", "figures", "hours", "joins"),
    [
        (
            "same event in two languages: close meaning and the same figures",
            0.45,
            (),
            ("4.9", "13"),
            1,
            True,
        ),
        ("a near-identical report", 0.8, (), (), 0, True),
        ("same topic, other event: close meaning, nothing shared", 0.6, (), (), 2, False),
        ("same topic, other event two days later", 0.62, ("raja",), (), 60, False),
        ("one shared name is not enough", 0.5, ("maroc",), (), 0, False),
        (
            "same names and figures make up for a loose translation",
            0.35,
            ("ocp", "jorf", "lasfar"),
            ("27.4", "14", "3.6"),
            3,
            True,
        ),
    ],
)
def test_join_or_start(
    case: str,
    cosine: float,
    names: tuple[str, ...],
    figures: tuple[str, ...],
    hours: float,
    joins: bool,
) -> None:
    article = signals(unit(1), hours=hours, names=names, figures=figures)
    story = view(cosine, names=names, figures=figures)
    decision = assign(article, [story], T0 + timedelta(hours=hours), PARAMS)
    assert (decision.story_id == 1) == joins, (case, score(article, story, PARAMS))


def test_a_closed_story_is_not_joined() -> None:
    article = signals(unit(1), hours=PARAMS.quiet_hours + 1)
    late = T0 + timedelta(hours=PARAMS.quiet_hours + 1)
    assert assign(article, [view(0.95)], late, PARAMS).story_id is None


def test_a_window_places_closes_and_merges_keeping_the_older_id() -> None:
    window = StoryWindow(ClusterParams(merge=0.7))
    quake, match = unit(1, 0.1), unit(0.1, 1)
    window.open(10, signals(quake), now=T0)
    window.open(11, signals(match), now=T0)
    follow = signals(unit(1, 0.12), hours=1)
    decision = window.decide(follow, T0 + timedelta(hours=1))
    assert (decision.story_id, decision.merged) == (10, ())
    window.apply(decision, follow, new_id=12, now=T0 + timedelta(hours=1))
    # A report close to both stories bridges them: the older id is kept.
    window.open(13, signals(unit(1, 1)), now=T0)
    bridge = signals(unit(1, 1), hours=1)
    decision = window.decide(bridge, T0 + timedelta(hours=1))
    assert decision.story_id == 10
    assert set(decision.merged) == {11, 13}
    window.apply(decision, bridge, new_id=14, now=T0 + timedelta(hours=1))
    assert 11 not in window
    assert 13 not in window
    assert window.story(10).size == 5  # quake, follow, match, the bridged story, bridge
    assert window.close_quiet(T0 + timedelta(hours=PARAMS.quiet_hours + 2)) == [10]
    assert len(window) == 0


def test_the_shortlist_reuses_freed_rows() -> None:
    window = StoryWindow(capacity=2)
    for story_id in range(1, 6):
        window.open(story_id, signals(unit(story_id, 1)), now=T0)
    assert len(window.close_quiet(T0 + timedelta(hours=PARAMS.quiet_hours + 1))) == 5
    window.open(9, signals(unit(1), hours=100), now=T0 + timedelta(hours=100))
    views = window.shortlist(signals(unit(1), hours=100), T0 + timedelta(hours=100))
    assert [v.id for v in views] == [9]


def member(i: int, language: str, minutes: int, **extra: object) -> Member:
    return Member(
        article_id=i,
        outlet_id=f"o{i}",
        language=language,
        published_at=T0 + timedelta(minutes=minutes),
        title=f"title {i}",
        lead=f"lead {i}",
        **extra,  # type: ignore[arg-type]
    )


def test_a_story_shows_the_readers_language_when_it_has_one() -> None:
    members = [member(1, "fr", 0), member(2, "ar", 5), member(3, "ar", 1, copy_of=2)]
    assert headline(members, "ar").article_id == 2  # the copy never leads
    assert headline(members, "en").article_id == 1  # no English report: the first one
    summary = summarize(members)
    assert (summary.report_count, summary.article_count) == (2, 3)  # copies count once
    assert summary.outlet_count == 3
    assert summary.languages == ("ar", "fr")
    assert summary.first.article_id == 1


def test_an_agency_leads_a_tie() -> None:
    members = [member(1, "fr", 0), member(2, "fr", 0, agency=True)]
    assert summarize(members).first.article_id == 2


def test_hotness_rewards_breadth_languages_and_recency() -> None:
    base = hotness(outlets=3, languages=1, articles=3, last_at=T0)
    assert hotness(outlets=6, languages=1, articles=6, last_at=T0) > base
    assert hotness(outlets=3, languages=3, articles=3, last_at=T0) > base
    assert hotness(outlets=3, languages=1, articles=3, last_at=T0 + timedelta(hours=6)) > base
