"""When trafilatura's answer cannot be the article: the plausibility check and readability.

An extraction is *implausible* when it is empty, shorter than `MIN_CHARS` characters, made mostly
of link text (more than `MAX_LINK_SHARE` of its characters: a menu, a list of headlines), or made
mostly of short lines (more than `MAX_SHORT_SHARE` of at least `MIN_BLOCKS_FOR_SHAPE` blocks under
`SHORT_LINE_CHARS` characters: navigation, a ticker). Lengths are in characters, not words, so
that Chinese or Japanese text, written without spaces, is measured like the rest. Only then does
readability-lxml run, and its answer replaces trafilatura's when it is plausible and keeps at
least `KEEP_SHARE` of the text outside links that trafilatura found (a product page of short
lines is still better read by trafilatura than cut to one paragraph), or when both are
implausible and readability found at least `RESCUE_FACTOR` times more text outside links.
Readability scores a page differently (paragraph density under a common parent), so it rescues
pages whose markup trafilatura's rules miss.

Pure: the tree given is copied, never changed; nothing is fetched.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from alaune.extract.blocks import Block, blocks_from_tree

MIN_CHARS = 150  # a news brief of two sentences; a menu or an error page is shorter
MAX_LINK_SHARE = 0.5
SHORT_LINE_CHARS = 40  # "Accueil", "Politique", a share button; a sentence is longer
MAX_SHORT_SHARE = 0.7
MIN_BLOCKS_FOR_SHAPE = 6
RESCUE_FACTOR = 2.0
KEEP_SHARE = 0.5

log = logging.getLogger(__name__)


def implausible(blocks: Sequence[Block]) -> str:
    """Why `blocks` cannot be an article's body; "" when they can."""
    if not blocks:
        return "empty"
    chars = sum(len(b.text) for b in blocks)
    if chars < MIN_CHARS:
        return f"too short: {chars} characters"
    links = sum(b.link_chars for b in blocks)
    if links > MAX_LINK_SHARE * chars:
        return f"mostly links: {links / chars:.0%} of the text"
    short = sum(len(b.text) < SHORT_LINE_CHARS for b in blocks)
    if len(blocks) >= MIN_BLOCKS_FOR_SHAPE and short > MAX_SHORT_SHARE * len(blocks):
        return f"mostly short lines: {short} of {len(blocks)}"
    return ""


def better(primary: tuple[Block, ...], fallback: tuple[Block, ...]) -> bool:
    """Whether the fallback's blocks should replace the implausible primary ones."""
    if not fallback:
        return False
    if not implausible(fallback):
        return _prose(fallback) >= KEEP_SHARE * _prose(primary)
    return _prose(fallback) >= RESCUE_FACTOR * max(_prose(primary), 1)


def readability_blocks(tree: Any, *, url: str) -> tuple[Block, ...]:
    """The main content as readability-lxml finds it, as blocks; () when it finds none."""
    # Imported late: only implausible pages need it, and its import costs ~30 ms.
    from readability import Document
    from readability.readability import Unparseable

    try:
        # readability cleans a copy of an element it is given (lxml_html_clean deep-copies it).
        summary = Document(tree, url=url or None).summary(html_partial=True)
    except (Unparseable, ValueError, TypeError, etree.LxmlError) as exc:
        log.debug("readability found nothing in %s: %s", url, exc)
        return ()
    if not summary or not summary.strip():
        return ()
    try:
        root = lxml_html.fragment_fromstring(summary, create_parent="div")
    except (ValueError, etree.LxmlError):
        return ()
    return blocks_from_tree(root, base_url=url)


def _prose(blocks: Sequence[Block]) -> int:
    """Characters of text outside links: what a reader would call the article."""
    return sum(len(b.text) - b.link_chars for b in blocks)
