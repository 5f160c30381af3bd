"""The article page: title, localized attribution, text or excerpt per the outlet's policy,
"Read also", the link to the source and the image-report slot; its JSON twin."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from alaune.web import reads
from alaune.web.api.articles import article_document
from alaune.web.links import PageUrls, clean_url
from alaune.web.prefix import language
from alaune.web.render import Meta
from alaune.web.state import site
from alaune.web.twins import json_response, twins


def article(request: Request) -> Response:
    state, lang = site(request), language(request)
    article_id = request.path_params["article_id"]
    with state.db.read() as conn:
        view = reads.article_view(conn, article_id)
    if view is None:
        raise HTTPException(status_code=404)
    item = view.detail.item
    renderer = state.renderer
    links = renderer.links(request)
    meta = Meta(title=f"{item.title} — alaune", description=item.lead, og_type="article")
    context = {
        "article": view.detail,
        "paragraphs": view.paragraphs,
        "excerpt_only": view.excerpt_only,
        "story": view.story,
        "more": view.read_also,
        "source_url": clean_url(item.url),
        "image": view.image,  # alaune's stored copy, or None (never the outlet's URL)
        "image_hidden": view.image_hidden,
        "inline": view.inline,
        "structured": structured(
            view, links.absolute(links.path("article", article_id=item.id)), lang
        ),
    }
    alternates = twins(links, "article_twin", kinds=("json",), article_id=item.id)
    return renderer.page(request, "article.html", context, meta=meta, twins=alternates)


def structured(view: reads.ArticleView, url: str, lang: str) -> dict[str, Any]:
    """schema.org NewsArticle for search engines; rendered through the `jsonld` filter (D5)."""
    item = view.detail.item
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.title,
        "description": item.lead,
        "datePublished": item.published_at.isoformat(),
        "url": url,
        "isBasedOn": clean_url(item.url),
        "publisher": {"@type": "Organization", "name": item.outlet_name},
    }
    if item.language:
        data["inLanguage"] = item.language
    if view.detail.author:
        data["author"] = {"@type": "Person", "name": view.detail.author}
    return data


def article_twin(request: Request) -> Response:
    state = site(request)
    with state.db.read() as conn:
        document = article_document(PageUrls(state.origin), conn, request.path_params["article_id"])
    return json_response(document)
