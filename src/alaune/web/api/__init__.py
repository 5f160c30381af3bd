"""The JSON API, version 1: FastAPI mounted at /api/v1, its OpenAPI at /api/v1/openapi.json.

Read-only, paginated with opaque cursors, with ETags from the site's response cache. No
interactive docs page: Swagger UI and ReDoc load scripts from a CDN, which the site never does.
"""

from __future__ import annotations

from fastapi import FastAPI

from alaune.web.api import articles, outlets, search, stories
from alaune.web.state import SiteState

DESCRIPTION = (
    "alaune's stories, articles, outlets, categories and search, as JSON. "
    "Field names are stable within v1; lists are paginated with `next_cursor`."
)


def create_api(state: SiteState) -> FastAPI:
    api = FastAPI(
        title="alaune API",
        version="1",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    api.state.site = state
    for module in (stories, articles, search, outlets):
        api.include_router(module.router)
    return api
