"""The second round of parsing fast paths, each pinned against the code it replaced (as it was
before), like tests/parse/test_fast_paths.py does for the first round.

Pinned here: `limits.outside_cdata` (looks for "!" before "<![CDATA["), `charset.decode`'s
`utf8` and `as_utf8_xml(encoded=…)` (the input bytes instead of encoding the text again),
`feeds._raw` (a field reader chosen once per entry instead of `_get` per field), and
`items._label` (authors and categories remembered per document). `backend._expand`, now split
by a compiled pattern, stays pinned by test_fast_paths.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alaune.parse import backend, charset, feeds, items, limits
from alaune.parse.backend import BACKENDS

# The pieces feeds are made of, as in test_fast_paths.py.
feedish = st.lists(
    st.sampled_from(
        ["<", ">", "/", "/>", "!", "&", ";", "#", "x", "a", "amp", "lt", "eacute", " ", "\n",
         "\x00", "\x0b", "é", "<!", "DOCTYPE", "[", "]", "<![CDATA[", "]]>", "<b>", "</b>",
         "<br/>", "\ufffe", "\ufeff", "ﻻ", "@", "(", ")", "\u200b", "'", "<?xml ?>"]
    ),
    max_size=40,
).map("".join)  # fmt: skip

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)


# -- limits.outside_cdata ------------------------------------------------------------------


def _outside_cdata_before(document: bytes, rewrite: Callable[[bytes], bytes]) -> bytes:
    if b"<![CDATA[" not in document:
        return rewrite(document)
    parts = _CDATA.split(document)
    return b"".join(part if n % 2 else rewrite(part) for n, part in enumerate(parts))


@given(feedish)
@settings(max_examples=400)
def test_outside_cdata_is_unchanged(text: str) -> None:
    data = text.encode()

    def mark(chunk: bytes) -> bytes:
        return b"[" + chunk.upper() + b"]"

    assert limits.outside_cdata(data, mark) == _outside_cdata_before(data, mark)


def test_outside_cdata_still_keeps_cdata_sections() -> None:
    data = b"<a>x<![CDATA[<b>&</b>]]>y</a>"
    assert limits.outside_cdata(data, bytes.upper) == b"<A>X<![CDATA[<b>&</b>]]>Y</A>"


# -- charset: the decoded bytes reused ------------------------------------------------------


@given(st.one_of(feedish.map(str.encode), st.binary(max_size=64)))
@settings(max_examples=400)
def test_decode_hands_back_its_input_only_when_it_is_the_texts_utf8(data: bytes) -> None:
    decoded = charset.decode(data)
    if decoded.utf8 is not None:
        assert decoded.utf8 is data
        assert decoded.text.encode("utf-8") == data


@given(feedish)
@settings(max_examples=400)
def test_as_utf8_xml_from_the_input_bytes_is_unchanged(text: str) -> None:
    for document in (text, '<?xml version="1.0" encoding="iso-8859-1"?>' + text):
        assert charset.as_utf8_xml(document, encoded=document.encode()) == charset.as_utf8_xml(
            document
        )


def test_a_bom_or_a_legacy_charset_gives_no_utf8_bytes() -> None:
    assert charset.decode(b"\xef\xbb\xbf<rss/>").utf8 is None
    assert charset.decode("<rss>é</rss>".encode("cp1252")).utf8 is None
    assert charset.decode(b"<rss>\xe9\xe9 \xc3\xa9</rss>").utf8 is None  # mixed: damaged


# -- feeds._raw ----------------------------------------------------------------------------


def _raw_before(entry: Any, *, atom: bool) -> items.RawItem:
    """`feeds._raw` as it was: `_get` for every string field, the entry's own `get` for lists."""
    get = feeds._get
    tags = (entry.get("tags") or [])[: feeds.MAX_CATEGORIES * 2]
    found: list[str] = []
    for media in entry.get("media_content") or ():
        kind = get(media, "medium") or get(media, "type")
        url = get(media, "url")
        if kind.startswith("image") or (kind in ("", "unknown") and feeds._IMAGE_PATH.search(url)):
            found.append(url)
    found += [get(m, "url") for m in entry.get("media_thumbnail") or ()]
    for enclosure in entry.get("enclosures") or ():
        if get(enclosure, "type").startswith("image/"):
            found.append(get(enclosure, "href"))
    link = get(entry, "link")
    if not link:
        for candidate in entry.get("links") or ():
            href = get(candidate, "href")
            if href and get(candidate, "rel") in ("", "alternate"):
                link = href
                break
    content = ""
    for block in entry.get("content") or ():
        value = get(block, "value")
        if value:
            content = feeds._html(block, value)
            break
    summary = get(entry, "summary")
    detail = (
        dict.get(entry, "summary_detail")
        if isinstance(entry, dict)
        else entry.get("summary_detail")
    )
    return items.RawItem(
        link=link,
        title=get(entry, "title"),
        guid=get(entry, "id"),
        published=get(entry, "published"),
        updated=get(entry, "updated"),
        author=_author_before(entry),
        summary=feeds._html(detail, summary) if atom else summary,
        content=content,
        categories=tuple([get(t, "label") or get(t, "term") for t in tags]),
        images=tuple(u for u in found if u),
    )


def _author_before(entry: Any) -> str:
    author = feeds._get(entry, "author")
    match = feeds._NAME_IN_AUTHOR.match(author) if "@" in author else None
    if match:
        return next(group for group in match.groups() if group)
    if author:
        return author
    for person in entry.get("authors") or ():
        name = feeds._get(person, "name")
        if name:
            return name
    return ""


def _entries(path: Path, backend_name: str) -> tuple[list[Any], bool]:
    text = charset.decode(path.read_bytes()).text
    document = limits.repair_entities(limits.strip_doctype(charset.as_utf8_xml(text)))
    atom = "atom" in path.name
    parsed = backend.run(document, base_url="", xml_base=atom, backend=backend_name)
    return list(parsed.entries), atom


FEEDS = sorted(
    p for p in GOLDEN.iterdir() if p.suffix in (".xml", ".rdf") and "sitemap" not in p.name
)


@pytest.mark.parametrize("backend_name", BACKENDS)
@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_raw_reads_every_golden_entry_as_before(path: Path, backend_name: str) -> None:
    entries, atom = _entries(path, backend_name)
    assert entries, path.name
    for entry in entries:
        assert feeds._raw(entry, atom=atom) == _raw_before(entry, atom=atom)
        assert feeds._author(entry) == _author_before(entry)


# -- items._label --------------------------------------------------------------------------


@pytest.mark.parametrize("backend_name", BACKENDS)
@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_one_context_per_document_finishes_entries_as_one_per_entry(
    path: Path, backend_name: str
) -> None:
    entries, atom = _entries(path, backend_name)
    shared = items.Context(base_url="https://n.example/feed.xml", now=NOW)
    for entry in entries:
        raw = feeds._raw(entry, atom=atom)
        alone = items.Context(base_url=shared.base_url, now=NOW)
        assert items.finish(raw, shared) == items.finish(raw, alone)


@given(st.lists(feedish, max_size=8), st.sampled_from([5, 200, 300]))
@settings(max_examples=300)
def test_label_is_plain_remembered(values: list[str], limit: int) -> None:
    labels: dict[tuple[str, int], str] = {}
    for value in values + values:
        assert items._label(value, limit, labels) == items.plain(value, limit)


def test_labels_remembered_per_document_are_bounded() -> None:
    labels: dict[tuple[str, int], str] = {}
    for n in range(items.MAX_LABELS + 100):
        assert items._label(f"Catégorie {n}", 200, labels) == f"Catégorie {n}"
    assert len(labels) == items.MAX_LABELS
