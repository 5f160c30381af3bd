"""How a stored image is served: a safe download name and the response headers (SECURITY.md E1).

`safe_filename` makes a name from anything (an outlet's URL path, an article title) that can sit
inside `Content-Disposition` without escaping: ASCII letters, digits, `-`, `_` and one `.`
before the extension of the type alaune actually stored, never CR, LF, quotes, slashes or `..`.
`serving_headers` are the headers every `/images/<id>/…` response carries: the stored type,
`nosniff`, a Content-Security-Policy that gives the response no power if opened as a page, and
the inline disposition with the safe name. Caching is the web's to decide: a hidden image must
stop being served, so it cannot be marked immutable.

Pure: strings in, strings out.
"""

from __future__ import annotations

import re
import unicodedata

from alaune.media.sniff import MEDIA_TYPES

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}
MAX_STEM = 60
CONTENT_SECURITY_POLICY = "default-src 'none'; form-action 'none'; sandbox"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_filename(hint: str, media_type: str, *, default: str = "image") -> str:
    """A download name for `hint` with the extension of `media_type` (a raster type we store)."""
    if media_type not in EXTENSIONS:
        raise ValueError(f"not a type alaune serves: {media_type!r}")
    last = hint.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]  # a URL's last path segment
    stem = last.rsplit(".", 1)[0] if "." in last else last
    ascii_only = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("-", ascii_only).strip("-_")[:MAX_STEM].strip("-_")
    return f"{cleaned or default}.{EXTENSIONS[media_type]}"


def serving_headers(media_type: str, filename: str) -> dict[str, str]:
    """Headers for serving stored image bytes of `media_type` under `filename`."""
    if media_type not in MEDIA_TYPES.values():
        raise ValueError(f"not a type alaune serves: {media_type!r}")
    name = safe_filename(filename, media_type)
    return {
        "Content-Type": media_type,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Content-Disposition": f'inline; filename="{name}"',
    }
