"""Templates and the formatting helpers they use (dates in the reader's time zone and locale)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

LOCALES = {"fr": "fr_FR", "ar": "ar_MA", "en": "en_GB"}
RTL = frozenset({"ar"})


class Renderer:
    """A Jinja2 environment (autoescaping on) bound to the site's time zone."""

    def __init__(self, *, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self.env = Environment(
            loader=PackageLoader("alaune.web", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["longdate"] = self.long_date
        self.env.filters["isodate"] = lambda value: value.isoformat()
        self.env.filters["textdir"] = lambda lang: "rtl" if lang in RTL else "ltr"

    def long_date(self, value: datetime, lang: str = "fr") -> str:
        """ "29 novembre 2026 à 13:05" style, in the site's time zone."""
        local = value.astimezone(self.zone)
        return format_datetime(local, "d MMMM y, HH:mm", locale=LOCALES.get(lang, "fr_FR"))

    def page(
        self, request: Request, template: str, context: dict[str, Any], *, status: int = 200
    ) -> HTMLResponse:
        def url_for(name: str, /, **params: Any) -> str:
            # Paths, not absolute URLs: links stay right behind any proxy or host name.
            return str(request.app.url_path_for(name, **params))

        body = self.env.get_template(template).render(
            request=request, lang="fr", url_for=url_for, **context
        )
        return HTMLResponse(body, status_code=status)
