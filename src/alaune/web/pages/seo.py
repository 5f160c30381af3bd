"""For search engines: robots.txt and the sitemaps.

`/sitemap.xml` is an index of files: `/sitemaps/pages.xml` (home, outlets, sections), then
`/sitemaps/stories-N.xml` and `/sitemaps/articles-N.xml`, each holding the ids of one block of
`BLOCK` (file N: ids (N-1)×BLOCK+1 to N×BLOCK), so every story and article is listed however many
there are, and each file is read by a range of a primary key. French URLs: each page names its
Arabic and English versions itself (`hreflang` links). Nothing here writes to the database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape

from lxml import etree
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from alaune.store import listings
from alaune.store.outlets import outlet_names
from alaune.web.feeds import xml_text
from alaune.web.i18n import category_labels
from alaune.web.links import PageUrls
from alaune.web.state import site

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# URLs per sitemap file. sitemaps.org allows 50,000; 10,000 article URLs make ~0.9 MB, under the
# page cache's 2 MB per entry, so each file is built once per change of the data, not per hit.
BLOCK = 10_000


def robots(request: Request) -> Response:
    origin = site(request).origin
    body = (
        "User-agent: *\n"
        "Disallow: /search\nDisallow: /ar/search\nDisallow: /en/search\n"
        "Disallow: /api/\n"
        f"Sitemap: {origin}/sitemap.xml\n"
    )
    return PlainTextResponse(body)


def sitemap(request: Request) -> Response:
    """The sitemap index: the site's own pages, then every story and every article in files of
    `BLOCK` ids, newest file first. Only the highest ids are read, so it costs the same at a
    million articles as at a hundred."""
    state = site(request)
    with state.db.read() as conn:
        last_article, last_story = listings.sitemap_last_ids(conn)
    root = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    files = ["/sitemaps/pages.xml"]
    for kind, last in (("stories", last_story), ("articles", last_article)):
        files += [f"/sitemaps/{kind}-{n}.xml" for n in range(_blocks(last), 0, -1)]
    for path in files:
        node = etree.SubElement(root, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = xml_text(state.origin + path)
    return _xml(root)


def sitemap_pages(request: Request) -> Response:
    """Home, the outlets' pages and the sections' pages."""
    state = site(request)
    urls = PageUrls(state.origin)
    locs = [state.origin + "/"]
    with state.db.read() as conn:
        locs += [urls.outlet(outlet.id) for outlet in outlet_names(conn)]
    locs += [urls.category(slug) for slug in category_labels("fr")]
    return _urlset((loc, None) for loc in locs)


def sitemap_stories(request: Request) -> Response:
    """Stories whose id falls in the file's block (merged ones redirect: left out)."""
    return _listed(request, stories=True)


def sitemap_articles(request: Request) -> Response:
    """Articles whose id falls in the file's block."""
    return _listed(request, stories=False)


def _listed(request: Request, *, stories: bool) -> Response:
    """One file of story or article URLs; 404 past the last id."""
    state = site(request)
    first, last = _block(request)
    read = listings.sitemap_stories if stories else listings.sitemap_articles
    with state.db.read() as conn:
        last_article, last_story = listings.sitemap_last_ids(conn)
        if first > (last_story if stories else last_article):
            raise HTTPException(404)
        rows = read(conn, first=first, last=last)
    urls = PageUrls(state.origin)
    page = urls.story if stories else urls.article
    return _urlset((page(id_), updated) for id_, updated in rows)


def _blocks(last_id: int) -> int:
    return -(-last_id // BLOCK)  # ids 1..BLOCK are file 1


def _block(request: Request) -> tuple[int, int]:
    number = int(request.path_params["number"])
    if number < 1:
        raise HTTPException(404)
    return (number - 1) * BLOCK + 1, number * BLOCK


def _urlset(entries: Iterable[tuple[str, datetime | None]]) -> Response:
    """A `<urlset>`, written as text: 10,000 entries of a URL and a date take ~11 ms this way
    and ~50 ms as lxml elements. Every URL is escaped; dates are ISO digits."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP_NS}">']
    for loc, updated in entries:
        lastmod = f"<lastmod>{updated.date().isoformat()}</lastmod>" if updated else ""
        parts.append(f"<url><loc>{escape(xml_text(loc))}</loc>{lastmod}</url>")
    parts.append("</urlset>")
    return Response("".join(parts).encode(), media_type="application/xml")


def _xml(root: etree._Element) -> Response:
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return Response(body, media_type="application/xml")
