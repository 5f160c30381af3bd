"""The recent fingerprints, in a compact MinHash LSH index: which stored texts may copy a new one.

Bands are set explicitly: 32 bands of 4 rows over 128 minima put the candidate threshold near a
resemblance of 0.42 ((1/32)^(1/4)), below the 0.5 a light edit keeps, so that `match` verifies
few pairs; 8 more bands over the head signature catch copies cut to their first paragraphs.
Memory is what the issue caps (≤ 2 KB per article besides its vector): signatures live in one
uint32 matrix and band keys in sorted uint32 arrays, the newest keys in a small unsorted array
merged in by batches, instead of one Python dict entry per band and article (datasketch's
in-memory LSH: 3.4 KB per document). Pure: no I/O.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np

from alaune.dedupe.keys import HEAD_PERM, NUM_PERM, Fingerprint

BANDS = 32
ROWS = NUM_PERM // BANDS
# The head signature (keys.HEAD_PERM minima of the first shingles): 8 bands of 4 rows, threshold
# ≈ 0.59 on the head alone, where a cut copy scores ≈ 0.9 and a dateline costs 1–2 shingles.
HEAD_BANDS = 8
HEAD_ROWS = HEAD_PERM // HEAD_BANDS
_MERGE_EVERY = 256  # pending articles before their band keys join the sorted arrays
_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5],
    dtype=np.uint64,
)
_BAND_SALT = np.arange(BANDS + HEAD_BANDS, dtype=np.uint64) * np.uint64(0xFF51AFD7ED558CCD)


@dataclass(frozen=True, slots=True)
class Entry:
    """One indexed article: its reference (article id), the original it copies, its facts."""

    ref: int
    root: int  # itself for an original, else the original's ref
    shingles: int
    agency: bool
    tag: int  # the caller's label for the article (alaune: its story id)


def band_keys(fp: Fingerprint) -> np.ndarray:
    """One uint32 key per band of the signature and of the head, salted by the band number."""
    rows = np.concatenate(
        [
            fp.minima().astype(np.uint64).reshape(BANDS, ROWS),
            fp.head_minima().astype(np.uint64).reshape(HEAD_BANDS, HEAD_ROWS),
        ]
    )
    with np.errstate(over="ignore"):
        mixed = (rows * _MIX[:ROWS]).sum(axis=1, dtype=np.uint64)
    # 32 bits are enough: a chance collision only adds a candidate that `match` then rejects.
    keys: np.ndarray = ((mixed ^ _BAND_SALT) >> np.uint64(32)).astype(np.uint32)
    return keys


class CopyIndex:
    """Fingerprints of recent articles, looked up by exact hash or by shared LSH band."""

    def __init__(self, capacity: int = 1024) -> None:
        self._minima = np.zeros((capacity, NUM_PERM), dtype=np.uint32)
        self._shingles = np.zeros(capacity, dtype=np.int32)
        self._refs = np.zeros(capacity, dtype=np.int64)
        self._roots = np.zeros(capacity, dtype=np.int64)
        self._agency = np.zeros(capacity, dtype=bool)
        self._tags = np.zeros(capacity, dtype=np.int64)
        self._alive = np.zeros(capacity, dtype=bool)
        self._size = 0
        self._row_of: dict[int, int] = {}
        self._exact: dict[int, int] = {}  # first 64 bits of the content hash → row
        self._sorted_keys = np.zeros(0, dtype=np.uint32)
        self._sorted_rows = np.zeros(0, dtype=np.int32)
        # The newest keys, unsorted, in compact arrays scanned at each lookup.
        self._pending_keys = array("I")
        self._pending_of = array("i")
        self._pending_rows = 0

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, ref: int) -> bool:
        return ref in self._row_of

    def add(
        self,
        ref: int,
        fp: Fingerprint,
        *,
        root: int | None = None,
        agency: bool = False,
        tag: int = 0,
    ) -> None:
        """Index `ref`'s fingerprint; `root` is the original it copies (itself by default)."""
        if ref in self._row_of:
            raise ValueError(f"article {ref} is already indexed")
        row = self._grow()
        self._minima[row] = fp.minima()
        self._shingles[row] = fp.shingles
        self._refs[row], self._roots[row] = ref, ref if root is None else root
        self._agency[row], self._alive[row], self._tags[row] = agency, True, tag
        self._row_of[ref] = row
        self._exact.setdefault(_hash64(fp.content_hash), row)
        keys = band_keys(fp)
        self._pending_keys.frombytes(keys.tobytes())
        self._pending_of.extend([row] * len(keys))
        self._pending_rows += 1
        if self._pending_rows >= _MERGE_EVERY:
            self._merge()

    def entry(self, ref: int) -> Entry:
        row = self._row_of[ref]
        return Entry(
            ref,
            int(self._roots[row]),
            int(self._shingles[row]),
            bool(self._agency[row]),
            int(self._tags[row]),
        )

    def set_root(self, ref: int, root: int) -> None:
        """Point `ref` at another original (an agency's dispatch arrived after a copy of it)."""
        self._roots[self._row_of[ref]] = root

    def group(self, root: int) -> list[int]:
        """The refs whose original is `root` (itself included), oldest first."""
        rows = np.flatnonzero(self._alive[: self._size] & (self._roots[: self._size] == root))
        return [int(r) for r in self._refs[rows]]

    def retag(self, old: int, new: int) -> None:
        """Give every article tagged `old` the tag `new` (two stories merged)."""
        tags = self._tags[: self._size]
        tags[tags == old] = new

    def remove_tagged(self, tag: int) -> int:
        """Forget every article tagged `tag` (its story closed); returns how many."""
        rows = np.flatnonzero(self._alive[: self._size] & (self._tags[: self._size] == tag))
        for ref in self._refs[rows].tolist():
            self.remove(int(ref))
        return len(rows)

    def remove(self, ref: int) -> None:
        """Forget `ref` (its story closed, or it left the time window)."""
        row = self._row_of.pop(ref)
        self._alive[row] = False

    def exact(self, content_hash: str) -> int | None:
        """The ref of an indexed article with the same folded text, if any."""
        row = self._exact.get(_hash64(content_hash))
        return int(self._refs[row]) if row is not None and self._alive[row] else None

    def candidates(self, fp: Fingerprint) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Refs sharing at least one band with `fp`, with their minima and shingle counts."""
        keys = band_keys(fp)
        rows: set[int] = set()
        if len(self._sorted_keys):
            lo = np.searchsorted(self._sorted_keys, keys, side="left")
            hi = np.searchsorted(self._sorted_keys, keys, side="right")
            for start, end in zip(lo.tolist(), hi.tolist(), strict=True):
                rows.update(self._sorted_rows[start:end].tolist())
        if self._pending_rows:
            pending = np.frombuffer(self._pending_keys, dtype=np.uint32)
            hits = np.flatnonzero(np.isin(pending, keys))
            rows.update(np.frombuffer(self._pending_of, dtype=np.int32)[hits].tolist())
        found = np.fromiter((r for r in rows if self._alive[r]), dtype=np.int64)
        return self._refs[found], self._minima[found], self._shingles[found]

    def nbytes(self) -> int:
        """Bytes held by the arrays (the dicts are estimated at 100 bytes an entry)."""
        arrays = (
            self._minima,
            self._shingles,
            self._refs,
            self._roots,
            self._agency,
            self._tags,
            self._alive,
        )
        sized = sum(a.nbytes for a in arrays) + self._sorted_keys.nbytes + self._sorted_rows.nbytes
        pending = self._pending_keys.buffer_info()[1] * 8
        return sized + pending + 100 * (len(self._row_of) + len(self._exact))

    def _grow(self) -> int:
        if self._size == len(self._refs):
            if len(self._row_of) < self._size // 2:
                self._compact()
            if self._size == len(self._refs):
                # Grow by half, not double: the slack is memory every article pays for.
                self._resize(len(self._refs) + len(self._refs) // 2 + 1)
        self._size += 1
        return self._size - 1

    def _resize(self, capacity: int) -> None:
        for name in ("_minima", "_shingles", "_refs", "_roots", "_agency", "_tags", "_alive"):
            old = getattr(self, name)
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: min(len(old), capacity)] = old[:capacity]
            setattr(self, name, new)

    def _merge(self) -> None:
        """Move pending band keys into the sorted arrays: sort the batch, insert it in place."""
        keys = np.frombuffer(self._pending_keys, dtype=np.uint32)
        rows = np.frombuffer(self._pending_of, dtype=np.int32)
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        at = np.searchsorted(self._sorted_keys, keys)
        self._sorted_keys = np.insert(self._sorted_keys, at, keys)
        self._sorted_rows = np.insert(self._sorted_rows, at, rows)
        self._pending_keys, self._pending_of, self._pending_rows = array("I"), array("i"), 0

    def _compact(self) -> None:
        """Drop removed rows: renumber the live ones and rebuild the band arrays."""
        self._merge()
        live = np.flatnonzero(self._alive[: self._size])
        # Rows removed since the last compaction leave the band arrays here, all at once.
        renumber = np.full(self._size, -1, dtype=np.int64)
        renumber[live] = np.arange(len(live))
        for name in ("_minima", "_shingles", "_refs", "_roots", "_agency", "_tags", "_alive"):
            array = getattr(self, name)
            array[: len(live)] = array[live]
            array[len(live) :] = 0
        self._size = len(live)
        self._row_of = {int(ref): row for row, ref in enumerate(self._refs[: self._size])}
        self._exact = {h: int(renumber[r]) for h, r in self._exact.items() if renumber[r] >= 0}
        keep = renumber[self._sorted_rows] >= 0
        self._sorted_keys = self._sorted_keys[keep]
        self._sorted_rows = renumber[self._sorted_rows[keep]].astype(np.int32)


def _hash64(content_hash: str) -> int:
    return int(content_hash[:16], 16)
