"""HTML fragments to plain text, for leads and summaries that feeds send as HTML."""

from __future__ import annotations

import html
import re

import nh3

_SPACES = re.compile(r"\s+")


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed; scripts and styles dropped."""
    if "<" not in fragment and "&" not in fragment:
        return _SPACES.sub(" ", fragment).strip()
    stripped = nh3.clean(fragment, tags=set(), clean_content_tags={"script", "style"})
    return _SPACES.sub(" ", html.unescape(stripped)).strip()
