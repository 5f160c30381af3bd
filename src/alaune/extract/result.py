"""`Extraction`: everything read from one article page, richer than `alaune.model.Extracted`.

The body is kept as blocks (`alaune.extract.blocks`) so that a site template can drop some and
the text, HTML, word count and reading time stay consistent: `with_blocks` derives them again.
`to_extracted` gives the pipeline's `Extracted`. Plain data; no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime

from alaune.extract.blocks import Block, plain_text, render_html
from alaune.model import Extracted

# Reading speed in words per minute: ~200–250 for adults reading news in French or English;
# Arabic is read slower per word (longer words carry clitics), ~180.
WORDS_PER_MINUTE = {"ar": 180}
DEFAULT_WPM = 200


@dataclass(frozen=True, slots=True)
class Extraction:
    """What extraction reads from one article page, before and after a site template."""

    url: str
    title: str
    blocks: tuple[Block, ...]
    text: str = ""  # plain text, paragraphs separated by a blank line
    html: str = ""  # the same, as sanitized HTML (no images: see blocks.py)
    lead: str = ""
    authors: tuple[str, ...] = ()
    # The page's own statements of its publication time, per source ("json-ld", "meta",
    # "time"), best first; `alaune.extract.dates.reconcile` weighs them against the others.
    page_dates: tuple[tuple[str, datetime], ...] = ()
    updated: datetime | None = None
    image_url: str = ""
    # Pictures inside the body, in page order, the lead image left out (`extract.inline`).
    inline_images: tuple[str, ...] = ()
    canonical_url: str = ""
    language: str = ""
    site_name: str = ""
    extractor: str = "trafilatura"  # "trafilatura" | "readability": which one found the body
    lead_in_body: bool = False  # the body opened with the lead, dropped as a repeat
    removed_by_template: int = 0  # blocks a site template removed

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def reading_minutes(self) -> int:
        """Minutes to read the text, at least 1."""
        pace = WORDS_PER_MINUTE.get(self.language, DEFAULT_WPM)
        return max(1, math.ceil(self.word_count / pace))

    @property
    def published(self) -> datetime | None:
        """The page's best statement of its publication time (before reconciliation)."""
        return self.page_dates[0][1] if self.page_dates else None

    @property
    def author(self) -> str:
        return ", ".join(self.authors)

    def with_blocks(self, blocks: tuple[Block, ...], *, removed: int = 0) -> Extraction:
        """This extraction with another body; text and HTML derived again from `blocks`."""
        return replace(
            self,
            blocks=blocks,
            text=plain_text(blocks),
            # Each block's HTML is nh3's serialization of a sanitized fragment: balanced, escaped,
            # with no raw-text element left, so joining them (and wrapping list items in their
            # list) creates no new markup. A second pass over the whole would cost as much again.
            html=render_html(blocks),
            removed_by_template=self.removed_by_template + removed,
        )

    def to_extracted(self) -> Extracted:
        """The pipeline's `Extracted` (author names joined with ", ")."""
        return Extracted(
            title=self.title,
            text=self.text,
            html=self.html,
            lead=self.lead,
            author=self.author,
            published=self.published,
            image_url=self.image_url,
            canonical_url=self.canonical_url,
            language=self.language,
            paragraphs=self.paragraphs,
        )
