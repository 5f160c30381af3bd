"""OPML import and export: bytes in, outlets and a report out; outlets in, bytes out (SECURITY G4).

`read_opml` refuses a whole document that is too big (`MAX_BYTES`), has too many outlines
(`MAX_OUTLINES`), nests too deep (`MAX_DEPTH`) or declares entities; it decodes the rest itself,
removes any DOCTYPE and parses with entities, DTDs and the network off, so an entity bomb or an
external entity has nothing to expand. Each feed outline is then checked with the registry's
URL rules: the result lists the new outlets, the feeds already known, and every rejected outline
with its reason, and the caller applies all of it or none. Export is `opml_write.write_opml`,
re-exported here. Pure: no files, no network.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from alaune.errors import AlauneError
from alaune.model import FeedRef, Outlet
from alaune.sources.entries import suggest_id
from alaune.sources.opml_write import NS, write_opml
from alaune.sources.registry import feed_key
from alaune.sources.schema import FEED_KINDS, LANGUAGES
from alaune.sources.urls import UrlRefused, check_url

__all__ = ["OpmlError", "OpmlImport", "Rejected", "read_opml", "write_opml"]

MAX_BYTES = 10 * 1024 * 1024
MAX_OUTLINES = 5_000
MAX_DEPTH = 16  # outlines within outlines; real files use 1 to 3
_A = f"{{{NS}}}"
# A DOCTYPE with or without an internal subset. Entity values may hold ">" but not "]>" unquoted;
# if this is fooled, the parser below still neither loads nor expands entities.
_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]{1,40})[\"']")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_FEED_TYPES = frozenset({"rss", "atom", ""})


class OpmlError(AlauneError):
    """The document as a whole cannot be imported (size, count, depth, not OPML)."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """An outline that cannot be imported: where it is, the URL it named, and why."""

    where: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.url[:120]!r}: {self.reason}"


@dataclass(frozen=True, slots=True)
class OpmlImport:
    """What an OPML document holds: new outlets, feeds already known, rejected outlines."""

    outlets: tuple[Outlet, ...]
    known: tuple[str, ...]
    rejected: tuple[Rejected, ...]

    @property
    def complete(self) -> bool:
        return not self.rejected


@dataclass
class _Group:
    name: str
    homepage: str
    languages: tuple[str, ...]
    country: str
    wanted_id: str
    feeds: list[FeedRef] = field(default_factory=list)


def read_opml(
    data: bytes,
    *,
    language: str = "",
    known_ids: Collection[str] = (),
    known_feeds: Collection[str] = (),
    allow: Collection[str] = (),
) -> OpmlImport:
    """The outlets an OPML document lists. `OpmlError` if it cannot be read at all.

    `language` is used for outlines that name none; `known_ids` and `known_feeds` (the registry's)
    keep new ids unique and skip feeds already followed. Imported outlets are unverified.
    """
    body = _parse(data)
    rejected: list[Rejected] = []
    known: list[str] = []
    groups: dict[str, _Group] = {}
    seen = {feed_key(url) for url in known_feeds}
    for n, outline in enumerate(body.iter("outline"), start=1):
        url = outline.get("xmlUrl") or (outline.get("url") if outline.get(_A + "kind") else None)
        if url is None:
            if outline.get("type", "").lower() in ("rss", "atom"):
                rejected.append(Rejected(_where(n, outline), "", "feed outline without xmlUrl"))
            continue
        reason, feed = _feed(url.strip(), outline, allow)
        if feed is None:
            rejected.append(Rejected(_where(n, outline), url, reason))
            continue
        if feed_key(feed.url) in seen:
            known.append(feed.url)
            continue
        seen.add(feed_key(feed.url))
        group = _group_of(outline, feed, language, groups)
        if group is None:
            message = f'no language: add language="fr|ar|en" or pass one ({", ".join(LANGUAGES)})'
            rejected.append(Rejected(_where(n, outline), url, message))
            continue
        group.feeds.append(feed)
    outlets = _outlets(groups.values(), known_ids, allow)
    return OpmlImport(tuple(outlets), tuple(known), tuple(rejected))


def _parse(data: bytes) -> etree._Element:
    if len(data) > MAX_BYTES:
        raise OpmlError(f"the OPML file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    text = _DOCTYPE.sub("", _XML_DECLARATION.sub("", _decode(data), count=1), count=1)
    # libxml2 expands internal entities inside attribute values even with resolve_entities off,
    # and OPML has no use for a DTD: any declaration the DOCTYPE removal missed is refused.
    if "<!ENTITY" in text.upper() or "<!DOCTYPE" in text.upper():
        raise OpmlError("the OPML file declares entities or a DOCTYPE, which OPML never needs")
    parser = etree.XMLParser(
        encoding="utf-8",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"not well-formed XML: {exc}") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname != "opml":
        raise OpmlError("not an OPML document (the root element is not <opml>)")
    body = root.find("body")
    if body is None:
        raise OpmlError("not an OPML document (no <body>)")
    count = sum(1 for _ in body.iter("outline"))
    if count > MAX_OUTLINES:
        raise OpmlError(f"the OPML file has {count:,} outlines; the limit is {MAX_OUTLINES:,}")
    depth = max(
        (len(list(o.iterancestors("outline"))) + 1 for o in body.iter("outline")), default=0
    )
    if depth > MAX_DEPTH:
        raise OpmlError(f"outlines are nested {depth} deep; the limit is {MAX_DEPTH}")
    return body


def _decode(data: bytes) -> str:
    """The document as text: decoded here, so that the DOCTYPE check sees UTF-16 files too."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    else:
        if data[:2] in (b"<\x00", b"\x00<"):
            encoding = "utf-16-le" if data[:1] == b"<" else "utf-16-be"
        elif match := _DECLARED.match(data):
            encoding = match.group(1).decode("ascii")
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise OpmlError(f"cannot decode the OPML file as {encoding}: {exc}") from None


def _where(n: int, outline: etree._Element) -> str:
    title = (outline.get("title") or outline.get("text") or "").strip()[:60]
    return f"outline {n} (line {outline.sourceline})" + (f" {title!r}" if title else "")


def _feed(url: str, outline: etree._Element, allow: Collection[str]) -> tuple[str, FeedRef | None]:
    try:
        checked = check_url(url, allow=allow)
    except UrlRefused as exc:
        return str(exc), None
    kind = outline.get(_A + "kind") or _kind_of_type(outline.get("type", ""))
    if kind not in FEED_KINDS:
        return f"unknown feed kind {kind!r}", None
    return "", FeedRef(checked, kind)


def _kind_of_type(opml_type: str) -> str:
    # OPML's type="rss" covers every syndication format; "auto" lets the parser sniff.
    return "atom" if opml_type.lower() == "atom" else "auto"


def _group_of(
    outline: etree._Element, feed: FeedRef, language: str, groups: dict[str, _Group]
) -> _Group | None:
    wanted_id = outline.get(_A + "id", "")
    homepage = _homepage(outline.get("htmlUrl", ""), feed.url)
    key = wanted_id or homepage
    if key in groups:
        return groups[key]
    languages = tuple(
        (outline.get(_A + "languages") or outline.get("language") or language).split()
    )
    languages = tuple(lang.split("-")[0].lower() for lang in languages)
    if not languages or any(lang not in LANGUAGES for lang in languages):
        return None
    name = (outline.get("title") or outline.get("text") or urlsplit(homepage).hostname or "")[:200]
    country = outline.get(_A + "country", "")
    groups[key] = _Group(name.strip(), homepage, languages, country, wanted_id)
    return groups[key]


def _homepage(html_url: str, feed_url: str) -> str:
    try:
        return check_url(html_url.strip())
    except UrlRefused:
        parts = urlsplit(feed_url)
        return f"{parts.scheme}://{parts.netloc}/"


def _outlets(
    groups: Iterable[_Group], known_ids: Collection[str], allow: Collection[str]
) -> list[Outlet]:
    taken = set(known_ids)
    outlets = []
    for group in groups:
        wanted = group.wanted_id
        outlet_id = wanted if wanted and wanted not in taken else suggest_id(group.homepage, taken)
        taken.add(outlet_id)
        country = group.country if re.fullmatch(r"[A-Z]{2}", group.country) else ""
        outlets.append(
            Outlet(
                id=outlet_id,
                name=group.name or outlet_id,
                homepage=group.homepage,
                languages=group.languages,
                country=country,
                feeds=tuple(group.feeds),
                verified=False,
            )
        )
    return outlets
