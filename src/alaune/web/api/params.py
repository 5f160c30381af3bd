"""The API's shared parameters: validated types (422 when out of range) and the site state."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Request

from alaune.web.api.schemas import Problem
from alaune.web.params import OUTLET_ID, SLUG
from alaune.web.state import SiteState

MAX_ID = 2**31 - 1
# Listings with a cursor answer 400 to one they did not issue.
BAD_CURSOR: dict[int | str, dict[str, Any]] = {400: {"model": Problem}}


def _site(request: Request) -> SiteState:
    state: SiteState = request.app.state.site
    return state


Site = Annotated[SiteState, Depends(_site)]
Language = Annotated[
    Literal["fr", "ar", "en"] | None, Query(description="Content language (ISO 639-1)")
]
Category = Annotated[
    str | None, Query(pattern=f"^{SLUG}$", max_length=32, description="Category slug")
]
OutletId = Annotated[str | None, Query(pattern=f"^{OUTLET_ID}$", max_length=64)]
Limit = Annotated[int, Query(ge=1, le=100, description="Items per page")]
Cursor = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern="^[A-Za-z0-9_-]*$",
        description="`next_cursor` of the previous page, passed back unchanged (else 400)",
    ),
]
Since = Annotated[
    date | None,
    Query(alias="from", ge=date(1970, 1, 1), le=date(2199, 12, 31), description="First day"),
]
Until = Annotated[
    date | None,
    Query(alias="to", ge=date(1970, 1, 1), le=date(2199, 12, 31), description="Last day"),
]
Order = Annotated[Literal["newest", "relevance"], Query(description="Result order")]
StoryId = Annotated[int, Path(ge=1, le=MAX_ID)]
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID)]
StoryFilter = Annotated[int | None, Query(ge=1, le=MAX_ID, description="Articles of one story")]
OutletPath = Annotated[str, Path(pattern=f"^{OUTLET_ID}$", max_length=64)]
SlugPath = Annotated[str, Path(pattern=f"^{SLUG}$", max_length=32)]
