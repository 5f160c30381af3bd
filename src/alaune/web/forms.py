"""Signed form tokens for the site's own forms (image reports, admin login).

The key is derived from the `secret_key` setting when it is set, otherwise it is a random key
made once and kept in the database, so every web process accepts every other's tokens. A
token's nonce is spent on first use (a rate counter of limit one), so a captured token cannot be
replayed (SECURITY F3).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from starlette.requests import Request

from alaune.auth import tokens
from alaune.store import ratelimit, secrets
from alaune.web.state import SiteState, site

MAX_FORM_BYTES = 64 * 1024  # a report or a login form is a few hundred bytes
_keys: dict[str, bytes] = {}


def form_key(state: SiteState, now: datetime) -> bytes:
    configured = state.settings.secret_key
    if configured:
        return hashlib.sha256(b"alaune form tokens\x1f" + configured.encode()).digest()
    cached = _keys.get(state.db.url)
    if cached is None:
        with state.db.write() as conn:
            cached = secrets.get_or_create(conn, "form", now=now)
        _keys[state.db.url] = cached
    return cached


def issue(request: Request, purpose: str, now: datetime) -> str:
    return tokens.sign_form(form_key(site(request), now), purpose, now.timestamp())


def spend(request: Request, purpose: str, token: str, *, now: datetime, max_age: float) -> None:
    """Accepts `token` once; raises tokens.BadToken when forged, expired or already used."""
    state = site(request)
    checked = tokens.check_form(
        form_key(state, now), purpose, token, now=now.timestamp(), max_age=max_age
    )
    with state.db.write() as conn:
        verdict = ratelimit.hit(
            conn, "nonce", tokens.digest(checked.nonce), now=now, period=max_age + 120, limit=1
        )
    if not verdict.allowed:
        raise tokens.BadToken("form token already used: reload the page and try again")


def too_large(request: Request) -> bool:
    length = request.headers.get("content-length", "")
    return not length.isdigit() or int(length) > MAX_FORM_BYTES
