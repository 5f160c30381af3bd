"""URL canonicalization: one spelling per article, so that ingestion can fold duplicates.

Pure functions, no I/O, no DNS. Canonical form: lower-case scheme and host, no default port, no
fragment, no tracking parameters (utm_*, fbclid, gclid, …), remaining query parameters sorted,
bidi control characters removed. Only http(s) URLs are canonicalized; anything else is refused
with ValueError, because only http(s) URLs are ever stored (SECURITY.md promise 4).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

MAX_URL_LENGTH = 2048
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid", "_ga", "ref_src"}
)
# Bidi overrides, isolates and marks, zero-width characters: never part of a real URL (D8).
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def strip_invisible(value: str) -> str:
    return _INVISIBLE.sub("", value)


def absolute_http_url(value: str, base: str = "") -> str | None:
    """`value` resolved against `base` if it is an http(s) URL, else None (javascript:, data:…)."""
    cleaned = strip_invisible(value).strip()
    # Browsers ignore ASCII whitespace and controls inside a scheme ("jav\tascript:"): so do we.
    cleaned = re.sub(r"[\x00-\x20]", "", cleaned) if ":" in cleaned[:16] else cleaned
    if not cleaned or len(cleaned) > MAX_URL_LENGTH:
        return None
    resolved = urljoin(base, cleaned) if base else cleaned
    parts = urlsplit(resolved)
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return resolved


def canonical_url(url: str) -> str:
    """The canonical spelling of an http(s) URL; ValueError for anything else."""
    parts = urlsplit(strip_invisible(url).strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url[:200]!r}")
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL: the key of per-origin politeness."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme, 0)
