"""HTTP answers of the demo outlets: a resource's validators and conditional GET.

A `Resource` is a body with its Content-Type and modification time; `answer` turns it into a 200
with ETag and Last-Modified, or a 304 when the request's If-None-Match or If-Modified-Since
matches (RFC 9110 13.1.2, 13.1.3). Pure: request headers come in as a mapping with lower-case
names; this module must not touch sockets or read the clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

CACHE_CONTROL = "public, max-age=60"


@dataclass(frozen=True, slots=True)
class Resource:
    """What a path serves, with its validators."""

    body: bytes
    content_type: str
    last_modified: datetime  # aware, whole seconds: HTTP dates have no fractions
    etag: str


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    # How a faulty outlet sends it (`faults`): seconds between two bytes of the body, and bytes
    # of zeros streamed after it until the client hangs up. The server carries these out.
    drip: float = 0.0
    stream: int = 0


def resource(body: bytes, content_type: str, last_modified: datetime) -> Resource:
    """A resource with a strong ETag drawn from its bytes."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:24] + '"'
    return Resource(body, content_type, last_modified.astimezone(UTC).replace(microsecond=0), etag)


def answer(found: Resource, request_headers: Mapping[str, str], *, status: int = 200) -> Response:
    """200 with the body, or 304 when the client's copy is current (only for a 200)."""
    validators = (
        ("ETag", found.etag),
        ("Last-Modified", format_datetime(found.last_modified, usegmt=True)),
        ("Cache-Control", CACHE_CONTROL),
    )
    if status == 200 and not_modified(found, request_headers):
        return Response(304, validators, b"")
    headers = (
        ("Content-Type", found.content_type),
        ("Content-Length", str(len(found.body))),
        *validators,
    )
    return Response(status, headers, found.body)


def not_modified(found: Resource, request_headers: Mapping[str, str]) -> bool:
    """Whether the client's validators match.

    If-None-Match takes precedence: when present, If-Modified-Since is ignored (RFC 9110 13.2.2).
    """
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        return _etag_matches(found.etag, if_none_match)
    since = _http_date(request_headers.get("if-modified-since"))
    return since is not None and found.last_modified <= since


def _etag_matches(etag: str, header: str) -> bool:
    """Weak comparison, as If-None-Match uses (RFC 9110 8.8.3.2): W/ prefixes are ignored."""
    if header.strip() == "*":
        return True
    candidates = (tag.strip().removeprefix("W/") for tag in header.split(","))
    return etag in candidates


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # an invalid date is ignored (RFC 9110 13.1.3)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
