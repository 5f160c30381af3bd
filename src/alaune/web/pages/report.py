"""The image-report control: `GET /images/<id>/report` (the form, with a fresh signed token)
and `POST /images/<id>/report` (the report).

Both work without JavaScript (full pages) and with htmx (the fragment replaces the button in
place: `HX-Request`). A POST is accepted only from our own pages (same-origin check) with an
unspent token bound to this image (F3); the address is read through trusted proxies only (F2);
counting, limits and the decision are `web.reporting`'s. Responses are never cached: each form
carries its own token. Refusals name their cause in the reader's language.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from alaune.auth.tokens import BadToken
from alaune.store import images as image_store
from alaune.store import moderation as image_moderation
from alaune.web import client, forms, reporting
from alaune.web.i18n import N_
from alaune.web.prefix import language
from alaune.web.render import Meta
from alaune.web.state import site

TOKEN_AGE = 2 * 3600.0
NO_STORE = {"Cache-Control": "no-store"}
THANKS = N_(
    "Thanks for your report! This image will be blocked automatically after several reports."
)
REFUSED = N_(
    "This report did not come from this site's page, or the page is too old. "
    "Reload the article and try again."
)
LIMITED = N_("Too many reports from your connection. Please try again later.")
GONE = N_("This image is no longer shown here.")
NO_ADDRESS = N_("Your report could not be counted.")


def report_form(request: Request) -> Response:
    image_id = request.path_params["image_id"]
    with site(request).db.read() as conn:
        state = image_moderation.state(conn, image_id)
        shown = image_store.served(conn, image_id, thumbnail=True) is not None
    if state is None or not state.stored or not shown:
        return _message(request, GONE, status=404)
    context = {
        "image_id": image_id,
        "token": forms.issue(request, f"report:{image_id}", datetime.now(UTC)),
        "back": _back(request.query_params.get("from")),
    }
    return _render(request, "report_form", context)


async def report(request: Request) -> Response:
    image_id = request.path_params["image_id"]
    if not client.from_our_pages(request):
        return _message(request, REFUSED, status=403)
    if forms.too_large(request):
        return _message(request, REFUSED, status=413)
    form = await request.form(max_files=0, max_fields=8)
    now = datetime.now(UTC)
    try:
        forms.spend(
            request, f"report:{image_id}", str(form.get("token") or ""), now=now, max_age=TOKEN_AGE
        )
    except BadToken:
        return _message(request, REFUSED, status=403)
    address = client.address(request)
    if address is None:
        return _message(request, NO_ADDRESS, status=400)
    state = site(request)
    result = reporting.submit(
        state.db,
        state.settings,
        image_id=image_id,
        client=address,
        reason=str(form.get("reason") or ""),
        now=now,
    )
    back = _back(str(form.get("from") or ""))
    if result.outcome is reporting.Outcome.NOT_FOUND:
        return _message(request, GONE, status=404, back=back)
    if result.outcome is reporting.Outcome.LIMITED:
        response = _message(request, LIMITED, status=429, back=back)
        response.headers["Retry-After"] = str(result.retry_after)
        return response
    return _message(request, THANKS, status=200, back=back, thanks=True)


def _back(value: str | None) -> int | None:
    """The article to go back to: a plain id, or nothing."""
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _message(
    request: Request, message: str, *, status: int, back: int | None = None, thanks: bool = False
) -> Response:
    return _render(
        request, "report_done", {"message": message, "back": back, "thanks": thanks}, status
    )


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    renderer = site(request).renderer
    if request.headers.get("hx-request") == "true":
        response = renderer.fragment(request, f"_{name}.html", context, status=status)
    else:
        title = renderer.text(language(request), "Report this image")
        meta = Meta(title=f"{title} — alaune", noindex=True)
        response = renderer.page(request, f"{name}.html", context, meta=meta, status=status)
    response.headers.update(NO_STORE)
    return response
