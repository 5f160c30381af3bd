"""Is a new article a copy, and of which original? Decided from its fingerprint and the index.

A copy has the same folded text (content hash), or a MinHash resemblance ≥ `resemblance`, or
contains — or is contained in — another text at ≥ `containment` (a wire dispatch cut short,
or given a dateline). Containment is estimated from the resemblance and the two shingle counts:
|A∩B| = J(|A|+|B|)/(1+J). The original kept is the group's earliest article, unless an agency's
dispatch arrives: the agency's text is the original then (`prefer_agency`). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alaune.dedupe.index import CopyIndex
from alaune.dedupe.keys import Fingerprint


@dataclass(frozen=True, slots=True)
class DedupeParams:
    """When two texts are one: thresholds tuned on the demo corpus's train stories."""

    resemblance: float = 0.5
    containment: float = 0.8
    # Below this many shingles a text is too short for containment to mean anything.
    min_shingles: int = 12


@dataclass(frozen=True, slots=True)
class CopyMatch:
    """The new article copies `original` (the root of its group)."""

    original: int
    matched: int  # the indexed article it resembles most (may itself be a copy)
    resemblance: float
    containment: float
    exact: bool


def find_original(
    fp: Fingerprint, index: CopyIndex, params: DedupeParams = DedupeParams()
) -> CopyMatch | None:
    """The original `fp` copies, or None when it is an original itself."""
    same = index.exact(fp.content_hash)
    if same is not None and fp.shingles > 0:
        return CopyMatch(index.entry(same).root, same, 1.0, 1.0, exact=True)
    if fp.shingles == 0:
        return None
    refs, minima, counts = index.candidates(fp)
    if len(refs) == 0:
        return None
    resemblance = (minima == fp.minima()).mean(axis=1)
    smaller = np.minimum(counts, fp.shingles)
    shared = resemblance * (counts + fp.shingles) / (1.0 + resemblance)
    containment = np.where(smaller >= params.min_shingles, shared / np.maximum(smaller, 1), 0.0)
    score = np.maximum(resemblance, containment)
    best = int(np.argmax(score))
    if resemblance[best] < params.resemblance and containment[best] < params.containment:
        return None
    matched = int(refs[best])
    return CopyMatch(
        index.entry(matched).root,
        matched,
        float(resemblance[best]),
        float(min(containment[best], 1.0)),
        exact=False,
    )


def prefer_agency(match: CopyMatch, index: CopyIndex, *, agency: bool) -> bool:
    """Whether the new article should become its group's original (an agency's dispatch)."""
    return agency and not index.entry(match.original).agency
