"""Scores of a clustering against gold labels: B-cubed and pairwise precision, recall and F1.

Each is given overall and for cross-language pairs alone (an item is only compared with items in
another language), the part of story clustering no single-language method gets for free. Items
without a gold label are left out of every score. Pure arithmetic over labels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall and F1 (each 0–1; 1.0 when there is nothing to get wrong)."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class Item:
    """One scored item: its predicted cluster, gold cluster and language."""

    predicted: Hashable
    gold: Hashable
    language: str = ""


def _scores(precision: float, recall: float) -> Scores:
    total = precision + recall
    return Scores(precision, recall, 2 * precision * recall / total if total else 0.0)


def bcubed(items: Sequence[Item], *, cross_language: bool = False) -> Scores:
    """B-cubed (Bagga & Baldwin 1998): per-item precision and recall of its cluster, averaged.

    With `cross_language`, an item's cluster and gold story count only the items in other
    languages, and items with none on a side are left out of that side's average.
    """
    both = Counter((i.predicted, i.gold, i.language) for i in items)
    pred = Counter((i.predicted, i.language) for i in items)
    gold = Counter((i.gold, i.language) for i in items)
    pred_all = Counter(i.predicted for i in items)
    gold_all = Counter(i.gold for i in items)
    both_all = Counter((i.predicted, i.gold) for i in items)
    precisions: list[float] = []
    recalls: list[float] = []
    for item in items:
        correct = both_all[item.predicted, item.gold]
        in_pred, in_gold = pred_all[item.predicted], gold_all[item.gold]
        if cross_language:
            correct -= both[item.predicted, item.gold, item.language]
            in_pred -= pred[item.predicted, item.language]
            in_gold -= gold[item.gold, item.language]
        if in_pred:
            precisions.append(correct / in_pred)
        if in_gold:
            recalls.append(correct / in_gold)
    return _scores(_mean(precisions), _mean(recalls))


def pairwise(items: Sequence[Item], *, cross_language: bool = False) -> Scores:
    """Precision and recall over the pairs of items put in one cluster (predicted vs gold).

    Counted from cluster sizes, not by enumerating pairs, so that large files score quickly.
    """
    true_pairs = _pairs(Counter((i.predicted, i.gold) for i in items))
    predicted_pairs = _pairs(Counter(i.predicted for i in items))
    gold_pairs = _pairs(Counter(i.gold for i in items))
    if cross_language:  # all pairs minus the pairs within one language
        true_pairs -= _pairs(Counter((i.predicted, i.gold, i.language) for i in items))
        predicted_pairs -= _pairs(Counter((i.predicted, i.language) for i in items))
        gold_pairs -= _pairs(Counter((i.gold, i.language) for i in items))
    precision = true_pairs / predicted_pairs if predicted_pairs else 1.0
    recall = true_pairs / gold_pairs if gold_pairs else 1.0
    return _scores(precision, recall)


def _pairs(sizes: Counter[Hashable]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 1.0
