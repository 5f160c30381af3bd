"""Helpers shared by the demo outlets' tests: the fixture corpus root, a fixed clock, a client."""

from __future__ import annotations

import http.client
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

FIXTURE_ROOT = Path(__file__).parent / "fixtures" / "corpus"
NOW = datetime(2025, 3, 12, 12, 0, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes


def fetch(url: str, headers: Mapping[str, str] | None = None, method: str = "GET") -> Fetched:
    """One request on a fresh connection, closed before returning."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=5)
    try:
        connection.request(method, parts.path or "/", headers=dict(headers or {}))
        response = connection.getresponse()
        body = response.read()
        return Fetched(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()
