"""The same-origin check of every state-changing request, and relative-only redirects.

A request is same-origin when the browser says so (`Sec-Fetch-Site: same-origin`, Chrome 76+,
Firefox 90+, Safari 16.4+) or, from browsers that do not send it, when `Origin` is one of ours. A
request with neither is refused: it did not come from one of our forms (SECURITY F3, G3).
`safe_next` keeps a redirect target only when it is a path on this site (G2).
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import unquote, urlsplit


def same_origin(sec_fetch_site: str | None, origin: str | None, ours: Collection[str]) -> bool:
    if sec_fetch_site:
        return sec_fetch_site.strip().lower() == "same-origin"
    if not origin or origin.strip().lower() == "null":
        return False
    return origin.strip().rstrip("/").lower() in {o.rstrip("/").lower() for o in ours}


def safe_next(value: str | None, default: str = "/") -> str:
    """`value` when it is a plain path on this site, otherwise `default`."""
    if not value or len(value) > 2000:
        return default
    decoded = unquote(value)
    for text in (value, decoded):
        if not text.startswith("/") or text.startswith(("//", "/\\")) or "\\" in text:
            return default
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
            return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value
