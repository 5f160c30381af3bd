"""Perceptual hash (pHash) of a picture, and the Hamming distance between two hashes.

The picture is made grey, shrunk to 32 × 32, transformed with a 2-D DCT-II, and the 8 × 8 lowest
frequencies are compared with their median: 64 bits, written as 16 hex digits. This is the
algorithm and the hex layout of `imagehash.phash` (so `imagehash.hex_to_hash` reads ours),
written with numpy so that alaune does not pull in scipy for one transform. The same picture
resized, re-encoded or lightly watermarked stays within ~10 bits; a crop or a flip does not
(DESIGN.md: moderation hides an image wherever a hash within `SAME_PICTURE` appears).

Pure: works on a decoded Pillow image; must not open files or fetch.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray
from PIL import Image

SIZE = 32
LOW = 8
SAME_PICTURE = 10  # Hamming distance up to which two hashes are the same picture


def phash(picture: Image.Image) -> str:
    """The 64-bit pHash of `picture`, as 16 hex digits."""
    small = picture.convert("L").resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    pixels = np.asarray(small, dtype=np.float64)
    matrix = _dct_matrix()
    # DCT-II along columns then rows: the factor 2 of the unnormalised transform that
    # scipy.fftpack.dct applies scales every coefficient alike, so the median split is the same.
    low = (matrix @ pixels @ matrix.T)[:LOW, :LOW]
    bits = (low > np.median(low)).flatten()
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


def hamming(a: str, b: str) -> int:
    """How many of the 64 bits differ between two hashes; ValueError for a malformed one."""
    if len(a) != len(b) or len(a) != LOW * LOW // 4:
        raise ValueError(f"not two pHashes of 16 hex digits: {a!r}, {b!r}")
    return (int(a, 16) ^ int(b, 16)).bit_count()


@functools.cache
def _dct_matrix() -> NDArray[np.float64]:
    k = np.arange(SIZE).reshape(-1, 1)
    n = np.arange(SIZE).reshape(1, -1)
    return np.cos(np.pi * k * (2 * n + 1) / (2 * SIZE))
