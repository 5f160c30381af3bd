"""Bytes of a listing to correct text: the one place where encodings are decided (SECURITY.md C4).

Order of evidence: a byte-order mark; then valid UTF-8 (a multi-byte UTF-8 sequence does not occur
by chance in legacy text, so a feed that declares ISO-8859-1 but sends UTF-8 is read as UTF-8);
then the declared charset (HTTP header, XML prolog or HTML `<meta>`) if it decodes into plausible
text; then a guess among the single-byte charsets our outlets use (windows-1252, windows-1256,
KOI8-R, windows-1251, ISO-8859-6), ranked by `mojibake.suspicion`. When none fits — a
mixed-encoding body, say — the text is decoded as UTF-8 with U+FFFD marking each bad byte, and
`damaged` says so: the parsers then reject every item that carries a mark with "encoding error",
instead of storing mojibake.

The parsers downstream always receive UTF-8 (`as_utf8_xml`), so no XML library second-guesses the
encoding. Pure; never reads a path or a URL.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from alaune.parse.mojibake import is_plausible, suspicion

MARK = "\ufffd"
GUESSES = ("cp1252", "cp1256", "koi8-r", "cp1251", "iso8859-6")
# WHATWG (and every browser) reads these labels as windows-1252 and gb2312 as GBK: the C1 bytes
# of "ISO-8859-1" feeds are cp1252 curly quotes in practice.
_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_PROLOG_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_PROLOG = re.compile(rb"<\?xml[^>]*\?>")
# Characters XML 1.0 forbids (C3): a single one makes a strict parser give up on the document.
_NOT_XML_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a document and how it was read."""

    text: str
    encoding: str  # the codec used, e.g. "utf-8", "cp1256"
    damaged: bool = False  # some bytes fit no encoding; each is a MARK in `text`
    # The input itself when `text` is exactly its UTF-8 decoding (no BOM, nothing replaced):
    # `as_utf8_xml` then starts from these bytes instead of encoding the text again.
    utf8: bytes | None = field(default=None, repr=False, compare=False)


def decode(data: bytes, *, declared: str = "") -> Decoded:
    """Decode `data`; `declared` is the charset of the HTTP Content-Type header, if any."""
    by_bom = _bom(data)
    if by_bom:
        codec, skip = by_bom
        return _decode_or_damaged(data[skip:], codec)
    wide = _utf16_without_bom(data)
    if wide:
        return _decode_or_damaged(data, wide)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", utf8=data)
    except UnicodeDecodeError:
        pass
    for label in (declared, _in_document(data)):
        codec = _codec(label)
        if codec and codec != "utf-8":
            text = _try(data, codec)
            if text is not None and (not _single_byte(codec) or is_plausible(text)):
                return Decoded(text, codec)
    return _guess(data)


def as_utf8_xml(text: str, *, encoded: bytes | None = None) -> bytes:
    """`text` as UTF-8 bytes whose XML prolog, if any, says so; characters XML forbids removed.

    `encoded`, when given, must be `text.encode("utf-8")` (`Decoded.utf8`): it saves the copy.
    """
    if encoded is None:
        encoded = text.encode("utf-8")
    # bytes.translate and bytes.replace run in C: a regex over the text costs ten times more.
    data = encoded.translate(None, _NOT_XML_BYTES).lstrip()
    # Both start with byte 0xEF, found by memchr; a three-byte search scans 10× slower.
    if b"\xef" in data and (b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data):  # U+FFFE/F
        data = data.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    prolog = _PROLOG.match(data)
    return b'<?xml version="1.0" encoding="utf-8"?>' + data[prolog.end() :] if prolog else data


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII markup interleaved with zero bytes ("<\\0r\\0s\\0s\\0")."""
    head = data[:64]
    if len(head) < 8:
        return None
    if head[1::2].count(0) == len(head[1::2]) and 0 not in head[0::2][:4]:
        return "utf-16-le"
    if head[0::2].count(0) == len(head[0::2]) and 0 not in head[1::2][:4]:
        return "utf-16-be"
    return None


def _in_document(data: bytes) -> str:
    head = data[:1024]
    match = _PROLOG_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else ""


def _codec(label: str) -> str:
    """Python's name for a charset label, with WHATWG's aliases; "" if unknown."""
    if not label:
        return ""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return ""
    # A label that names UTF-16/32 without a BOM or zero bytes is a lie: the bytes are 8-bit.
    if name.startswith(("utf-16", "utf-32")):
        return ""
    return _ALIASES.get(name, name)


def _single_byte(codec: str) -> bool:
    return codec.startswith(("cp12", "cp8", "cp4", "iso8859", "koi8", "mac", "latin"))


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _guess(data: bytes) -> Decoded:
    ranked: list[tuple[float, int, str, str]] = []
    for order, codec in enumerate(GUESSES):
        text = _try(data, codec)
        if text is not None:
            ranked.append((suspicion(text), order, codec, text))
    if ranked:
        _, _, codec, text = min(ranked)
        if is_plausible(text):
            return Decoded(text, codec)
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8", damaged=True)


def _decode_or_damaged(data: bytes, codec: str) -> Decoded:
    text = _try(data, codec)
    if text is not None:
        return Decoded(text, codec)
    return Decoded(data.decode(codec, errors="replace"), codec, damaged=True)
