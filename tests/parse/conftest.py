"""Fixtures for the parser tests: each backend in turn, and a loopback port that tells whether
anything tried to connect to it (SECURITY.md C2: no outbound request while parsing)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from parse_support import Listener

from alaune.parse.backend import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with one RSS/Atom engine only (feedparser-rs when installed, feedparser)."""
    name: str = request.param
    monkeypatch.setattr("alaune.parse.backend.BACKENDS", (name,))
    return name


@pytest.fixture
def listener() -> Iterator[Listener]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield Listener(sock)
    finally:
        sock.close()
