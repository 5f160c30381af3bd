"""The quality gate of issue 5: clustering and dedupe scores on the demo gold, floors pinned.

The demo corpus goes through the same dedupe and clustering code as ingestion (ingest.replay,
the real encoder) once per test session; floors and hard-negative groups are in floors.toml.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from alaune.demo.corpus import load_corpus
from alaune.demo.gold import demo_records
from alaune.ingest import replay

FLOORS = tomllib.loads((Path(__file__).with_name("floors.toml")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def run() -> tuple[list[replay.Record], list[replay.Outcome]]:
    records = demo_records()
    return records, replay.replay(records)


def test_clustering_meets_its_floors(run: tuple[Any, Any]) -> None:
    scores = replay.clustering_scores(*run)
    floors = FLOORS["clustering"]
    assert scores["bcubed"]["f1"] >= floors["bcubed_f1"], scores
    assert scores["bcubed_cross_language"]["f1"] >= floors["bcubed_f1_cross_language"], scores


def test_wire_copies_are_found_and_nothing_else(run: tuple[Any, Any]) -> None:
    scores = replay.dedupe_scores(*run)["pairwise"]
    assert scores["precision"] >= FLOORS["dedupe"]["pairwise_precision"], scores
    assert scores["recall"] >= FLOORS["dedupe"]["pairwise_recall"], scores


@pytest.mark.parametrize("group", FLOORS["hard_negatives"], ids=lambda g: g["why"])
def test_no_hard_negative_pair_is_joined(run: tuple[Any, Any], group: dict[str, Any]) -> None:
    records, outcomes = run
    gold_of_predicted: dict[int, set[str]] = defaultdict(set)
    for record, outcome in zip(records, outcomes, strict=True):
        if record.story_id in group["stories"]:
            gold_of_predicted[outcome.story_id].add(record.story_id)
    joined = [sorted(golds) for golds in gold_of_predicted.values() if len(golds) > 1]
    assert joined == [], group["why"]


def test_hard_negative_groups_name_real_stories() -> None:
    known = {story.id for story in load_corpus().stories}
    named = {story for group in FLOORS["hard_negatives"] for story in group["stories"]}
    assert named <= known
    assert len(FLOORS["hard_negatives"]) >= 10
