"""The parsing fast paths skip work only where it is a no-op: each is checked here against the
slow path it replaces (the code as it was before the fast path), on chosen and generated inputs.

Fast paths pinned: `limits.clip` (printable text has no control character),
`limits.strip_doctype` and `limits.strip_doctype_text` (no "<!"), `limits._repair` (no "&" that
either rewrite would touch), `backend._expand` (split on "/>"), `charset.as_utf8_xml` (no 0xEF
byte), `items.plain` (no "<" and no "&"; no "<" left after conversion), `feeds._author` (no "@"),
`feeds._raw` (one reader for the string fields) and `dates._zone_shift` (memoized offsets).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import feedparser
from hypothesis import given, settings
from hypothesis import strategies as st

from alaune.parse import backend, charset, feeds, items, limits
from alaune.text import dates
from alaune.text.sanitize import html_to_text

FEED_ALPHABET = st.sampled_from(
    ["<", ">", "/", "/>", "!", "&", ";", "#", "x", "a", "amp", "lt", "eacute", "nbsp", "1", " ",
     "\n", "\t", "\x00", "\x0b", "\x1f", "\x7f", "é", "<!", "DOCTYPE", "doctype", "ENTITY",
     "[", "]", "<![CDATA[", "]]>", "<b>", "</b>", "<a x='1'/>", "<br/>", "\ufffe", "\uffff",
     "\ufeff", "ﻻ", "@", "(", ")", "\u200b", "'"]
)  # fmt: skip
feedish = st.lists(FEED_ALPHABET, max_size=40).map("".join)


# -- limits.clip ---------------------------------------------------------------------------


def _clip_before(value: str | None, limit: int) -> str:
    return limits._CONTROL.sub("", value).strip()[:limit] if value else ""


def test_every_character_clip_removes_is_not_printable() -> None:
    # The proof behind `value.isprintable()` skipping the regex: it removes nothing printable.
    removed = [chr(c) for c in range(0x110000) if limits._CONTROL.match(chr(c))]
    assert len(removed) == 32 + 1 + 2 - 3  # C0 minus \t \n \r, DEL, U+FFFE, U+FFFF
    assert not any(c.isprintable() for c in removed)


@given(feedish, st.integers(min_value=0, max_value=50))
@settings(max_examples=400)
def test_clip_is_unchanged(value: str, limit: int) -> None:
    assert limits.clip(value, limit) == _clip_before(value, limit)


# -- limits.strip_doctype and limits.repair_entities ---------------------------------------


def _strip_doctype_before(data: bytes) -> bytes:
    return limits._ENTITY.sub(b"", limits._DOCTYPE.sub(b"", data, count=1))


def _repair_before(chunk: bytes) -> bytes:
    if b"&" not in chunk:
        return chunk
    return limits._HTML_ENTITY.sub(
        limits._entity_reference, limits._BARE_AMPERSAND.sub(b"&amp;", chunk)
    )


@given(feedish)
@settings(max_examples=400)
def test_strip_doctype_is_unchanged(text: str) -> None:
    data = text.encode()
    assert limits.strip_doctype(data) == _strip_doctype_before(data)


def test_strip_doctype_still_removes_declarations_in_any_case() -> None:
    data = b'<!doctype rss [<!eNtItY x "y">]><rss/><!ENTITY z "w">'
    assert limits.strip_doctype(data) == _strip_doctype_before(data) == b"<rss/>"


AFTER_AMPERSAND = [
    "", ";", "amp;", "amp", "ampx;", "lt;", "gt;", "quot;", "apos;", "aposx;", "eacute;",
    "nbsp;", "unknown;", "#233;", "#1234567;", "#12345678;", "#x20AC;", "#X20ac;",
    "#x1234567;", "#;", "#x;", "a" * 32 + ";", "a" * 33 + ";", " ", "&", "é;", "1;",
]  # fmt: skip


def test_repair_is_unchanged_for_every_kind_of_ampersand() -> None:
    for first, second in itertools.product(AFTER_AMPERSAND, repeat=2):
        chunk = f"a &{first} b &{second} c".encode()
        assert limits._repair(chunk) == _repair_before(chunk), chunk
        assert limits._repair(chunk.replace(b"&", b"&amp;", 1)) == _repair_before(
            chunk.replace(b"&", b"&amp;", 1)
        )


def test_repair_skips_a_chunk_with_only_xml_references() -> None:
    chunk = b"<t>a &amp; b &lt;p&gt; &#233; &#x20AC; &quot;&apos;</t>"
    assert limits._NEEDS_REPAIR.search(chunk) is None
    assert limits._repair(chunk) is chunk


@given(feedish)
@settings(max_examples=400)
def test_repair_entities_is_unchanged(text: str) -> None:
    data = text.encode()
    assert limits.repair_entities(data) == limits.outside_cdata(data, _repair_before)


# -- backend._expand -----------------------------------------------------------------------


def _expand_before(chunk: bytes) -> bytes:
    out: list[bytes] = []
    position = 0
    while (end := chunk.find(b"/>", position)) != -1:
        start = chunk.rfind(b"<", position, end)
        name = backend._NAME.match(chunk, start + 1) if start != -1 else None
        if name is None or b">" in chunk[start:end]:
            out.append(chunk[position : end + 2])
        else:
            out.append(chunk[position:end] + b"></" + name.group() + b">")
        position = end + 2
    out.append(chunk[position:])
    return b"".join(out)


@given(feedish)
@settings(max_examples=600)
def test_expand_is_unchanged(text: str) -> None:
    data = text.encode()
    assert backend._expand(data) == _expand_before(data)
    assert backend.expand_empty_elements(data) == limits.outside_cdata(data, _expand_before)


def test_expand_cases() -> None:
    cases = [
        b"",
        b"no element",
        b'<a x="1"/>',
        b'<m:c url="u" />tail<b/>',
        b"a/>b",
        b"<!-- x/> -->",
        b"<a>t/></a>",
        b"</>",
        b"<1/>",
        b"<a/><b/>/>",
    ]
    for case in cases:
        assert backend._expand(case) == _expand_before(case), case
    assert backend._expand(b'<a x="1"/>') == b'<a x="1"></a>'


# -- charset.as_utf8_xml -------------------------------------------------------------------


def test_as_utf8_xml_removes_noncharacters_and_keeps_other_ef_bytes() -> None:
    text = "<t>a\ufffeb\uffffc ﻻ \ufeff \uff21</t>"  # presentation form, BOM, fullwidth A
    assert charset.as_utf8_xml(text) == "<t>abc ﻻ \ufeff \uff21</t>".encode()
    assert charset.as_utf8_xml("<t>plain é</t>") == "<t>plain é</t>".encode()


# -- items.plain ---------------------------------------------------------------------------


def _plain_before(value: str, limit: int) -> str:
    text = html_to_text(value[: limit * 8])
    for _ in range(3):
        if not items._TAG_LIKE.search(text):
            break
        text = html_to_text(text)
    else:
        text = items._TAG_LIKE.sub("", text)
    return limits.clip(text, limit)


@given(feedish, st.sampled_from([1, 5, 300, 1000]))
@settings(max_examples=600)
def test_plain_is_unchanged(value: str, limit: int) -> None:
    assert items.plain(value, limit) == _plain_before(value, limit)


def test_plain_cases() -> None:
    for value in [
        "Plain  title\n with   spaces",
        "a < b & c",
        "Sécurité & santé",
        "&lt;script&gt;alert(1)&lt;/script&gt; x",
        "&amp;lt;b&amp;gt;bold",
        "<b>Bold</b> &eacute;t&eacute;",
        "<المرحلة>",
        "x" * 9000,
    ]:
        assert items.plain(value, 1000) == _plain_before(value, 1000), value


# -- feeds._author and feeds._raw ----------------------------------------------------------


@given(feedish)
@settings(max_examples=300)
def test_author_regex_needs_an_at_sign(text: str) -> None:
    if "@" not in text:
        assert feeds._NAME_IN_AUTHOR.match(text) is None


def test_author_forms() -> None:
    for raw, name in [
        ("a@b.ma (Nom Prénom)", "Nom Prénom"),
        ("Nom (a@b.ma)", "Nom"),
        ("Nom <a@b.ma>", "Nom"),
        ("Rédaction économie", "Rédaction économie"),
        ("", ""),
    ]:
        assert feeds._author(feedparser.FeedParserDict(author=raw)) == name


def test_raw_reads_only_strings_from_both_kinds_of_entry() -> None:
    class Entry:  # feedparser-rs's entries are not dicts; they have .get
        def __init__(self, **values: object) -> None:
            self.values = values

        def get(self, key: str, default: object = None) -> object:
            return self.values.get(key, default)

    values: dict[str, object] = {
        "link": "https://n.example/1",
        "title": 12,  # not a string: read as ""
        "id": None,
        "published": "Tue, 24 Nov 2026 10:00:00 +0100",
        "summary": "<p>s</p>",
        "links": [{"rel": "alternate", "href": "https://n.example/2"}],
    }
    for entry in (feedparser.FeedParserDict(values), Entry(**values)):
        raw = feeds._raw(entry, atom=False)
        assert (raw.link, raw.title, raw.guid, raw.updated, raw.summary) == (
            "https://n.example/1",
            "",
            "",
            "",
            "<p>s</p>",
        )
        assert raw.published == "Tue, 24 Nov 2026 10:00:00 +0100"
    no_link = feedparser.FeedParserDict({**values, "link": ""})
    assert feeds._raw(no_link, atom=False).link == "https://n.example/2"


# -- dates._zone_shift ---------------------------------------------------------------------


def _minutes_before(zone: str) -> int | None:
    return dates._RFC822_ZONES.get(zone) if zone[0] not in "+-" else dates._offset_minutes(zone)


def test_zone_shift_matches_the_offset_and_is_bounded() -> None:
    for zone in ["GMT", "UTC", "UT", "Z", "+0100", "-0500", "+1400", "+1401", "-1500", "+0530"]:
        minutes = _minutes_before(zone)
        expected = None if minutes is None else timedelta(minutes=minutes)
        assert dates._zone_shift(zone) == expected
        assert dates._zone_shift(zone) == expected  # memoized answer, the same
    for n in range(3 * dates._MAX_ZONE_SHIFTS):
        dates._zone_shift(f"+{n % 15:02d}{n % 60:02d}".translate({48: "٠"}))
    assert len(dates._ZONE_SHIFTS) <= dates._MAX_ZONE_SHIFTS


def test_rfc822_dates_read_the_same() -> None:
    for value, expected in [
        ("Tue, 24 Nov 2026 10:00:00 +0100", datetime(2026, 11, 24, 9, 0, tzinfo=UTC)),
        ("24 Nov 2026 10:00 GMT", datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
        ("Tue, 24 Nov 2026 10:00:00 -0330", datetime(2026, 11, 24, 13, 30, tzinfo=UTC)),
        ("Tue, 24 Nov 2026 10:00:00 +1500", None),
    ]:
        assert dates._rfc822(value) == expected, value


@given(feedish)
@settings(max_examples=300)
def test_strip_doctype_text_is_unchanged(text: str) -> None:
    def before(value: str) -> str:
        if "<!doctype" not in value[:4096].lower():
            return value
        return limits._ENTITY_TEXT.sub("", limits._DOCTYPE_TEXT.sub("", value, count=1))

    assert limits.strip_doctype_text(text) == before(text)
    assert limits.strip_doctype_text("<!DocType rss [<!ENTITY a 'b'>]><rss/>") == "<rss/>"
