"""The moderation queue and the image actions: approve (immune), hide, restore, dismiss.

`dashboard` (GET /admin) lists alerts (circuit breaker, reports on approved images), the images
waiting for review and those hidden; `image` (GET /admin/images/<id>) shows one with its reports
and the articles it appears on; `act` (POST /admin/images/<id>/<action>) applies a decision and
audits it in the same transaction. Hiding by an admin spreads like an automatic hide.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from alaune.media import serving_headers
from alaune.store import admins, jobs
from alaune.store import moderation as image_moderation
from alaune.web.admin import queue
from alaune.web.admin.page import admin_action, admin_page, admin_view
from alaune.web.admin.session import back, record
from alaune.web.i18n import N_
from alaune.web.state import site

ACTIONS = ("approve", "hide", "restore", "dismiss")
QUEUE_SIZE = 50


@admin_view
def dashboard(request: Request, session: admins.Session) -> Response:
    state, now = site(request), datetime.now(UTC)
    with state.db.read() as conn:
        review = image_moderation.review_ids(conn, limit=QUEUE_SIZE)
        hidden = image_moderation.hidden_ids(conn, limit=QUEUE_SIZE)
        context = {
            "alerts": queue.alerts(conn, now),
            "review": queue.items(conn, state.settings, review, now),
            "hidden": queue.items(
                conn, state.settings, [i for i in hidden if i not in review], now
            ),
            "jobs": jobs.recent(conn, limit=5),
        }
    return admin_page(request, session, "admin/dashboard.html", context, title=N_("Moderation"))


@admin_view
def image(request: Request, session: admins.Session) -> Response:
    state = site(request)
    with state.db.read() as conn:
        found = queue.item(conn, state.settings, request.path_params["image_id"], datetime.now(UTC))
    if found is None:
        raise HTTPException(status_code=404)
    return admin_page(request, session, "admin/image.html", {"item": found}, title=N_("Image"))


@admin_action
def act(request: Request, session: admins.Session, form: FormData) -> Response:
    action = request.path_params["action"]
    image_id = request.path_params["image_id"]
    if action not in ACTIONS:
        raise HTTPException(status_code=404)
    state, now = site(request), datetime.now(UTC)
    reason = str(form.get("reason") or "")[:1000]
    with state.db.write() as conn:
        if image_moderation.state(conn, image_id) is None:
            raise HTTPException(status_code=404)
        affected = [image_id]
        if action == "approve":
            image_moderation.approve(conn, image_id)
        elif action == "dismiss":
            image_moderation.dismiss(conn, image_id)
        elif action == "hide":
            affected = image_moderation.hide(
                conn,
                image_id,
                reason=image_moderation.ADMIN,
                now=now,
                max_distance=state.settings.phash_max_distance,
            )
            image_moderation.dismiss(conn, image_id)
        else:
            affected = image_moderation.restore(conn, image_id, now=now)
        record(conn, session, action, "image", image_id, reason, affected=affected)
    target = str(form.get("return") or "")
    return back(request, target if _local(target) else "/admin")


def _local(target: str) -> bool:
    """A page of the admin area to go back to, and nothing else."""
    return target.startswith("/admin") and "//" not in target and "\\" not in target


@admin_view
def thumbnail(request: Request, session: admins.Session) -> Response:
    """A stored image's thumbnail for the queue, shown even when hidden (admins only)."""
    with site(request).db.read() as conn:
        found = image_moderation.thumbnail_for_review(conn, request.path_params["image_id"])
    if found is None:
        raise HTTPException(status_code=404)
    media_type, data = found
    headers = serving_headers(media_type, f"alaune-{request.path_params['image_id']}")
    headers["Cache-Control"] = "private, no-store"
    return Response(data, media_type=headers.pop("Content-Type"), headers=headers)
