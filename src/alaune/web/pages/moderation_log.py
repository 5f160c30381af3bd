"""The public moderation log (`/moderation`): what was hidden or restored, and when.

Transparency without exposure: each entry shows the time, the action and the kind of thing it
touched, with a link to the image's or outlet's page when one exists; never the admin's name, a
reason (which may name a person) or anything about reporters.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from alaune.store import audit
from alaune.web.i18n import N_
from alaune.web.prefix import language
from alaune.web.render import Meta
from alaune.web.state import site

LABELS = {
    "auto_hide": N_("Image hidden automatically after readers' reports"),
    "hide": N_("Image hidden by an editor"),
    "restore": N_("Image restored by an editor"),
    "approve": N_("Image reviewed and kept by an editor"),
    "hide_article": N_("Article removed by an editor"),
    "restore_article": N_("Article removal undone by an editor"),
    "breaker": N_("Automatic hiding paused: unusual wave of reports sent to editors"),
    "pause_outlet": N_("Outlet paused"),
    "resume_outlet": N_("Outlet resumed"),
}


def moderation_log(request: Request) -> Response:
    with site(request).db.read() as conn:
        entries = audit.public_entries(conn, tuple(LABELS), limit=200)
    renderer = site(request).renderer
    title = renderer.text(language(request), "Moderation log")
    context = {"entries": entries, "labels": LABELS}
    return renderer.page(
        request, "moderation_log.html", context, meta=Meta(title=f"{title} — alaune")
    )
