"""Building the site's links: localized paths, absolute URLs, and outbound URLs made safe to show.

Paths come from the one route table (`url_path_for`) with the UI language's prefix in front.
Absolute URLs (canonical links, feeds, sitemaps, the API) use the `site_url` setting, never the
request's Host header, since a cached page would otherwise carry whatever host one client sent.
Outbound URLs lose bidi controls and zero-width characters (SECURITY.md D8) and anything that is
not http(s) (D6) before they reach a page.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.routing import Route, Router

from alaune.web.i18n import prefix

_BIDI_AND_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x20\x7f-\x9f]")
MEMO_SIZE = 100_000
# Router → its routes by name (Routers compare by value, so they are keyed by identity).
_ROUTES_BY_NAME: dict[int, tuple[Router, dict[str, Route]]] = {}


def clean_url(url: str) -> str:
    """`url` without bidi overrides, invisible or control characters; "" unless http(s)."""
    cleaned = _CONTROL.sub("", _BIDI_AND_INVISIBLE.sub("", url))
    scheme = cleaned.split(":", 1)[0].lower()
    return cleaned if scheme in {"http", "https"} and "://" in cleaned else ""


def display_domain(url: str) -> str:
    """The host a reader sees for an outbound link ("www." dropped), D8-cleaned."""
    host = urlsplit(clean_url(url)).hostname or ""
    return host.removeprefix("www.")


def base_url(site_url: str, host: str, port: int) -> str:
    """The public origin of the site, without a trailing slash."""
    return (site_url or f"http://{host}:{port}").rstrip("/")


def with_query(path: str, **params: Any) -> str:
    """`path` with the non-empty `params` as its query string, in the given order."""
    kept = {key: value for key, value in params.items() if value not in (None, "", False)}
    return f"{path}?{urlencode(kept)}" if kept else path


def _route(router: Router, name: str) -> Router | Route:
    """The route named `name`, found once per router: `Router.url_path_for` tries every route
    in turn, and a listing's rows each link a new id (a memo miss)."""
    known = _ROUTES_BY_NAME.get(id(router))
    if known is not None and known[0] is router:
        by_name = known[1]
    else:
        if len(_ROUTES_BY_NAME) > 64:  # apps made and dropped (tests): forget them
            _ROUTES_BY_NAME.clear()
        names = [route.name for route in router.routes if isinstance(route, Route)]
        by_name = {
            route.name: route
            for route in router.routes
            # A name used twice is left to the router, which tries each with the params.
            if isinstance(route, Route) and names.count(route.name) == 1
        }
        _ROUTES_BY_NAME[id(router)] = (router, by_name)
    return by_name.get(name, router)


class Links:
    """Paths and absolute URLs for one UI language."""

    def __init__(
        self, router: Router, lang: str, origin: str, memo: dict[Any, str] | None = None
    ) -> None:
        self.router = router
        self.lang = lang
        self.origin = origin
        # Paths are pure functions of (route, params): a page links hundreds, so they are kept.
        self.memo: dict[Any, str] = {} if memo is None else memo

    def path(self, name: str, /, **params: Any) -> str:
        """The localized path of the route `name` ("/ar/stories/3")."""
        key = (self.lang, name, *params.items())
        found = self.memo.get(key)
        if found is None:
            if len(self.memo) > MEMO_SIZE:
                self.memo.clear()
            found = prefix(self.lang) + str(_route(self.router, name).url_path_for(name, **params))
            self.memo[key] = found
        return found

    def static(self, path: str) -> str:
        key = ("static", path)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = str(self.router.url_path_for("static", path=path))
        return found

    def absolute(self, path: str) -> str:
        return self.origin + path


class PageUrls:
    """Absolute URLs of pages (French, the default language) and API resources, for the API and
    feeds, which have no request-bound router; a test checks them against the route table."""

    def __init__(self, origin: str, lang: str = "fr") -> None:
        self.origin = origin
        self.root = origin + prefix(lang)

    def story(self, story_id: int) -> str:
        return f"{self.root}/stories/{story_id}"

    def article(self, article_id: int) -> str:
        return f"{self.root}/articles/{article_id}"

    def outlet(self, outlet_id: str) -> str:
        return f"{self.root}/outlets/{outlet_id}"

    def category(self, slug: str) -> str:
        return f"{self.root}/categories/{slug}"

    def api(self, path: str, **params: Any) -> str:
        return self.origin + with_query("/api/v1" + path, **params)
