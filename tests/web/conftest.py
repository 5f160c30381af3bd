"""Fixtures of the site's tests: a `newsroom` to fill the `db` fixture (SQLite, then PostgreSQL)
and `client`, the site over it with the response cache off, so that a test sees its own writes
at once; the cache has its own tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from newsroom_support import Newsroom
from starlette.testclient import TestClient

from alaune.config import load_settings
from alaune.store.engine import Database
from alaune.web.app import create_app


@pytest.fixture
def newsroom(db: Database) -> Newsroom:
    return Newsroom(db)


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    app = create_app(load_settings(env={}), db, cache_ttl=0)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
