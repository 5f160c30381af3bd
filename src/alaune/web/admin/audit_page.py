"""The audit log, in the admin area: every moderation and admin action, newest first."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from alaune.store import audit
from alaune.web.admin.page import admin_page, require
from alaune.web.i18n import N_
from alaune.web.state import site

PAGE = 100


def audit_log(request: Request) -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    before = request.query_params.get("before", "")
    before_id = int(before) if before.isdigit() and len(before) < 10 else None
    with site(request).db.read() as conn:
        entries = audit.entries(conn, limit=PAGE, before_id=before_id)
    context = {"entries": entries, "more": len(entries) == PAGE}
    return admin_page(request, session, "admin/audit.html", context, title=N_("Audit log"))
