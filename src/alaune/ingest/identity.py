"""Which feed items are new articles, which are known, and which are a known article moved.

The deduplication policy of ingestion (SECURITY H2), pure and deterministic:

1. **The canonical URL is the key** (`alaune.text.urls.canonical_url`: lower-case host, no
   default port, no fragment, no `utm_*`/`fbclid`… parameters). One row per canonical URL, so
   the same article listed by two feeds, or spelled with tracking parameters, is stored once: the
   first sighting wins and later ones are "known".
2. **A tombstoned canonical URL is known forever** (H6): removed articles never come back.
3. **Same outlet, same GUID, new URL → the stored article moved** (a corrected slug, a new
   section): its URL is updated instead of inserting a second row, and the old URL is
   tombstoned as "moved" so that a feed still listing it does not bring it back. GUIDs are only
   compared within one outlet, since they are only unique within a feed.
4. **…unless the titles differ completely**: a CMS that reuses GUIDs for different articles
   must not make one article swallow another. "Completely" means the two titles share less
   than a third of the words of the shorter one (words of three letters or more, case-folded);
   an empty title is no evidence against the GUID.

This module must not touch the database or the network: the pipeline asks the store for the
known URLs and the stored articles with the items' GUIDs, and passes them in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from alaune.model import FeedItem
from alaune.text.urls import canonical_url

_WORD = re.compile(r"\w{3,}")
#: Share of the shorter title's words two titles must have in common to be one article.
SAME_TITLE_OVERLAP = 1 / 3


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What identity needs to know of a stored article."""

    id: int
    canonical_url: str
    title: str


@dataclass(frozen=True, slots=True)
class Move:
    """A stored article found under a new URL."""

    article: StoredArticle
    canonical_url: str
    url: str


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do with one listing's items."""

    fresh: tuple[tuple[str, FeedItem], ...] = ()  # (canonical URL, item) to fetch and store
    moves: tuple[Move, ...] = ()
    known: int = 0
    unusable: int = 0  # items whose URL has no canonical form (never stored)


def keyed(items: Sequence[FeedItem]) -> tuple[dict[str, FeedItem], int]:
    """Items by canonical URL, the first listing of each kept; and how many had no usable URL."""
    by_key: dict[str, FeedItem] = {}
    unusable = 0
    for item in items:
        try:
            by_key.setdefault(canonical_url(item.url), item)
        except ValueError:
            unusable += 1
    return by_key, unusable


def plan(
    by_key: Mapping[str, FeedItem],
    *,
    known: Set[str],
    by_guid: Mapping[str, StoredArticle],
    unusable: int = 0,
) -> Plan:
    """Split keyed items into fresh ones, moves of stored articles and known ones.

    `known` holds the stored and tombstoned canonical URLs among the keys; `by_guid` the stored
    articles of the same outlet whose GUID one of the items carries.
    """
    fresh: list[tuple[str, FeedItem]] = []
    moves: list[Move] = []
    moved: set[int] = set()
    for key, item in by_key.items():
        if key in known:
            continue
        stored = by_guid.get(item.guid) if item.guid else None
        if stored is not None and stored.id not in moved and same_title(stored.title, item.title):
            moved.add(stored.id)  # one article moves once, even if two keys carry its GUID
            moves.append(Move(stored, key, item.url))
        else:
            fresh.append((key, item))
    known_count = len(by_key) - len(fresh) - len(moves)
    return Plan(tuple(fresh), tuple(moves), known_count, unusable)


def same_title(a: str, b: str) -> bool:
    """Whether two titles can name the same article (rule 4 above)."""
    words_a, words_b = _words(a), _words(b)
    if not words_a or not words_b:
        return True
    shared = len(words_a & words_b)
    return shared >= SAME_TITLE_OVERLAP * min(len(words_a), len(words_b))


def _words(title: str) -> set[str]:
    return set(_WORD.findall(title.casefold()))
