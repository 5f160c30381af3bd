"""Outlets in the admin area: health, pause and resume, poll now, policy and categories, add.

Health comes from ingestion (store.health). Nothing here fetches: "poll now" makes the outlet's
feeds due for the crawler's next pass, and adding an outlet from its homepage queues a discovery
job (store.jobs) that the crawler runs; the URL is validated first (SECURITY A6: only public
http(s) URLs without credentials, at most 2,048 characters), and refused with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from alaune.sources.categories import load_categories
from alaune.sources.urls import UrlRefused, check_url
from alaune.store import admins, health, jobs, outlet_admin, outlets
from alaune.web.admin.page import admin_action, admin_page, admin_view
from alaune.web.admin.session import back, record
from alaune.web.i18n import N_
from alaune.web.state import site

ACTIONS = ("pause", "resume", "poll")
MAX_SECTIONS = 200


@admin_view
def outlets_page(request: Request, session: admins.Session) -> Response:
    return _outlets(request, session)


def _outlets(
    request: Request, session: admins.Session, *, error: str = "", status: int = 200
) -> Response:
    with site(request).db.read() as conn:
        context = {
            "health": health.outlet_health(conn, now=datetime.now(UTC)),
            "jobs": jobs.recent(conn, limit=10),
            "error": error,
        }
    return admin_page(
        request, session, "admin/outlets.html", context, title=N_("Outlets"), status=status
    )


@admin_view
def edit_page(request: Request, session: admins.Session) -> Response:
    with site(request).db.read() as conn:
        outlet = outlets.get_outlet(conn, request.path_params["outlet_id"])
    if outlet is None:
        raise HTTPException(status_code=404)
    context = {
        "outlet": outlet,
        "sections_text": "\n".join(f"{name} = {slug}" for name, slug in outlet.sections),
        "category_slugs": [category.slug for category in load_categories()],
        "policies": outlet_admin.POLICIES,
    }
    return admin_page(request, session, "admin/outlet_edit.html", context, title=N_("Edit outlet"))


@admin_action
def save(request: Request, session: admins.Session, form: FormData) -> Response:
    outlet_id = request.path_params["outlet_id"]
    policy = str(form.get("policy") or "")
    sections = _sections(str(form.get("sections") or ""))
    if policy not in outlet_admin.POLICIES or sections is None:
        raise HTTPException(status_code=400, detail="policy or sections not understood")
    with site(request).db.write() as conn:
        if not outlet_admin.set_overrides(conn, outlet_id, policy=policy, sections=sections):
            raise HTTPException(status_code=404)
        record(
            conn, session, "edit_outlet", "outlet", outlet_id, policy=policy, sections=len(sections)
        )
    return back(request, "/admin/outlets")


@admin_action
def act(request: Request, session: admins.Session, form: FormData) -> Response:
    outlet_id, action = request.path_params["outlet_id"], request.path_params["action"]
    if action not in ACTIONS:
        raise HTTPException(status_code=404)
    with site(request).db.write() as conn:
        if outlets.get_outlet(conn, outlet_id) is None:
            raise HTTPException(status_code=404)
        if action == "poll":
            feeds = outlet_admin.poll_now(conn, outlet_id, now=datetime.now(UTC))
            record(conn, session, "poll_outlet", "outlet", outlet_id, feeds=feeds)
        else:
            outlet_admin.set_paused(conn, outlet_id, action == "pause")
            record(conn, session, f"{action}_outlet", "outlet", outlet_id)
    return back(request, "/admin/outlets")


@admin_action
def add(request: Request, session: admins.Session, form: FormData) -> Response:
    state = site(request)
    raw = str(form.get("homepage") or "").strip()
    try:
        homepage = check_url(raw, allow=state.settings.fetch_allow)
    except UrlRefused as exc:
        return _outlets(request, session, error=f"{raw[:200]!r} cannot be added: {exc}", status=400)
    language = str(form.get("language") or "")
    payload = {"homepage": homepage, "language": language if language in ("fr", "ar", "en") else ""}
    with state.db.write() as conn:
        job_id = jobs.enqueue(
            conn, jobs.DISCOVER, payload, requested_by=session.admin.name, now=datetime.now(UTC)
        )
        record(conn, session, "add_outlet", "outlet", homepage[:200], job=job_id)
    return back(request, "/admin/outlets")


def _sections(text: str) -> list[tuple[str, str]] | None:
    """`name = category` lines, as pairs; None when a line names an unknown category."""
    known = {category.slug for category in load_categories()}
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines()[:MAX_SECTIONS]:
        if not line.strip():
            continue
        name, sep, slug = line.rpartition("=")
        if not sep or not name.strip() or slug.strip() not in known:
            return None
        pairs.append((name.strip()[:200], slug.strip()))
    return pairs
