"""The UI language from the URL prefix: `/ar/…` is Arabic, `/en/…` English, the rest French.

An ASGI middleware strips the prefix so that the one route table serves all three languages,
and records the language (`scope["alaune.lang"]`) and the path as requested
(`scope["alaune.path"]`, for canonical links and the language switcher). `/ar` and `/en`
redirect to `/ar/` and `/en/`. Nothing else (cookie, Accept-Language) picks the language.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from alaune.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, prefix

_PREFIXED = [(lang, prefix(lang)) for lang in LANGUAGES if prefix(lang)]


class LanguagePrefix:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        scope["alaune.path"] = path
        scope["alaune.lang"] = DEFAULT_LANGUAGE
        for lang, start in _PREFIXED:
            if path == start:
                query = scope.get("query_string", b"").decode("latin-1")
                target = start + "/" + (f"?{query}" if query else "")
                await RedirectResponse(target, status_code=308)(scope, receive, send)
                return
            if path.startswith(start + "/"):
                scope["alaune.lang"] = lang
                scope["path"] = path[len(start) :]
                raw = scope.get("raw_path")
                if isinstance(raw, bytes) and raw.startswith(start.encode() + b"/"):
                    scope["raw_path"] = raw[len(start) :]
                break
        await self.app(scope, receive, send)


def language(request: Request) -> str:
    """The UI language of `request` (set by LanguagePrefix; French when absent)."""
    lang = request.scope.get("alaune.lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def requested_path(request: Request) -> str:
    """The path as the reader asked for it, language prefix included."""
    return str(request.scope.get("alaune.path", request.url.path))
