"""The one route table of the site."""

from __future__ import annotations

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from alaune.web.pages.article import article
from alaune.web.pages.home import home
from alaune.web.pages.system import healthz

ROUTES = [
    Route("/", home, name="home"),
    Route("/articles/{article_id:int}", article, name="article"),
    Route("/healthz", healthz, name="healthz"),
    Mount("/static", StaticFiles(packages=[("alaune.web", "static")]), name="static"),
]
