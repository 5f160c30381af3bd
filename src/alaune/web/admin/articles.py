"""Hiding whole articles (a takedown request) and undoing it.

Hiding removes the article and tombstones its canonical URL, so ingestion never brings it back
(store.tombstones); the reason is kept with the tombstone and in the audit log. Restoring lifts
the tombstone: the article returns on the next poll if its feed still lists it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from alaune.store import admins, listings, tombstones
from alaune.web.admin.page import admin_action, admin_page, admin_view
from alaune.web.admin.session import back, record
from alaune.web.i18n import N_
from alaune.web.state import site

PREFIX = "admin: "


@admin_view
def articles_page(request: Request, session: admins.Session) -> Response:
    with site(request).db.read() as conn:
        removed = tombstones.removed(conn, prefix=PREFIX, limit=100)
    context = {"removed": removed, "prefix_length": len(PREFIX)}
    return admin_page(request, session, "admin/articles.html", context, title=N_("Articles"))


@admin_action
def hide_article(request: Request, session: admins.Session, form: FormData) -> Response:
    raw_id = str(form.get("article") or "").strip().rsplit("/", 1)[-1]
    reason = str(form.get("reason") or "").strip()[:900]
    if not raw_id.isdigit() or len(raw_id) > 9 or not reason:
        return back(request, "/admin/articles?error=1")
    now = datetime.now(UTC)
    with site(request).db.write() as conn:
        detail = listings.get_article(conn, int(raw_id))
        if detail is None:
            return back(request, "/admin/articles?error=1")
        url = tombstones.remove_article(conn, int(raw_id), reason=PREFIX + reason, now=now)
        record(
            conn,
            session,
            "hide_article",
            "article",
            raw_id,
            reason,
            url=url,
            title=detail.item.title,
            outlet=detail.item.outlet_id,
        )
    return back(request, "/admin/articles")


@admin_action
def restore_article(request: Request, session: admins.Session, form: FormData) -> Response:
    url = str(form.get("url") or "")[:2048]
    with site(request).db.write() as conn:
        if tombstones.lift(conn, url):
            record(conn, session, "restore_article", "article", url[:200], url=url)
    return back(request, "/admin/articles")
