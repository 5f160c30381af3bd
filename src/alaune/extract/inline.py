"""Inline images: the pictures that sit inside an article's body, found on the original page.

trafilatura runs without `include_images` (it costs 0.7 points of F1 on readability's pages),
so the body it returns has no pictures. Instead, the extracted blocks are found again in the
page's own tree by their text: the images that lie between the first and the last of them,
inside their closest common ancestor, are the article's. An image inside a link, an `<aside>`,
`<nav>`, `<header>`, `<footer>` or `<form>` (a "lire aussi" thumbnail, a share button, an ad),
one declared smaller than `MIN_SIDE` pixels (a tracking pixel), the lead image and repeats are
left out; at most `MAX_INLINE` are kept, in page order, as absolute http(s) URLs
(SECURITY.md D6). `src` first; lazy-loading attributes when `src` is missing or a `data:` URL.

Pure: the tree is only read, never changed, and nothing is fetched. Whether a picture is safe
to show is decided later, when the image worker downloads it (`alaune.media`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alaune.extract.blocks import Block
from alaune.text.urls import absolute_http_url

MAX_INLINE = 20
MIN_SIDE = 50  # pixels: below this a declared width or height is a pixel, an icon or a spacer
# Where a body's text is found again: paragraph-level elements (a body written in bare `<div>`s
# is not looked for: reading every div's text cost more than the pictures it found on
# readability's test pages).
_SCANNED = ("img", "p", "li", "blockquote", "pre", "h2", "h3", "h4", "h5", "h6", "td")
_NOT_BODY = frozenset({"a", "aside", "nav", "header", "footer", "form"})
_LAZY = ("data-src", "data-lazy-src", "data-original", "data-url")
# Text read while looking for the body: a news page holds a few hundred kB at most, and
# elements nested hundreds deep must not make the scan quadratic.
MAX_SCANNED_CHARS = 4_000_000
MAX_LINK_SHARE = 0.5  # blocks mostly of links ("lire aussi") may also sit outside the body


def inline_images(
    tree: Any, blocks: Sequence[Block], *, base_url: str, lead_image: str = ""
) -> tuple[str, ...]:
    """Absolute URLs of the pictures inside the body that `blocks` were extracted from."""
    # Cheap checks first: most pages have no picture left once the lead image, links, asides
    # and pixels are set aside, and then the body is not looked for at all.
    candidates = _candidates(tree, base_url=base_url, lead_image=lead_image)
    keys = {_key(b.text) for b in blocks if b.link_share < MAX_LINK_SHARE}
    keys.discard("")
    if not candidates or not keys:
        return ()
    matched, placed = _scan(tree, keys, candidates)
    if not matched:
        return ()
    region = _common_ancestor([element for _, element in matched])
    first, last = matched[0][0], matched[-1][0]
    inside = (
        candidates[id(img)][1] for at, img in placed if first < at < last and _within(img, region)
    )
    return tuple(dict.fromkeys(inside))[:MAX_INLINE]  # page order, each picture once


def _candidates(tree: Any, *, base_url: str, lead_image: str) -> dict[int, tuple[Any, str]]:
    """id → (`<img>`, its URL) of the page's pictures that may belong to a body."""
    found: dict[int, tuple[Any, str]] = {}
    for image in tree.iter("img"):
        url = _source(image, base_url)
        if url and url != lead_image and not _tiny(image) and not _furniture(image):
            found[id(image)] = (image, url)
    return found


def _scan(
    tree: Any, keys: set[str], candidates: dict[int, tuple[Any, str]]
) -> tuple[list[tuple[int, Any]], list[tuple[int, Any]]]:
    """(position, element) of the body's text elements and of the candidate pictures, in page
    order."""
    matched: list[tuple[int, Any]] = []
    placed: list[tuple[int, Any]] = []
    budget = MAX_SCANNED_CHARS
    # Only the tags that matter, filtered by lxml: positions keep their page order.
    for position, element in enumerate(tree.iter(*_SCANNED)):
        if element.tag == "img":
            if id(element) in candidates:
                placed.append((position, element))
            continue
        text = "".join(element.itertext())
        budget -= len(text)
        if budget < 0:  # nested lists or tables read again at every level: stop there
            break
        if _key(text) in keys:
            matched.append((position, element))
    return matched, placed


def _key(text: str) -> str:
    """Text without any whitespace: `<br>` and indentation differ between page and block."""
    return "".join(text.split())


def _common_ancestor(elements: Sequence[Any]) -> Any:
    """The deepest element holding all of `elements` (itself when there is one)."""
    chain = [elements[0], *elements[0].iterancestors()]
    depth = 0
    for element in elements[1:]:
        ancestors = {id(a) for a in (element, *element.iterancestors())}
        while depth < len(chain) - 1 and id(chain[depth]) not in ancestors:
            depth += 1
    return chain[depth]


def _furniture(image: Any) -> bool:
    return any(ancestor.tag in _NOT_BODY for ancestor in image.iterancestors())


def _within(image: Any, region: Any) -> bool:
    return any(ancestor is region for ancestor in image.iterancestors())


def _source(image: Any, base_url: str) -> str:
    src = (image.get("src") or "").strip()
    candidates = [src] if src and not src.lower().startswith("data:") else []
    candidates += [value.strip() for name in _LAZY if (value := image.get(name))]
    for value in candidates:
        resolved = absolute_http_url(value, base_url)
        if resolved:
            return resolved
    return ""


def _tiny(image: Any) -> bool:
    for name in ("width", "height"):
        value = (image.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < MIN_SIDE:
            return True
    return False
