"""Lead images alaune stored itself: `/images/<id>/<name>` (the resized copy) and
`/images/<id>/thumb/<name>` (the thumbnail).

Bytes come from the database only (store.images): nothing here fetches, and an image that is not
stored, or that moderation hid, and any other path under `/images/` (garbage ids), is one plain
text 404 that says nothing of the request. Every response carries `media.serving_headers`
(the stored raster type, `nosniff`, a sandboxing Content-Security-Policy and a safe inline file
name, SECURITY.md E1). The name in the path is decoration: it is never read back, so nothing a
reader types is reflected (E2). The bytes of an id never change, but a hidden image must stop
being served, so responses are cached for a day and are not marked immutable.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from alaune.media import serving_headers
from alaune.store import images as image_store
from alaune.web.state import site

CACHE_CONTROL = "public, max-age=86400"
NOT_FOUND = "image not found"


def image(request: Request) -> Response:
    return _serve(request, thumbnail=False)


def thumbnail(request: Request) -> Response:
    return _serve(request, thumbnail=True)


def _serve(request: Request, *, thumbnail: bool) -> Response:
    image_id = request.path_params["image_id"]
    with site(request).db.read() as conn:
        found = image_store.served(conn, image_id, thumbnail=thumbnail)
    if found is None:
        return missing(request)
    headers = serving_headers(found.media_type, f"alaune-{image_id}")
    headers["Cache-Control"] = CACHE_CONTROL
    headers["ETag"] = f'"image-{image_id}{"-thumb" if thumbnail else ""}"'
    media_type = headers.pop("Content-Type")
    return Response(found.data, media_type=media_type, headers=headers)


def missing(request: Request) -> Response:
    """The one answer for an image we do not serve; the URL is never echoed (E2)."""
    return PlainTextResponse(NOT_FOUND, status_code=404, headers={"Cache-Control": "no-store"})
