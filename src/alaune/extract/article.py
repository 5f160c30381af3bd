"""Main text and metadata of one article page: trafilatura first, readability when implausible.

The page is parsed once (trafilatura's loader, which guesses the charset); metadata is read from
that tree, and trafilatura (`fast=True`, links and formatting kept, comments left out) extracts
the body from its own copy. When the body is implausible (see `alaune.extract.fallback`),
readability-lxml tries the same tree. The body becomes blocks (`alaune.extract.blocks`): sanitized
HTML and plain text with paragraphs. Opening blocks that only repeat the title, the lead or the
byline are dropped, since all three are stored apart. The pictures inside the body are found
again on the page (`alaune.extract.inline`). The language is detected on the text, with
the outlet's language (else the page's `<html lang>`) as the hint for short texts.

Pure: no fetching, no storing, no clock. Dates are returned per source, unreconciled
(`alaune.extract.dates`); site templates are applied by the caller (`alaune.extract.templates`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import trafilatura
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.utils import load_html

from alaune.errors import ParseError
from alaune.extract import templates
from alaune.extract.blocks import Block, blocks_from_tree
from alaune.extract.fallback import better, implausible, readability_blocks
from alaune.extract.inline import inline_images
from alaune.extract.metadata import read_meta
from alaune.extract.result import Extraction
from alaune.model import Extracted
from alaune.text.lang import detect_language

_WORDS = re.compile(r"[^\W_]+")
MAX_DOCUMENT = 10 * 1024 * 1024  # the default `fetch_max_bytes`: a page from elsewhere is cut too
_BYLINE_EXTRA = 2  # "by", "par", "بقلم", "photo"…
OPENING_BLOCKS = 3  # where a page repeats its title or lead inside the body
# How `extract`'s ParseError messages begin, so a caller can tell the two apart.
NOT_HTML = "not an HTML page"
NO_TEXT = "no article text found"


def extract(document: bytes | str, *, url: str, language_hint: str = "") -> Extraction:
    """Read the article in `document`; ParseError when no text can be found."""
    tree = load_html(document[:MAX_DOCUMENT]) if document else None
    if tree is None:
        raise ParseError(f"{NOT_HTML}: {url}")
    meta = read_meta(tree, url=url)
    blocks, extractor = _body(tree, url)
    opening = [words(b.text) for b in blocks[:OPENING_BLOCKS]]
    kept = _without_repeats(blocks, opening, meta.title, meta.description, meta.authors)
    lead = words(meta.description)
    if not kept:
        raise ParseError(f"{NO_TEXT} in {url}")
    found = Extraction(
        url=url,
        title=meta.title,
        blocks=(),
        lead=meta.description,
        authors=meta.authors,
        page_dates=meta.published,
        updated=meta.modified,
        image_url=meta.image_url,
        inline_images=inline_images(tree, kept, base_url=url, lead_image=meta.image_url),
        canonical_url=meta.canonical_url,
        site_name=meta.site_name,
        extractor=extractor,
        lead_in_body=bool(lead) and any(_same(seen, lead) for seen in opening),
    ).with_blocks(kept)
    language = detect_language(found.text, hint=language_hint or meta.language)
    return replace(found, language=language)


def extract_article(
    document: bytes,
    *,
    url: str,
    language_hint: str = "",
    template: templates.Template | None = None,
) -> Extracted:
    """`extract`, with the outlet's site template applied when given, as the pipeline's type."""
    found = extract(document, url=url, language_hint=language_hint)
    if template is not None:
        found = templates.apply(template, found)
    return found.to_extracted()


def _body(tree: Any, url: str) -> tuple[tuple[Block, ...], str]:
    """The body's blocks and which extractor found them."""
    found = trafilatura.bare_extraction(
        tree,
        # No URL: trafilatura would resolve every link with courlan (~8% of the time), and
        # blocks.py makes the links it keeps absolute against the page's URL anyway.
        url=None,
        output_format="xml",  # the body tree only: "python" would also render a text we redo
        fast=True,
        include_comments=False,
        include_links=True,  # link text is how templates recognise "read also" lines
        include_formatting=True,
        include_tables=True,
        with_metadata=False,  # ours is read above; trafilatura's (htmldate) costs ~2× the body
    )
    body = getattr(found, "body", None)
    blocks = blocks_from_tree(convert_to_html(body), base_url=url) if body is not None else ()
    if not implausible(blocks):
        return blocks, "trafilatura"
    rescued = readability_blocks(tree, url=url)
    if better(blocks, rescued):
        return rescued, "readability"
    return blocks, "trafilatura"


def _without_repeats(
    blocks: tuple[Block, ...],
    opening: list[list[str]],
    title: str,
    lead: str,
    authors: tuple[str, ...],
) -> tuple[Block, ...]:
    """Drop opening blocks that repeat the title, the lead or the byline, all stored apart.

    `opening` holds the folded words of the first blocks, computed once by the caller.
    """
    repeats = [w for w in (words(title), words(lead)) if w]
    names = {w for author in authors for w in words(author)}
    kept = [
        block
        for block, seen in zip(blocks, opening, strict=False)
        if not any(_same(seen, r) for r in repeats) and not _byline(seen, names)
    ]
    return (*kept, *blocks[len(opening) :])


def _byline(seen: list[str], names: set[str]) -> bool:
    """A byline ("By Ines Alaoui"): the authors' names and at most two other words."""
    return bool(names) and names <= set(seen) and len(seen) - len(names) <= _BYLINE_EXTRA


def words(text: str) -> list[str]:
    """Case-folded words: the title, lead and body of one page spell a phrase the same way,
    so the accent and Arabic folding of `alaune.text.normalize` (~10× slower) is not needed."""
    return _WORDS.findall(text.casefold())


def _same(block: list[str], other: list[str]) -> bool:
    """Equal, or the block is the other cut short, in at least 8 words.

    Never the other way round: many sites write their lead as the first paragraph cut short,
    and that paragraph is the article's.
    """
    if block == other:
        return True
    return 8 <= len(block) <= len(other) and other[: len(block) - 1] == block[:-1]
