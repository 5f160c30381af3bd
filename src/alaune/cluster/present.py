"""What a story shows: its title and summary, lead image, first reporter and timeline.

Chosen from the story's reports: the title and summary of the first original report in the
reader's language when the story has one, else of the first original (an agency's dispatch is
preferred over another outlet's at the same time); the lead image of the first report that has
one; the first reporter is the earliest original. Copies never lead. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from alaune.cluster.features import first_sentences


@dataclass(frozen=True, slots=True)
class Member:
    """One report of a story, as presentation needs it."""

    article_id: int
    outlet_id: str
    language: str
    published_at: datetime
    title: str
    lead: str = ""
    text: str = ""
    copy_of: int | None = None
    image_id: int | None = None
    agency: bool = False


@dataclass(frozen=True, slots=True)
class Summary:
    """The facts a story row carries."""

    title: str
    summary: str
    language: str
    image_id: int | None
    languages: tuple[str, ...]
    outlet_count: int
    article_count: int  # every report
    report_count: int  # wire copies once
    first: Member
    last_at: datetime


def _order(member: Member) -> tuple[datetime, bool, int]:
    return (member.published_at, not member.agency, member.article_id)


def timeline(members: Sequence[Member]) -> list[Member]:
    """Reports oldest first (agency first on a tie)."""
    return sorted(members, key=_order)


def headline(members: Sequence[Member], language: str = "") -> Member:
    """The report whose title and summary the story shows to a reader of `language`."""
    ordered = timeline(members)
    originals = [m for m in ordered if m.copy_of is None] or ordered
    return next((m for m in originals if m.language == language), originals[0])


def summarize(members: Sequence[Member], language: str = "") -> Summary:
    """Everything a story row stores, from its reports (at least one)."""
    if not members:
        raise ValueError("a story has at least one report")
    ordered = timeline(members)
    originals = [m for m in ordered if m.copy_of is None] or ordered
    lead = headline(members, language)
    return Summary(
        title=lead.title,
        summary=lead.lead or first_sentences(lead.text),
        language=lead.language,
        image_id=next((m.image_id for m in ordered if m.image_id is not None), None),
        languages=tuple(sorted({m.language for m in members if m.language})),
        outlet_count=len({m.outlet_id for m in members}),
        article_count=len(members),
        report_count=len(originals),
        first=originals[0],
        last_at=ordered[-1].published_at,
    )
