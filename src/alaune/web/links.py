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

from starlette.routing import Router

from alaune.web.i18n import prefix

_BIDI_AND_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x20\x7f-\x9f]")
MEMO_SIZE = 100_000


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
            found = prefix(self.lang) + str(self.router.url_path_for(name, **params))
            self.memo[key] = found
        return found

    def static(self, path: str) -> str:
        return str(self.router.url_path_for("static", path=path))

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
