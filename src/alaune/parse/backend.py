"""The RSS/Atom engine: feedparser-rs when installed, feedparser as the fallback.

Both expose feedparser's result shape (`.version`, `.feed`, `.entries`, `.get`), so the code
that reads them (`feeds.py`) is written once. feedparser-rs (Rust) parses a 50-item feed ~80×
faster; feedparser is kept for when the wheel is missing and for documents feedparser-rs does not
recognise, since feedparser's loose SGML mode salvages more broken feeds (C3).

Two faults of feedparser-rs 0.7.1, worked around here and pinned by tests/parse/test_backends.py:
- the element right after a self-closing one (`<dc:creator/>`, `<description/>`) is lost, even a
  `<link>` or `<title>`: empty elements are written out in full before it parses;
- links to private or loopback addresses come back as "" (an SSRF filter in the wrong layer: the
  fetcher guards addresses at connect time, and the demo outlets live on 127.0.0.1): when an
  entry shows a blanked link, feedparser reads the document instead.

Both are always given UTF-8 bytes with the DOCTYPE stripped — never a str, a path or a URL:
either library fetches a URL it is handed (feedparser also opens local paths). Their own HTML
sanitizers are off: alaune sanitizes once, with its own allowlist (`text.sanitize`), which is
both safer (DESIGN.md: feedparser's left 13 of 29 vectors dangerous) and 4× cheaper.
"""

from __future__ import annotations

import re
from typing import Any

import feedparser

from alaune.parse.limits import outside_cdata

feedparser_rs: Any
try:  # an optional speed-up: the project works, slower, without it
    import feedparser_rs
except ImportError:  # pragma: no cover - depends on the installed wheels
    feedparser_rs = None

BACKENDS = ("feedparser-rs", "feedparser") if feedparser_rs is not None else ("feedparser",)
_MAX_ENTRIES = 2000
_NAME = re.compile(rb"[A-Za-z_][\w.:-]*")
# bytes.split(b"/>") runs CPython's generic substring search, which advances a byte or two at a
# time on a two-byte needle whose last byte (">") is everywhere; the regex engine's literal
# search is twice as fast and splits at exactly the same places.
_SELF_CLOSING_END = re.compile(rb"/>")
# Built once: the limits are the same for every document (an immutable settings object).
_LIMITS = (
    feedparser_rs.ParserLimits(max_entries=_MAX_ENTRIES) if feedparser_rs is not None else None
)


def run(document: bytes, *, base_url: str, xml_base: bool, backend: str = "") -> Any:
    """feedparser's result for `document`, from `backend` (default: the fastest that reads it).

    `xml_base`: resolve relative links against xml:base (Atom); RSS links are left as written
    so the caller resolves them against `base_url`, the URL the feed was fetched from, as
    feedparser does (feedparser-rs would use the channel's `<link>` instead).
    """
    order = (backend,) if backend else BACKENDS
    parsed: Any = None
    for name in order:
        parsed = _FACTORIES[name](document, base_url, xml_base)
        if (parsed.get("version") or parsed.entries) and not _blanked_links(parsed):
            return parsed
    return parsed


def expand_empty_elements(document: bytes) -> bytes:
    """`<a x="1"/>` written as `<a x="1"></a>`, outside CDATA sections (HTML there is content)."""
    return outside_cdata(document, _expand)  # _expand returns a chunk without "/>" as it is


def _expand(chunk: bytes) -> bytes:
    # Each piece between two "/>" is scanned back to its last "<" (a regex trying every "<"
    # costs 10× more); split and join run in C, so only the 50-odd empty elements cost Python.
    pieces = _SELF_CLOSING_END.split(chunk)
    if len(pieces) == 1:
        return chunk
    out: list[bytes] = []
    for piece in pieces[:-1]:
        start = piece.rfind(b"<")
        # No "<" before it, or a ">" after its "<": "/>" in text or a comment, not an element.
        name = (
            _NAME.match(piece, start + 1) if start != -1 and piece.find(b">", start) == -1 else None
        )
        # Parts, not concatenations: a piece is copied once, by the join.
        out += (piece, b"/>") if name is None else (piece, b"></", name.group(), b">")
    out.append(pieces[-1])
    return b"".join(out)


def _blanked_links(parsed: Any) -> bool:
    """feedparser-rs turned some entry's link into "" (it does so for private addresses)."""
    if feedparser_rs is None or not isinstance(parsed, feedparser_rs.FeedParserDict):
        return False
    # Attribute reads: feedparser-rs's `get(key)` reads the same attribute through a slower
    # call, and this runs on every entry of every document it parses.
    for entry in parsed.entries:
        for link in entry.links or ():
            if link.href == "":
                return True
    return False


def _rust(document: bytes, base_url: str, xml_base: bool) -> Any:
    assert feedparser_rs is not None
    try:
        return feedparser_rs.parse_with_limits(
            expand_empty_elements(document),
            limits=_LIMITS,
            sanitize_html=False,
            resolve_relative_uris=xml_base,
        )
    except Exception:  # a Rust-side error means "try the other parser"
        return feedparser.FeedParserDict(entries=[], feed=feedparser.FeedParserDict())


def _python(document: bytes, base_url: str, xml_base: bool) -> Any:
    return feedparser.parse(
        document,
        response_headers={"content-location": base_url} if base_url else {},
        sanitize_html=False,
        resolve_relative_uris=False,
    )


_FACTORIES = {"feedparser-rs": _rust, "feedparser": _python}
