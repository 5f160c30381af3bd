"""How close an extracted text is to a gold text: bag-of-tokens precision, recall and F1.

The measure of the extraction benchmarks (scrapinghub's article-extraction-benchmark and
trafilatura's evaluation count tokens the same way): both texts are cut into word tokens, case
folded, and the multiset overlap gives precision and recall. Chinese, Japanese, Korean, Thai and
Burmese, written without spaces, count one token per character. `leaked` counts the extracted
paragraphs that are not in the gold, the quality gate's measure of boilerplate.

Pure; used by the quality tests and `bench/extraction.py`, never by the pipeline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_UNSPACED = "\u0e00-\u0e7f\u1000-\u109f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_TOKEN = re.compile(f"[{_UNSPACED}]|(?:(?![{_UNSPACED}])[^\\W_])+")


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def token_score(extracted: str, gold: str) -> Score:
    """Bag-of-tokens P/R/F1 of `extracted` against `gold` (both empty: a perfect 1.0)."""
    got, want = Counter(tokens(extracted)), Counter(tokens(gold))
    if not got and not want:
        return Score(1.0, 1.0, 1.0)
    common = sum((got & want).values())
    if not common:
        return Score(0.0, 0.0, 0.0)
    precision = common / sum(got.values())
    recall = common / sum(want.values())
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


def mean(scores: Iterable[Score]) -> Score:
    """The macro average (every page weighs the same)."""
    items = list(scores)
    if not items:
        return Score(0.0, 0.0, 0.0)
    n = len(items)
    return Score(
        sum(s.precision for s in items) / n,
        sum(s.recall for s in items) / n,
        sum(s.f1 for s in items) / n,
    )


def leaked(paragraphs: Iterable[str], gold_paragraphs: Iterable[str]) -> list[str]:
    """Extracted paragraphs that are not paragraphs of the gold text (compared spacing-folded)."""
    gold = {" ".join(p.split()) for p in gold_paragraphs}
    return [p for p in paragraphs if " ".join(p.split()) not in gold]
