"""For search engines: robots.txt and sitemap.xml (stories, articles, outlets, sections)."""

from __future__ import annotations

from lxml import etree
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from alaune.store import coverage, listings
from alaune.web.feeds import xml_text
from alaune.web.i18n import category_labels
from alaune.web.links import PageUrls
from alaune.web.state import site

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# A sitemap holds at most 50,000 URLs (sitemaps.org), but a news site's crawlers want the newest
# pages, and a sitemap small enough for the page cache (under 2 MB) is built once, not per hit:
# at 100,000 articles a 40,000-URL one took ~3 s per request and starved the database pool.
MAX_ARTICLES = 5_000
MAX_STORIES = 1_000


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
    state = site(request)
    urls = PageUrls(state.origin)
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})

    def add(loc: str, lastmod: str | None = None) -> None:
        node = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = xml_text(loc)
        if lastmod:
            etree.SubElement(node, f"{{{SITEMAP_NS}}}lastmod").text = lastmod

    add(state.origin + "/")
    with state.db.read() as conn:
        for card in coverage.top_stories(conn, limit=MAX_STORIES):
            add(urls.story(card.id), card.updated_at.date().isoformat())
        for article_id, updated in listings.sitemap_articles(conn, limit=MAX_ARTICLES):
            add(urls.article(article_id), updated.date().isoformat())
        for outlet in listings.list_outlets(conn):
            add(urls.outlet(outlet.id))
    for slug in category_labels("fr"):
        add(urls.category(slug))
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return Response(body, media_type="application/xml")
