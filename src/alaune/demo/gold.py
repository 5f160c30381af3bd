"""The demo corpus as evaluation records: the gold of the clustering and dedupe quality gates.

Each article becomes a `Record` with its gold story, wire-copy group, lead, agency flag and its
story's split ("train" or "heldout"). Times are minutes before a fixed origin. Pure: reads the
corpus files only.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alaune.demo.corpus import Corpus, load_corpus
from alaune.ingest.replay import Record

# The demo corpus dates articles in minutes before the demo starts; any fixed origin will do.
DEMO_NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def demo_records(corpus: Corpus | None = None) -> list[Record]:
    """The demo corpus as records, with leads, agencies and each story's split."""
    corpus = corpus or load_corpus()
    splits = {s.id: s.split for s in corpus.stories}
    groups = {key: sorted(g)[0] for g in corpus.wire_groups() for key in g}
    return [
        Record(
            id=a.key,
            lang=a.language,
            title=a.title,
            text=corpus.expected_text(a.key),
            published=DEMO_NOW - timedelta(minutes=a.minutes_ago),
            source=a.outlet,
            story_id=a.story_id,
            copy_group=groups.get(a.key),
            lead=a.lead,
            agency=corpus.outlet(a.outlet).agency,
            split=splits[a.story_id],
        )
        for a in corpus.articles
    ]
