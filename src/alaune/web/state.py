"""What every request handler needs, kept on the application: database, renderer, settings."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from alaune.config import Settings
from alaune.moderation.networks import Network
from alaune.store.engine import Database
from alaune.web.render import Renderer


@dataclass(frozen=True)
class SiteState:
    settings: Settings
    db: Database
    renderer: Renderer
    origin: str  # the public base URL, without a trailing slash
    trusted_proxies: tuple[Network, ...] | None = None  # parsed `trusted_proxies`


def site(request: Request) -> SiteState:
    state: SiteState = request.app.state.site
    return state
