"""Templates: one Jinja2 environment per UI language, and what every page's head needs.

Autoescaping is on everywhere (SECURITY.md D5); the only raw output is built by `jsonld` (JSON
with `<`, `>` and `&` escaped, for `<script type="application/ld+json">`) and by `highlight`
(escaped pieces around `<mark>`). Each page passes a `Meta` (title, description, OpenGraph type)
and its `Twin`s (JSON, RSS, Atom); the renderer adds the canonical link, the other languages'
links (hreflang and the switcher) and the formats of the UI language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from alaune.web import i18n
from alaune.web.highlight import highlight
from alaune.web.links import Links, clean_url, display_domain, with_query
from alaune.web.prefix import language, requested_path

FEED_TYPES = {
    "json": "application/json",
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
}


@dataclass(frozen=True, slots=True)
class Meta:
    """What a page says about itself to browsers, search engines and link previews."""

    title: str
    description: str = ""
    og_type: str = "website"
    noindex: bool = False
    # Query parameters that belong to the canonical URL (a listing's page number).
    canonical_query: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Twin:
    """An alternate form of the page: its JSON, RSS or Atom twin."""

    kind: str
    href: str

    @property
    def media_type(self) -> str:
        return FEED_TYPES[self.kind]


def jsonld(data: Any) -> Markup:
    """JSON safe inside `<script>`: no `</script>`, `<!--` or HTML entity can form."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    # Safe by construction: every character that could end the script or open markup is escaped.
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))  # noqa: S704


class Renderer:
    """Renders pages in the request's UI language."""

    def __init__(self, *, timezone: str, origin: str) -> None:
        self.origin = origin
        self.paths: dict[Any, str] = {}
        self.formats = {lang: i18n.Formats(lang, timezone) for lang in i18n.LANGUAGES}
        loader = PackageLoader("alaune.web", "templates")
        self.envs = {lang: self._environment(lang, loader) for lang in i18n.LANGUAGES}

    def _environment(self, lang: str, loader: PackageLoader) -> Environment:
        env = Environment(
            loader=loader,
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
        )
        env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
        formats = self.formats[lang]
        env.filters.update(
            longdate=formats.long_datetime,
            isodate=lambda value: value.isoformat(),
            number=formats.number,
            textdir=i18n.direction,
            highlight=highlight,
            jsonld=jsonld,
            safe_url=clean_url,
            domain=display_domain,
        )
        env.globals.update(
            lang=lang,
            dir=i18n.direction(lang),
            endonyms=i18n.ENDONYMS,
            categories=i18n.category_labels(lang),
            content_languages=i18n.CONTENT_LANGUAGES,
            fmt=formats,
        )
        return env

    def text(self, lang: str, message: str, **params: Any) -> str:
        """One catalog message in `lang`, %-formatted with `params` (for titles built in code)."""
        translated = i18n.translations(lang).gettext(message)
        return translated % params if params else translated

    def plural(self, lang: str, singular: str, plural: str, n: int) -> str:
        """A plural catalog message in `lang` with its number localized as `num`."""
        message = i18n.translations(lang).ngettext(singular, plural, n)
        return message % {"num": self.formats[lang].number(n)}

    def links(self, request: Request) -> Links:
        return Links(request.app.router, language(request), self.origin, self.paths)

    def page(
        self,
        request: Request,
        template: str,
        context: dict[str, Any],
        *,
        meta: Meta,
        twins: tuple[Twin, ...] = (),
        status: int = 200,
    ) -> HTMLResponse:
        lang = language(request)
        body = (
            self.envs[lang]
            .get_template(template)
            .render(
                request=request,
                links=self.links(request),
                now=datetime.now(UTC),
                meta=meta,
                twins=twins,
                canonical=self.origin + with_query(requested_path(request), **meta.canonical_query),
                translations=self._alternates(request),
                **context,
            )
        )
        return HTMLResponse(body, status_code=status)

    def fragment(
        self, request: Request, template: str, context: dict[str, Any], *, status: int = 200
    ) -> HTMLResponse:
        """A piece of a page for htmx to swap in: no head, same language and links."""
        body = (
            self.envs[language(request)]
            .get_template(template)
            .render(request=request, links=self.links(request), **context)
        )
        return HTMLResponse(body, status_code=status)

    def _alternates(self, request: Request) -> list[tuple[str, str, str]]:
        """(language, its name, this page in it) for hreflang links and the switcher."""
        path = quote(request.url.path, safe="/%:@!$&'()*+,;=-._~")
        query = request.url.query
        return [
            (lang, i18n.ENDONYMS[lang], i18n.prefix(lang) + path + (f"?{query}" if query else ""))
            for lang in i18n.LANGUAGES
        ]
