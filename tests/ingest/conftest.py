"""Fixtures of the ingest tests: a loopback `FeedSite` and the crawler's fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feed_site import FeedSite
from ingest_support import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def site() -> Iterator[FeedSite]:
    with FeedSite() as running:
        yield running
