"""The audit log, in the admin area: every moderation and admin action, newest first."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from alaune.store import admins, audit
from alaune.web.admin.page import admin_page, admin_view
from alaune.web.i18n import N_
from alaune.web.state import site

PAGE = 100


@admin_view
def audit_log(request: Request, session: admins.Session) -> Response:
    before = request.query_params.get("before", "")
    before_id = int(before) if before.isdigit() and len(before) < 10 else None
    with site(request).db.read() as conn:
        entries = audit.entries(conn, limit=PAGE, before_id=before_id)
    context = {"entries": entries, "more": len(entries) == PAGE}
    return admin_page(request, session, "admin/audit.html", context, title=N_("Audit log"))
