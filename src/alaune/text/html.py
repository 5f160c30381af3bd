"""HTML fragments to plain text: kept as a name for its callers; the code lives in `sanitize`.

`alaune.text.sanitize` holds the one allowlist and the one HTML-to-text conversion, so that no
second copy of either can drift. This module only re-exports.
"""

from __future__ import annotations

from alaune.text.sanitize import html_to_text

__all__ = ["html_to_text"]
