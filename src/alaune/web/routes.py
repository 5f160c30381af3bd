"""The one route table of the site: pages, their twins, machine files, static files, the API.

French paths are listed here; `prefix.LanguagePrefix` serves the same table under `/ar` and
`/en`. Twins share their page's path with a suffix: `.json` (the API's document), `.rss` and
`.atom`. Convertors (`params`) keep ids within 32 bits and slugs to their alphabet, so anything
else is a plain 404.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from alaune.web import params  # noqa: F401 (registers the URL convertors used below)
from alaune.web.admin.routes import admin_routes
from alaune.web.metrics import metrics
from alaune.web.pages.article import article, article_twin
from alaune.web.pages.category import category, category_twin
from alaune.web.pages.home import home, home_twin
from alaune.web.pages.images import image, missing, thumbnail
from alaune.web.pages.moderation_log import moderation_log
from alaune.web.pages.outlet import outlet, outlet_twin, outlets_index
from alaune.web.pages.report import report, report_form
from alaune.web.pages.search import search_page, search_twin
from alaune.web.pages.seo import (
    robots,
    sitemap,
    sitemap_articles,
    sitemap_pages,
    sitemap_stories,
)
from alaune.web.pages.story import story, story_twin
from alaune.web.pages.system import healthz


def routes(api: ASGIApp) -> list[BaseRoute]:
    return [
        Route("/", home, name="home"),
        Route("/index.{fmt:twin}", home_twin, name="home_twin"),
        Route("/stories/{story_id:id}", story, name="story"),
        Route("/stories/{story_id:id}.{fmt:twin}", story_twin, name="story_twin"),
        Route("/articles/{article_id:id}", article, name="article"),
        Route("/articles/{article_id:id}.{fmt:json}", article_twin, name="article_twin"),
        Route("/outlets", outlets_index, name="outlets"),
        Route("/outlets/{outlet_id:outlet}.{fmt:twin}", outlet_twin, name="outlet_twin"),
        Route("/outlets/{outlet_id:outlet}", outlet, name="outlet"),
        Route("/categories/{slug:slug}.{fmt:twin}", category_twin, name="category_twin"),
        Route("/categories/{slug:slug}", category, name="category"),
        Route("/search", search_page, name="search"),
        Route("/search.{fmt:twin}", search_twin, name="search_twin"),
        Route("/images/{image_id:id}/report", report_form, name="image_report_form"),
        Route("/images/{image_id:id}/report", report, methods=["POST"], name="image_report"),
        Route("/images/{image_id:id}/thumb/{name}", thumbnail, name="image_thumbnail"),
        Route("/images/{image_id:id}/{name}", image, name="image"),
        Route(
            "/images/{rest:path}", missing, methods=["GET", "HEAD", "POST"], name="image_missing"
        ),
        Route("/moderation", moderation_log, name="moderation_log"),
        *admin_routes(),
        Route("/sitemap.xml", sitemap, name="sitemap"),
        Route("/sitemaps/pages.xml", sitemap_pages, name="sitemap_pages"),
        Route("/sitemaps/stories-{number:int}.xml", sitemap_stories, name="sitemap_stories"),
        Route("/sitemaps/articles-{number:int}.xml", sitemap_articles, name="sitemap_articles"),
        Route("/robots.txt", robots, name="robots"),
        Route("/healthz", healthz, name="healthz"),
        Route("/metrics", metrics, name="metrics"),
        Mount("/static", StaticFiles(packages=[("alaune.web", "static")]), name="static"),
        Mount("/api/v1", app=api, name="api"),
    ]
