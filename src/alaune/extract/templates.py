"""Site templates: the text blocks an outlet repeats on its pages, learned and then removed.

Outlets wrap every article in the same furniture, and some of it survives any extractor: ticker
lines, "Lire aussi : …" teasers, comment counts, report-widget text ("Merci d'avoir signalé !"),
newsletter boxes, copyright lines. A template counts, per outlet, on how many pages each block
was seen, keyed by a fingerprint of its words, case folded (`t:`); a block that holds links is also
keyed by the few words outside its links, digits masked (`s:`), so that "Lire aussi : <another
title>" is one key on every page. `apply` removes a block only when enough distinct pages agree:

- every block needs `min_pages` pages (never fewer than 2: text that repeats once stays);
- a long block that is not mostly links (a paragraph, where articles of one series may share a
  background paragraph) must also be on `min_share` of the pages learned since it first
  appeared, counted over at least `share_window` pages;
- a block unseen for `max_age` pages is forgotten, so a redesigned site sheds its old template,
  and the template keeps at most `max_keys` keys, dropping the rarest first.

The template is a JSON-able dict (`Template`) that the caller stores per outlet and passes back:
`learn(template, blocks, page=url)` returns the updated template (a page learned twice counts
once), `apply(template, extraction)` returns the extraction without the recurring blocks.
Learn from blocks *before* `apply`, or removed blocks would look absent and be forgotten.
Pure: no I/O and no clock (age is counted in pages); inputs are never mutated.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from alaune.extract.blocks import Block
from alaune.extract.result import Extraction

VERSION = 1
_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[^\W_]+")


class Template(TypedDict):
    version: int
    pages: int  # pages learned so far
    blocks: dict[str, list[int]]  # fingerprint → [pages seen on, first page, last page]
    recent: list[str]  # short ids of the last pages learned: the same page never counts twice


@dataclass(frozen=True, slots=True)
class TemplatePolicy:
    """The thresholds of learning and removal; the defaults are tuned on the demo outlets."""

    min_pages: int = 3
    short_words: int = 12  # a block this short (or mostly links) needs only `min_pages`
    min_share: float = 0.3
    share_window: int = 20
    max_age: int = 300
    max_keys: int = 5_000
    label_words: int = 6  # at most this many words outside links make a teaser's label
    recent_pages: int = 64

    def __post_init__(self) -> None:
        if self.min_pages < 2:
            raise ValueError("min_pages must be at least 2: text seen on one page is the article's")


DEFAULT_POLICY = TemplatePolicy()


def new_template() -> Template:
    return {"version": VERSION, "pages": 0, "blocks": {}, "recent": []}


def load_template(value: object) -> Template:
    """A template read back from storage; a fresh one when `value` is not a valid template."""
    if not isinstance(value, dict) or value.get("version") != VERSION:
        return new_template()
    pages, blocks, recent = value.get("pages"), value.get("blocks"), value.get("recent")
    if not isinstance(pages, int) or not isinstance(blocks, dict) or not isinstance(recent, list):
        return new_template()
    clean = {
        str(k): [int(n) for n in v]
        for k, v in blocks.items()
        if isinstance(v, list) and len(v) == 3 and all(isinstance(n, int) for n in v)
    }
    return {"version": VERSION, "pages": pages, "blocks": clean, "recent": [str(r) for r in recent]}


def block_keys(block: Block, policy: TemplatePolicy = DEFAULT_POLICY) -> tuple[str, ...]:
    """The fingerprints a block is counted and looked up under."""
    return _keys(block.text, block.label if block.link_chars else None, policy.label_words)


@functools.lru_cache(maxsize=8192)
def _keys(text: str, label: str | None, label_words: int) -> tuple[str, ...]:
    # Cached: `learn` and `apply` fingerprint the same blocks of a page one after the other.
    # Case and spacing are folded, not accents: one site spells its furniture one way.
    folded = _WORDS.findall(text.casefold())
    keys = [f"t:{_digest(folded)}"] if folded else []
    if label is not None:
        masked = [_DIGITS.sub("0", w) for w in _WORDS.findall(label.casefold())]
        if len(masked) <= label_words:
            keys.append(f"s:{_digest(masked)}")
    return tuple(keys)


def learn(
    template: Template,
    blocks: Sequence[Block],
    *,
    page: str = "",
    policy: TemplatePolicy = DEFAULT_POLICY,
) -> Template:
    """`template` updated with one page's blocks (as extracted, before `apply`)."""
    page_id = _digest([page])[:12] if page else ""
    if page_id and page_id in template["recent"]:
        return template
    number = template["pages"] + 1
    counts = dict(template["blocks"])  # entries are replaced, never changed in place
    for key in {k for block in blocks for k in block_keys(block, policy)}:
        seen = counts.get(key)
        counts[key] = [seen[0] + 1, seen[1], number] if seen else [1, number, number]
    recent = ([*template["recent"], page_id] if page_id else template["recent"])[
        -policy.recent_pages :
    ]
    if number % 32 == 0 or len(counts) > policy.max_keys:
        counts = _pruned(counts, number, policy)
    return {"version": VERSION, "pages": number, "blocks": counts, "recent": recent}


def is_boilerplate(
    template: Template, block: Block, policy: TemplatePolicy = DEFAULT_POLICY
) -> bool:
    """Whether enough of the outlet's pages carry `block` for it to be furniture, not article."""
    short = block.words <= policy.short_words or block.link_share >= 0.5
    for key in block_keys(block, policy):
        seen = template["blocks"].get(key)
        if seen is None or seen[0] < policy.min_pages:
            continue
        if short or key.startswith("s:"):
            return True
        span = max(template["pages"] - seen[1] + 1, policy.share_window)
        if seen[0] >= policy.min_share * span:
            return True
    return False


def apply(
    template: Template, extraction: Extraction, policy: TemplatePolicy = DEFAULT_POLICY
) -> Extraction:
    """`extraction` without the blocks the template knows as the outlet's furniture.

    When every block would go, the page is left as it was: an article with no text is a worse
    answer than one with some furniture, and it is likely a page of another kind.
    """
    kept = tuple(b for b in extraction.blocks if not is_boilerplate(template, b, policy))
    if not kept or len(kept) == len(extraction.blocks):
        return extraction
    return extraction.with_blocks(kept, removed=len(extraction.blocks) - len(kept))


def _pruned(
    counts: dict[str, list[int]], number: int, policy: TemplatePolicy
) -> dict[str, list[int]]:
    """Forget blocks unseen for `max_age` pages; past `max_keys`, the rarest and oldest first."""
    alive = {k: v for k, v in counts.items() if number - v[2] <= policy.max_age}
    if len(alive) <= policy.max_keys:
        return alive
    ranked = sorted(alive.items(), key=lambda kv: (kv[1][0], kv[1][2]), reverse=True)
    return dict(ranked[: policy.max_keys * 9 // 10])


def _digest(folded: Sequence[str]) -> str:
    return hashlib.blake2b(" ".join(folded).encode("utf-8"), digest_size=8).hexdigest()
