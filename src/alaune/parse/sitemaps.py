"""Sitemaps (sitemaps.org 0.9), Google News sitemaps and sitemap indexes, read with lxml
configured never to resolve an entity, load a DTD or touch the network (C1, C2, C7).

Elements are matched by local name, so a sitemap with a missing or misspelt namespace still
reads. An index yields items flagged `is_sitemap`: the caller fetches them, bounded by
`walk.sitemaps_to_follow`. This module fetches nothing.
"""

from __future__ import annotations

from lxml import etree

from alaune.parse.items import Context, RawItem, finish
from alaune.parse.limits import MAX_CATEGORIES, MAX_ITEMS, strip_doctype
from alaune.parse.result import ListingError, ParsedFeed, ParsedItem, Rejected


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )


def parse_sitemap(document: bytes, *, ctx: Context) -> ParsedFeed:
    """Items of a urlset or a sitemap index (UTF-8 bytes). Raises ListingError."""
    try:
        root = etree.fromstring(strip_doctype(document), parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise ListingError("parse_error", f"invalid sitemap: {exc}") from None
    name = etree.QName(root).localname if root is not None else ""
    if name not in ("urlset", "sitemapindex"):
        raise ListingError("not_a_feed", "not a sitemap: no <urlset> or <sitemapindex>")
    index = name == "sitemapindex"
    items: list[ParsedItem] = []
    rejected: list[Rejected] = []
    for node in root:
        if _local(node) != ("sitemap" if index else "url"):
            continue
        result = finish(_raw(node, index=index), ctx)
        if isinstance(result, ParsedItem):
            items.append(result)
        elif isinstance(result, Rejected):
            rejected.append(result)
        if len(items) >= MAX_ITEMS:
            break
    return ParsedFeed(
        format="sitemapindex" if index else "sitemap",
        items=tuple(items),
        rejected=tuple(rejected),
    )


def _raw(node: etree._Element, *, index: bool) -> RawItem:
    fields = _children(node)
    news = _children(fields.get("news"))
    image = _children(fields.get("image"))
    keywords = _text(news.get("keywords"))
    return RawItem(
        link=_text(fields.get("loc")),
        title=_text(news.get("title")),
        published=_text(news.get("publication_date")),
        updated=_text(fields.get("lastmod")),
        categories=tuple(k.strip() for k in keywords.split(",")[: MAX_CATEGORIES * 2]),
        images=(_text(image.get("loc")),),
        is_sitemap=index,
    )


def _children(node: etree._Element | None) -> dict[str, etree._Element]:
    """First child of each local name (`<news:news>`, `<loc>`…), namespaces ignored."""
    found: dict[str, etree._Element] = {}
    if node is None:
        return found
    for child in node:
        found.setdefault(_local(child), child)
    return found


def _local(node: etree._Element) -> str:
    tag = node.tag
    # Comments and processing instructions have a callable tag: they are no field.
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(node: etree._Element | None) -> str:
    return (node.text or "").strip() if node is not None else ""
