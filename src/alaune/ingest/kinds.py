"""What a failure is called, and whether trying again later may help.

Pure functions over exceptions: the error taxonomy of `alaune.errors.FETCH_ERROR_KINDS` is what
health counts per outlet, so every failure of a poll or a page is named here once. This module
must not decide when to retry (that is `schedule`).
"""

from __future__ import annotations

from alaune.errors import FETCH_ERROR_KINDS, FetchError, ParseError

# Kinds after which a later attempt may succeed: the feed is re-read until these items are stored.
TRANSIENT_KINDS = frozenset({"dns", "connect", "timeout", "tls", "protocol"})
# What a server sends when it sends a web page where a feed should be.
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def is_transient(exc: FetchError) -> bool:
    """Whether a later attempt may succeed (RFC 9110 15.6: 5xx; 429 asks to come back later)."""
    if exc.kind == "http_status":
        return exc.status is None or exc.status >= 500 or exc.status == 429
    return exc.kind in TRANSIENT_KINDS


def listing_error_kind(
    exc: ParseError, content_type: str = "", body: bytes = b"", *, listing: str = "rss"
) -> str:
    """`not_a_feed` when the listing is a web page where a feed should be (by its Content-Type
    or its first bytes), `parse_error` when it is a feed or sitemap we cannot read (ill-formed,
    entity bombs, invalid JSON) or a section page (`listing` "section", HTML by nature) we
    cannot read. A parser may name the kind itself with a `kind` attribute.
    """
    named = getattr(exc, "kind", None)
    if isinstance(named, str) and named in FETCH_ERROR_KINDS:
        return named
    if listing == "section":
        return "parse_error"
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if content_type in _HTML_TYPES or head.startswith((b"<!doctype html", b"<html")):
        return "not_a_feed"
    return "parse_error"
