"""An article body as paragraph-level blocks: the unit that text, HTML and site templates share.

`blocks_from_tree` walks the simplified HTML that an extractor returns (trafilatura's output
converted to HTML, or readability's summary) and cuts it into blocks: paragraphs, headings, list
items, quotes, preformatted text and tables. Each block carries its visible text, its own HTML run
through THE allowlist (`alaune.text.sanitize`), and how much of its text sits inside links, which
the site templates and the plausibility check both read. `render_html` joins blocks back into one
fragment, re-wrapping consecutive list items in their list.

Images are left out of the HTML on purpose: the site serves only images it stored itself, so an
`<img>` pointing at an outlet would make readers load the outlet's server (DESIGN.md, images).
Pure; it must not fetch, and must not keep any HTML that did not pass `sanitize_html`.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from alaune.text.sanitize import sanitize_html
from alaune.text.urls import absolute_http_url

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LEAVES = {"p": "p", "blockquote": "quote", "pre": "pre", "table": "table"} | {
    h: "h" for h in _HEADINGS
}
_LISTS = frozenset({"ul", "ol"})
_CONTAINERS = frozenset({"div", "section", "article", "main", "body", "html", "center", "header"})
# Inline elements; span and font hold blocks on some sites, and then count as containers.
_INLINE_CONTAINERS = frozenset({"span", "font"})
_INLINE = _INLINE_CONTAINERS | frozenset(
    {"a", "b", "strong", "i", "em", "u", "s", "small", "sub", "sup", "code", "mark", "abbr",
     "cite", "q", "time", "bdi", "bdo", "del", "ins", "kbd", "var", "br", "wbr", "label"}
)  # fmt: skip
# Never text of the article, whatever an extractor kept.
_SKIPPED = frozenset({"img", "figure", "picture", "video", "audio", "iframe", "script", "style"})
_BLOCK_TAGS = frozenset(_LEAVES) | _LISTS | _CONTAINERS | {"li", "dl", "figure", "form"}
# Elements whose end separates words even inside one block.
_SPACED = ("br", "p", "div", "li", "td", "th", "tr", "dd", "dt", "blockquote", *_HEADINGS)
MAX_BLOCKS = 2_000  # a page is not a book: caps the work on a hostile document


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-level piece of an article body."""

    kind: str  # "p" | "h" | "li" | "quote" | "pre" | "table"
    text: str  # visible text, whitespace collapsed
    html: str  # this block alone, sanitized
    link_chars: int = 0  # characters of `text` that sit inside links
    label: str = ""  # the text outside links, when the block has links ("Lire aussi :")
    container: str = ""  # "ul" | "ol" for a list item
    group: int = 0  # list items of one list share a group number

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def link_share(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def blocks_from_tree(root: Any, *, base_url: str) -> tuple[Block, ...]:
    """The blocks of an HTML element tree, in document order; empty blocks dropped."""
    found: list[Block] = []
    groups = iter(range(1, MAX_BLOCKS + 1))
    for element, container, group in _walk(root, "", 0, groups):
        block = _block(element, container, group, base_url)
        if block is not None:
            found.append(block)
        if len(found) >= MAX_BLOCKS:
            break
    return tuple(found)


def render_html(blocks: Sequence[Block]) -> str:
    """The blocks as one HTML fragment; list items go back inside their `<ul>`/`<ol>`."""
    parts: list[str] = []
    open_group = 0
    for block in blocks:
        if open_group and (block.kind != "li" or block.group != open_group):
            parts.append(f"</{_container_of(blocks, open_group)}>")
            open_group = 0
        if block.kind == "li" and not open_group:
            open_group = block.group
            parts.append(f"<{block.container or 'ul'}>")
        parts.append(block.html)
    if open_group:
        parts.append(f"</{_container_of(blocks, open_group)}>")
    return "".join(parts)


def plain_text(blocks: Sequence[Block]) -> str:
    """Paragraphs separated by a blank line, as the gold texts and the store expect."""
    return "\n\n".join(b.text for b in blocks)


def _container_of(blocks: Sequence[Block], group: int) -> str:
    return next((b.container for b in blocks if b.group == group and b.container), "ul")


def _walk(
    element: Any, container: str, group: int, groups: Iterator[int]
) -> Iterator[tuple[Any, str, int]]:
    """(element, list container, list group) of every block-level piece under `element`.

    Text and inline elements lying loose between blocks ("<p>a</p> b <i>c</i>") are gathered
    into one paragraph of their own, so nothing an extractor kept is lost.
    """
    loose = _Loose(element.text)
    for child in element.iterchildren():
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in _SKIPPED and not _is_block(child, tag):
            loose.add(child)
        elif tag and tag not in _SKIPPED:
            yield from loose.flush()
            if tag in _LISTS:
                yield from _walk(child, tag, next(groups, 0), groups)
            elif tag == "li":
                yield child, container or "ul", group
            elif tag in _LEAVES or not _has_block_children(child):
                yield child, "", 0
            else:
                yield from _walk(child, container, group, groups)
        loose.text(child.tail)
    yield from loose.flush()


class _Loose:
    """A paragraph being gathered from loose text and inline elements."""

    def __init__(self, text: str | None) -> None:
        self.paragraph: Any = None
        self.text(text)

    def text(self, value: str | None) -> None:
        if not value or (self.paragraph is None and not value.strip()):
            return
        paragraph = self._paragraph()
        last = paragraph[-1] if len(paragraph) else None
        if last is None:
            paragraph.text = (paragraph.text or "") + value
        else:
            last.tail = (last.tail or "") + value

    def add(self, child: Any) -> None:
        copied = copy.deepcopy(child)
        copied.tail = None
        self._paragraph().append(copied)

    def flush(self) -> Iterator[tuple[Any, str, int]]:
        if self.paragraph is not None:
            yield self.paragraph, "", 0
        self.paragraph = None

    def _paragraph(self) -> Any:
        if self.paragraph is None:
            self.paragraph = etree.Element("p")
        return self.paragraph


def _is_block(element: Any, tag: str) -> bool:
    """Anything not known as inline is a block (custom elements, figcaption, dl…)."""
    if tag in _INLINE_CONTAINERS:
        return _has_block_children(element)
    return tag not in _INLINE


def _has_block_children(element: Any) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in element.iterchildren())


def _block(element: Any, container: str, group: int, base_url: str) -> Block | None:
    _strip_media(element)
    for inner in element.iter(*_SPACED):
        # "a<br>b" and "<h2>Title</h2><p>Text</p>" inside one item read "a b", "Title Text".
        if inner is not element:
            inner.tail = " " + (inner.tail or "")
    text = _text(element)
    if not text:
        return None
    tag = element.tag
    kind = "li" if tag == "li" else _LEAVES.get(tag, "p")
    link_chars, outside = _links(element, text)
    _resolve_links(element, base_url)
    inner = _inner_html(element)
    out_tag = {"p": "p", "quote": "blockquote", "pre": "pre", "li": "li"}.get(kind, "")
    if kind == "h":
        out_tag = tag if tag in _HEADINGS else "h3"
    elif kind == "table":
        out_tag = "table"
    return Block(
        kind=kind,
        text=text,
        # Links are absolute already (or gone): with no base URL, the allowlist's cleaner is one
        # shared object, where a base URL per page would build a cleaner per page.
        html=sanitize_html(f"<{out_tag}>{inner}</{out_tag}>"),
        link_chars=link_chars,
        label=outside if link_chars else "",
        container=container if kind == "li" else "",
        group=group if kind == "li" else 0,
    )


def _links(element: Any, text: str) -> tuple[int, str]:
    """(characters inside links, the text outside them) of a block."""
    anchors = [t for t in (_text(a) for a in element.iter("a")) if t]
    if not anchors:
        return 0, ""
    outside = text
    for anchor in anchors:
        outside = outside.replace(anchor, " ", 1)
    return min(sum(map(len, anchors)), len(text)), " ".join(outside.split())


def _resolve_links(element: Any, base_url: str) -> None:
    """Every link made absolute against the page's URL; a link that cannot be, unlinked."""
    for anchor in element.iter("a"):
        href = anchor.get("href") or anchor.get("target")  # trafilatura's <ref target=…>
        for name in list(anchor.attrib):
            del anchor.attrib[name]
        resolved = absolute_http_url(href.strip(), base_url) if href else None
        if resolved:
            anchor.set("href", resolved)


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _strip_media(element: Any) -> None:
    """Remove images and embeds inside a block, keeping the text that follows each."""
    for node in list(element.iter(*_SKIPPED)):
        if node is element:
            continue
        parent = node.getparent()
        if parent is None:
            continue
        if node.tail:
            previous = node.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + node.tail
            else:
                parent.text = (parent.text or "") + node.tail
        parent.remove(node)


def _inner_html(element: Any) -> str:
    parts = [html.escape(element.text, quote=False)] if element.text else []
    parts.extend(
        etree.tostring(child, encoding="unicode", method="html", with_tail=True)
        for child in element.iterchildren()
    )
    return "".join(parts)
