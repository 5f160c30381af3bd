"""OPML export: the registry's outlets as OPML 2.0 bytes, one folder per main language.

Each feed is one outline (`type="rss"`, `xmlUrl`, `htmlUrl`, `language`); sitemaps and section
pages are `type="link"` outlines, so that other readers do not poll them. alaune's own
attributes (`alaune:id`, `alaune:kind`, `alaune:languages`, `alaune:country`) live in the `NS`
namespace and let `opml.read_opml` keep ids and kinds on re-import. Pure: bytes out, no files.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import format_datetime

from lxml import etree

from alaune.model import FeedRef, Outlet

NS = "https://github.com/alaune/alaune/opml"
FOLDERS = {"fr": "Français", "ar": "العربية", "en": "English"}
_A = f"{{{NS}}}"


def write_opml(
    outlets: Iterable[Outlet], *, title: str = "alaune outlets", now: datetime | None = None
) -> bytes:
    """OPML 2.0 for `outlets`: a folder per main language, an outline per feed."""
    root = etree.Element("opml", version="2.0", nsmap={"alaune": NS})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    if now is not None:
        etree.SubElement(head, "dateCreated").text = format_datetime(now)
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for outlet in outlets:
        language = outlet.languages[0] if outlet.languages else ""
        if language not in folders:
            label = FOLDERS.get(language, language or "Other")
            folders[language] = etree.SubElement(body, "outline", text=label, title=label)
        for feed in outlet.feeds:
            folders[language].append(_outline(outlet, feed))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _outline(outlet: Outlet, feed: FeedRef) -> etree._Element:
    outline = etree.Element("outline", text=outlet.name, title=outlet.name)
    if feed.kind in ("sitemap", "section"):
        # Not syndication feeds: other readers must not poll them, so no type="rss" and no xmlUrl.
        outline.set("type", "link")
        outline.set("url", feed.url)
    else:
        outline.set("type", "rss")
        outline.set("xmlUrl", feed.url)
    outline.set("htmlUrl", outlet.homepage)
    if outlet.languages:
        outline.set("language", outlet.languages[0])
    outline.set(_A + "id", outlet.id)
    outline.set(_A + "kind", feed.kind)
    outline.set(_A + "languages", " ".join(outlet.languages))
    if outlet.country:
        outline.set(_A + "country", outlet.country)
    return outline
