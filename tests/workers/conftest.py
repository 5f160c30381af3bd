"""Fixtures of the scale-out tests: Redis, a clean PostgreSQL database, the demo outlets.

Redis is the server on 127.0.0.1:6379. Each test gets its own key prefix (`broker_prefix`),
whose keys are deleted at the end, so runs never see each other's queues. Outside CI a missing
Redis skips these tests; with CI=true it fails, as PostgreSQL does (tests/conftest.py).
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import text
from workers_support import ScaleOut

from alaune.config import Settings, load_settings
from alaune.demo.server import DemoOutlets
from alaune.store.engine import Database
from alaune.store.schema import metadata

REDIS_URL = os.environ.get("ALAUNE_TEST_REDIS", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        message = f"Redis at {REDIS_URL} is unreachable ({exc}); scale-out tests skipped"
        if IN_CI:
            pytest.fail(message.replace("skipped", "required under CI=true"))
        pytest.skip(message)
    return REDIS_URL


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    name = f"alaune-test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{name}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def pg(postgres_db: Database) -> Database:
    """The session's PostgreSQL database, emptied."""
    names = ", ".join(table.name for table in reversed(metadata.sorted_tables))
    with postgres_db.write() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    return postgres_db


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoOutlets]:
    with DemoOutlets() as outlets:
        yield outlets


@pytest.fixture
def demo_settings(demo: DemoOutlets) -> Settings:
    return dataclasses.replace(load_settings(env={}), fetch_allow=list(demo.allow))


@pytest.fixture
def scale(
    pg: Database, postgres_url: str, redis_url: str, prefix: str, tmp_path: Path
) -> Iterator[ScaleOut]:
    running = ScaleOut(postgres_url, redis_url, prefix, tmp_path)
    yield running
    running.close()
