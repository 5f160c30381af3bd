"""How the bytes of a listing become text: the order of evidence (alaune.parse.charset, C4)."""

from __future__ import annotations

import pytest

from alaune.parse.charset import MARK, as_utf8_xml, decode
from alaune.parse.mojibake import is_plausible, suspicion

ARABIC = "الحكومة تعلن عن خطة جديدة"
FRENCH = "Sécurité routière : les élèves de Fès"


@pytest.mark.parametrize(
    ("data", "declared", "encoding", "text"),
    [
        (FRENCH.encode(), "", "utf-8", FRENCH),
        (FRENCH.encode(), "windows-1252", "utf-8", FRENCH),  # valid UTF-8 beats a declaration
        (b"\xef\xbb\xbf" + FRENCH.encode(), "", "utf-8", FRENCH),
        (b"\xff\xfe" + FRENCH.encode("utf-16-le"), "", "utf-16-le", FRENCH),
        (b"\xfe\xff" + FRENCH.encode("utf-16-be"), "", "utf-16-be", FRENCH),
        (ARABIC.encode("cp1256"), "windows-1256", "cp1256", ARABIC),  # the HTTP charset
        (ARABIC.encode("cp1256"), "", "cp1256", ARABIC),  # guessed
        (ARABIC.encode("cp1256"), "iso-8859-1", "cp1256", ARABIC),  # a wrong declaration loses
        (FRENCH.encode("latin-1"), "", "cp1252", FRENCH),
        (FRENCH.encode("latin-1"), "utf-16", "cp1252", FRENCH),  # UTF-16 without zero bytes: a lie
        ("Привет мир".encode("koi8-r"), "koi8-r", "koi8-r", "Привет мир"),
        ("中文新闻".encode("gb18030"), "gb2312", "gb18030", "中文新闻"),
    ],
)
def test_evidence_order(data: bytes, declared: str, encoding: str, text: str) -> None:
    decoded = decode(data, declared=declared)
    assert (decoded.encoding, decoded.text, decoded.damaged) == (encoding, text, False)


def test_the_xml_prolog_and_html_meta_are_read() -> None:
    prolog = f'<?xml version="1.0" encoding="windows-1256"?><t>{ARABIC}</t>'.encode("cp1256")
    meta = f'<html><head><meta charset="windows-1256"></head><p>{ARABIC}</p>'.encode("cp1256")
    assert decode(prolog).encoding == decode(meta).encoding == "cp1256"


def test_bytes_that_fit_no_charset_are_marked_not_guessed() -> None:
    decoded = decode(FRENCH.encode() + b" " + FRENCH.encode("cp1252"))
    assert decoded.damaged
    assert MARK in decoded.text
    assert decoded.encoding == "utf-8"


def test_as_utf8_xml_rewrites_the_prolog_and_removes_what_xml_forbids() -> None:
    text = ' \n<?xml version="1.0" encoding="windows-1256"?><rss>a\x00b\x0bc\ufffed</rss>'
    assert as_utf8_xml(text) == b'<?xml version="1.0" encoding="utf-8"?><rss>abcd</rss>'


@pytest.mark.parametrize(
    ("text", "plausible"),
    [
        (FRENCH, True),
        (ARABIC, True),
        ("Привет мир, новости дня", True),
        ("20 € — « bravo » © AFP, n° 5", True),
        ("ÇáÍßæãÉ ÊÚáä Úä ÎØÉ", False),  # Arabic read as cp1252
        ("SÃ©curitÃ© routiÃ¨re", False),  # UTF-8 read as cp1252
        ("l’Ã©cole", False),
        ("╔═══╗ ░▒▓", False),  # random bytes read as KOI8-R
    ],
)
def test_mojibake_is_told_from_writing(text: str, plausible: bool) -> None:
    assert is_plausible(text) is plausible, suspicion(text)
