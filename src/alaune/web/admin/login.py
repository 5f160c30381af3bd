"""Admin login and logout (SECURITY G1–G3).

The login form carries a signed, single-use token (there is no session yet to bind a CSRF token
to). Failures are counted per admin name and per network (keyed hashes, store.ratelimit) and
answered identically whether the name exists or not: the same page, the same status, and the
same argon2 work (auth.passwords verifies a dummy hash for unknown names). A success opens a new
server-side session (a new id at every login) and redirects to `next` only when it is a path on
this site. Logout deletes the session, so the old cookie opens nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from alaune.auth import passwords, tokens
from alaune.auth.origin import safe_next
from alaune.moderation.keys import rate_key
from alaune.moderation.networks import network_unit
from alaune.store import admins, audit, ratelimit
from alaune.web import client, forms
from alaune.web.admin.session import COOKIE, NO_STORE, checked_form, current, forbidden
from alaune.web.i18n import N_, prefix
from alaune.web.prefix import language
from alaune.web.render import Meta
from alaune.web.state import site

HOUR = 3600.0
TOKEN_AGE = 3600.0
WRONG = N_("Wrong name or password.")
LIMITED = N_("Too many failed sign-ins. Wait a while, then try again.")
EXPIRED = N_("The sign-in form expired. Please try again.")


def login_page(request: Request) -> Response:
    return _form(request, error="", status=200)


async def login(request: Request) -> Response:
    if forms.too_large(request):
        return _form(request, error=WRONG, status=413)
    form = await request.form(max_files=0, max_fields=8)
    now = datetime.now(UTC)
    try:
        forms.spend(request, "login", str(form.get("token") or ""), now=now, max_age=TOKEN_AGE)
    except tokens.BadToken:
        return _form(request, error=EXPIRED, status=403, next_value=str(form.get("next") or ""))
    name = str(form.get("name") or "").strip()[:64]
    password = str(form.get("password") or "")
    state = site(request)
    key = forms.form_key(state, now)
    address = client.address(request)
    counters = [("login-name", rate_key(key, "login-name", name.casefold()))]
    if address is not None:
        counters.append(("login-network", rate_key(key, "login-network", network_unit(address))))
    limit = state.settings.login_attempts_per_hour
    with state.db.read() as conn:
        found = admins.password_hash(conn, name) if name else None
        over = any(
            ratelimit.peek(conn, scope, k, now=now, period=HOUR) >= limit for scope, k in counters
        )
    if over:
        response = _form(request, error=LIMITED, status=429, next_value=str(form.get("next") or ""))
        response.headers["Retry-After"] = str(int(HOUR))
        return response
    if not passwords.verify(found[1] if found else None, password) or found is None:
        with state.db.write() as conn:
            for scope, k in counters:
                ratelimit.hit(conn, scope, k, now=now, period=HOUR, limit=limit)
        return _form(request, error=WRONG, status=401, next_value=str(form.get("next") or ""))
    admin = found[0]
    token, csrf = tokens.new_token(), tokens.new_token()
    with state.db.write() as conn:
        ratelimit.clear(conn, counters[0][0], counters[0][1])
        admins.open_session(
            conn,
            admin,
            session_digest=tokens.digest(token),
            csrf=csrf,
            now=now,
            hours=state.settings.session_hours,
        )
        audit.record(
            conn,
            actor=admin.name,
            action="login",
            target_kind="admin",
            target_id=admin.name,
            now=now,
        )
    home = prefix(language(request)) + "/admin"
    response = RedirectResponse(
        safe_next(str(form.get("next") or ""), default=home), status_code=303, headers=NO_STORE
    )
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(state.settings.session_hours * 3600),
        path="/",
        secure=state.origin.startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return response


async def logout(request: Request) -> Response:
    session = current(request)
    if session is None:
        return forbidden()
    if await checked_form(request, session) is None:
        return forbidden()
    token = request.cookies.get(COOKIE, "")
    with site(request).db.write() as conn:
        admins.close_session(conn, tokens.digest(token))
        audit.record(
            conn,
            actor=session.admin.name,
            action="logout",
            target_kind="admin",
            target_id=session.admin.name,
            now=datetime.now(UTC),
        )
    response = RedirectResponse(
        prefix(language(request)) + "/admin/login", status_code=303, headers=NO_STORE
    )
    response.delete_cookie(COOKIE, path="/")
    return response


def _form(request: Request, *, error: str, status: int, next_value: str | None = None) -> Response:
    renderer = site(request).renderer
    lang = language(request)
    context = {
        "token": forms.issue(request, "login", datetime.now(UTC)),
        "next": safe_next(next_value or request.query_params.get("next"), default=""),
        "error": error,
    }
    meta = Meta(title=renderer.text(lang, "Sign in") + " — alaune", noindex=True)
    response = renderer.page(request, "admin/login.html", context, meta=meta, status=status)
    response.headers.update(NO_STORE)
    return response
