"""Caps shared by every parser, and the byte-level defusing every XML document gets first
(SECURITY.md C1, C2, C3, C5, C7): DOCTYPE and entity declarations removed, gzip inflated up to a
cap, oversized documents and entry counts cut, the two commonest well-formedness errors repaired.

Pure byte and string functions. They must never expand an entity or resolve anything: what they
cannot repair they turn into text.
"""

from __future__ import annotations

import html.entities
import re
import zlib
from collections.abc import Callable

from alaune.parse.result import ListingError

MAX_DOCUMENT = 16 * 1024 * 1024  # bytes, after gunzip: more is no listing of ours
MAX_ITEMS = 2000  # per listing, as Media Cloud does
MAX_TITLE = 1000
MAX_SUMMARY = 20_000
MAX_CONTENT = 200_000
MAX_AUTHOR = 300
MAX_GUID = 2048
MAX_CATEGORY = 200
MAX_CATEGORIES = 50
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.IGNORECASE | re.DOTALL)
_ENTITY = re.compile(rb"<!ENTITY[^>]*>", re.IGNORECASE | re.DOTALL)
_DOCTYPE_TEXT = re.compile(r"<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.IGNORECASE | re.DOTALL)
_ENTITY_TEXT = re.compile(r"<!ENTITY[^>]*>", re.IGNORECASE | re.DOTALL)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_GZIP = b"\x1f\x8b"
_ENTRY_START = re.compile(rb"<(?:item|entry)[\s>/]")


def strip_doctype(data: bytes) -> bytes:
    """Remove DOCTYPE declarations and entity definitions before any XML parser sees them.

    Billion-laughs and external entities cannot expand if they were never declared (C1, C2);
    CommaFeed does the same. Old RSS 0.91 feeds name a DTD but parse fine without it.
    """
    # Both patterns start with "<!": without one there is nothing to remove. A one-byte search
    # runs as memchr, so "!" (rare in feeds) is looked for first.
    if b"!" not in data or b"<!" not in data:
        return data
    return _ENTITY.sub(b"", _DOCTYPE.sub(b"", data, count=1))


def strip_doctype_text(text: str) -> str:
    """`strip_doctype` for decoded text, done before sniffing: a 50 kB internal subset must not
    hide the root element from `detect.sniff` (C1's quadratic blowup does exactly that)."""
    head = text[:4096]
    # "!" first (one character: a memchr-speed scan), then "<!", then a lower-case copy.
    if "!" not in head or "<!" not in head or "<!doctype" not in head.lower():
        return text
    return _ENTITY_TEXT.sub("", _DOCTYPE_TEXT.sub("", text, count=1))


def gunzip(data: bytes) -> bytes:
    """`data` inflated if it is gzip (a `.xml.gz` sitemap), stopping at MAX_DOCUMENT (C7).

    The fetcher inflates Content-Encoding itself; a gzip *file* arrives here still packed.
    """
    if not data.startswith(_GZIP):
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_DOCUMENT)
    except zlib.error as exc:
        raise ListingError("parse_error", f"invalid gzip data: {exc}") from None
    if inflater.unconsumed_tail:
        raise ListingError("too_large", f"too large: inflates past {MAX_DOCUMENT} bytes")
    return out


def first_entries(document: bytes, limit: int = MAX_ITEMS) -> bytes:
    """`document` cut before its entry number `limit + 1` (an `<item>` or `<entry>`), so that
    100 000 entries cost the parser no more than 2 000 (C5). The parsers salvage the cut end.

    Small documents are returned as they are: the scan is only worth it past 512 KiB.
    """
    if len(document) < 512 * 1024:
        return document
    for count, match in enumerate(_ENTRY_START.finditer(document)):
        if count == limit:
            return document[: match.start()]
    return document


def check_size(data: bytes) -> None:
    if len(data) > MAX_DOCUMENT:
        raise ListingError("too_large", f"too large: {len(data)} bytes (cap {MAX_DOCUMENT})")


def clip(value: str | None, limit: int) -> str:
    """`value` without control characters, stripped, cut to `limit` characters."""
    if not value:
        return ""
    # Every character _CONTROL removes is non-printable (Cc or Cn): a printable value has none.
    text = value if value.isprintable() else _CONTROL.sub("", value)
    return text.strip()[:limit]


_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
_BARE_AMPERSAND = re.compile(
    rb"&(?!(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)"
)
_HTML_ENTITY = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{0,31});")
# An "&" that either pattern above would rewrite: one that does not start one of XML's five
# entities or a character reference. Without one, `_repair` is a no-op, done in one scan.
_NEEDS_REPAIR = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)")


def outside_cdata(document: bytes, rewrite: Callable[[bytes], bytes]) -> bytes:
    """`document` with `rewrite` applied to everything but its CDATA sections."""
    # A one-byte search runs at memchr speed, the nine-byte marker's search 20× slower: look
    # for "!" first (a feed without CDATA often has none at all).
    if b"!" not in document or b"<![CDATA[" not in document:
        return rewrite(document)
    parts = _CDATA.split(document)
    # re.split with one group: even indexes are the text between, odd ones the CDATA sections.
    return b"".join(part if n % 2 else rewrite(part) for n, part in enumerate(parts))


def repair_entities(document: bytes) -> bytes:
    """Make the two commonest feed errors well-formed, outside CDATA sections (C3).

    A bare "&" ("Sécurité & santé") becomes "&amp;"; an HTML entity XML does not know
    ("&eacute;", "&nbsp;") becomes its character reference; any other named entity ("&x;" of a
    stripped billion-laughs DOCTYPE) becomes text. A strict parser would otherwise drop
    the entry or the whole feed. Both spellings mean the same once the field is read as HTML.
    """
    if b"&" not in document:
        return document
    return outside_cdata(document, _repair)


def _repair(chunk: bytes) -> bytes:
    if b"&" not in chunk or not _NEEDS_REPAIR.search(chunk):
        return chunk
    return _HTML_ENTITY.sub(_entity_reference, _BARE_AMPERSAND.sub(b"&amp;", chunk))


def _entity_reference(match: re.Match[bytes]) -> bytes:
    name = match.group(1).decode("ascii")
    text = html.entities.html5.get(f"{name};")
    if text is None:
        # Undeclared (its DOCTYPE was stripped, or it never existed): shown as the text it is,
        # so the rest of the feed still parses, and nothing is ever expanded (C1, C2).
        return b"&amp;" + match.group(1) + b";"
    return "".join(f"&#{ord(c)};" for c in text).encode("ascii")
