"""Fingerprints of an article's text: exact content hash and MinHash signature.

The text is folded first (alaune.text.normalize: case, accents, Arabic variants) so that a copy
that only re-typesets the text hashes the same. Shingles are word 3-grams taken in a sliding
window; the signature has `NUM_PERM` 32-bit minima from rensa's RMinHash with a fixed seed, so
signatures stored in the database stay comparable across processes and restarts. Pure.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import numpy as np
import rensa

from alaune.text.normalize import words

NUM_PERM = 128
SHINGLE_WORDS = 3
# The head: a second, smaller signature over the first HEAD_SHINGLES shingles in text order.
# A dispatch cut to its first paragraphs keeps its head whole, whatever share of the text is
# left, so the head finds it when the whole-text resemblance (0.4 for two paragraphs of five)
# is too low for the LSH bands to catch it every time.
HEAD_PERM = 32
HEAD_SHINGLES = 32
# Fixed for ever: a stored signature is only comparable with one made with the same seed.
SEED = 20_261_129
# Fewer words than this and the body is too short to judge alone: the lead is added to it.
MIN_BODY_WORDS = 40


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedupe keeps of one article: a content hash, a signature and a shingle count."""

    content_hash: str  # 32 hex digits of SHA-256 over the folded words
    signature: bytes  # NUM_PERM little-endian uint32 minima
    shingles: int  # distinct shingles: set sizes turn resemblance into containment
    head: bytes = b"\xff" * (4 * HEAD_PERM)  # HEAD_PERM minima of the first shingles

    def minima(self) -> np.ndarray:
        """The signature as a uint32 array."""
        return np.frombuffer(self.signature, dtype="<u4")

    def head_minima(self) -> np.ndarray:
        return np.frombuffer(self.head, dtype="<u4")

    def to_bytes(self) -> bytes:
        """The stored form (articles.minhash): shingle count, signature, head signature."""
        return struct.pack("<I", self.shingles) + self.signature + self.head

    @classmethod
    def from_bytes(cls, content_hash: str, blob: bytes) -> Fingerprint:
        size = 4 + 4 * NUM_PERM + 4 * HEAD_PERM
        if len(blob) != size:
            raise ValueError(f"a stored MinHash is {size} bytes, not {len(blob)}")
        (count,) = struct.unpack_from("<I", blob)
        signature, head = bytes(blob[4 : 4 + 4 * NUM_PERM]), bytes(blob[4 + 4 * NUM_PERM :])
        return cls(content_hash=content_hash, signature=signature, shingles=count, head=head)


def matching_words(text: str, *, lead: str = "") -> list[str]:
    """The folded words dedupe compares: the body, with the lead when the body is short."""
    body = words(text)
    if len(body) < MIN_BODY_WORDS and lead:
        return words(lead) + body
    return body


def shingles(tokens: list[str]) -> list[str]:
    """Word 3-grams in a sliding window, in text order (the whole text when shorter)."""
    if len(tokens) < SHINGLE_WORDS:
        return [" ".join(tokens)] if tokens else []
    last = len(tokens) - SHINGLE_WORDS + 1
    return [" ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(last)]


def _minhash(grams: set[str], num_perm: int) -> bytes:
    minhash = rensa.RMinHash(num_perm=num_perm, seed=SEED)
    if grams:
        minhash.update(sorted(grams))
    return np.asarray(minhash.digest(), dtype="<u4").tobytes()


def fingerprint(text: str, *, lead: str = "") -> Fingerprint:
    """The fingerprint of an article's text (and of its lead when the text is short)."""
    tokens = matching_words(text, lead=lead)
    digest = hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest()[:32]
    ordered = shingles(tokens)
    grams = set(ordered)
    return Fingerprint(
        content_hash=digest,
        signature=_minhash(grams, NUM_PERM),
        shingles=len(grams),
        head=_minhash(set(ordered[:HEAD_SHINGLES]), HEAD_PERM),
    )
