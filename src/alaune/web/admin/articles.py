"""Hiding whole articles (a takedown request) and undoing it.

Hiding removes the article and tombstones its canonical URL, so ingestion never brings it back
(store.tombstones); the reason is kept with the tombstone and in the audit log. Restoring lifts
the tombstone: the article returns on the next poll if its feed still lists it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from alaune.store import listings, tombstones
from alaune.web.admin.page import admin_page, require
from alaune.web.admin.session import back, checked_form, forbidden, record
from alaune.web.i18n import N_
from alaune.web.state import site

PREFIX = "admin: "


def articles_page(request: Request) -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    with site(request).db.read() as conn:
        removed = tombstones.removed(conn, prefix=PREFIX, limit=100)
    context = {"removed": removed, "prefix_length": len(PREFIX)}
    return admin_page(request, session, "admin/articles.html", context, title=N_("Articles"))


async def hide_article(request: Request) -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    form = await checked_form(request, session)
    if form is None:
        return forbidden()
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


async def restore_article(request: Request) -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    form = await checked_form(request, session)
    if form is None:
        return forbidden()
    url = str(form.get("url") or "")[:2048]
    with site(request).db.write() as conn:
        if tombstones.lift(conn, url):
            record(conn, session, "restore_article", "article", url[:200], url=url)
    return back(request, "/admin/articles")
