"""SECURITY.md H5: a saturated database gives a quick 503 with a message, never a 500 or a hang.

A full pool is made by holding its only connection; a refusing server by a role whose
`CONNECTION LIMIT` is reached (created here, dropped after: the server is never restarted); then
many concurrent requests against the site served by uvicorn, as in production.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import anyio
import psycopg
import pytest
from newsroom_support import FULL, Newsroom
from served_support import served
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from alaune.config import Settings, load_settings
from alaune.store.engine import Database, open_configured, open_database
from alaune.web.app import create_app
from alaune.web.overload import MESSAGES, Admission, overload_reason

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _settings(url: str, size: int, overflow: int, timeout: float) -> Settings:
    overrides = {
        "database_url": url,
        "db_pool_size": size,
        "db_max_overflow": overflow,
        "db_pool_timeout": timeout,
    }
    return load_settings(env={}, overrides=overrides)


def _get(port: int, path: str) -> tuple[int, float, str]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, time.monotonic() - started, body.decode()


def _burst(port: int, paths: list[str], threads: int) -> list[tuple[int, float, str]]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda path: _get(port, path), paths))


def test_a_full_pool_answers_503_quickly_then_recovers(db: Database, newsroom: Newsroom) -> None:
    newsroom.add(FULL)
    settings = _settings(db.url, size=1, overflow=0, timeout=0.5)
    small = open_configured(settings)
    site = TestClient(create_app(settings, small))
    try:
        held = small.engine.connect()  # the pool's only connection
        started = time.monotonic()
        page = site.get("/")
        api = site.get("/api/v1/stories")
        assert time.monotonic() - started < 3.0
        assert page.status_code == 503
        assert page.text.strip() == MESSAGES["fr"]
        assert page.headers["retry-after"] == "5"
        assert page.headers["cache-control"] == "no-store"
        assert api.status_code == 503
        assert api.json() == {"detail": MESSAGES["en"]}
        assert site.get("/ar/").text.strip() == MESSAGES["ar"]
        held.close()
        assert site.get("/").status_code == 200
        assert small.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        small.dispose()


async def test_admission_sheds_what_waits_longer_than_the_pool_timeout() -> None:
    """Two slots (pool 1 + overflow 1); five requests at once on a slow app: two are served,
    three get 503 after the 0.2 s timeout, long before the slow ones end."""
    finished: list[float] = []

    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        await anyio.sleep(1.0)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    admission = Admission(slow, settings=_settings("sqlite://", size=1, overflow=1, timeout=0.2))
    statuses: list[int] = []
    started = time.monotonic()

    async def one() -> None:
        scope = {"type": "http", "path": "/", "method": "GET", "headers": []}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
                finished.append(time.monotonic() - started)

        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        await admission(scope, receive, send)

    async with anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(one)
    assert sorted(statuses) == [200, 200, 503, 503, 503]
    assert max(t for t, s in zip(finished, statuses, strict=True) if s == 503) < 0.6


def _slots_settings(
    request_slots: int, *, size: int = 10, overflow: int = 5, url: str = "sqlite://"
) -> Settings:
    overrides = {
        "database_url": url,
        "db_pool_size": size,
        "db_max_overflow": overflow,
        "db_pool_timeout": 5.0,
        "request_slots": request_slots,
    }
    return load_settings(env={}, overrides=overrides)


async def _request(
    admission: Admission,
    path: str,
    *,
    method: str = "GET",
    on_send: Callable[[Message], Awaitable[None]] | None = None,
) -> None:
    """One request through `admission`, its messages handed to `on_send`."""
    scope = {"type": "http", "path": path, "method": method, "headers": []}

    async def send(message: Message) -> None:
        if on_send is not None:
            await on_send(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    await admission(scope, receive, send)


async def _run_at_once(admission: Admission, count: int, *, gap: float = 0.01) -> list[int]:
    """`count` requests, the n-th arriving `gap` × n seconds after the first: their numbers
    in the order their responses started."""
    started: list[int] = []

    async def one(number: int) -> None:
        await anyio.sleep(gap * number)

        async def note(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.append(number)

        await _request(admission, f"/{number}", on_send=note)

    async with anyio.create_task_group() as group:
        for number in range(count):
            group.start_soon(one, number)
    return started


async def test_request_slots_bound_the_work_and_serve_in_order_of_arrival() -> None:
    """Two slots: never more than two requests inside at once, and the ones that waited are
    served first come, first served (eight pages rendering at once made the tail)."""
    inside, most = 0, 0

    async def working(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        await anyio.sleep(0.05)
        inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    order = await _run_at_once(Admission(working, settings=_slots_settings(2)), 8)
    assert most == 2
    assert order == list(range(8))

    most = 0
    await _run_at_once(Admission(working, settings=_slots_settings(0)), 8)
    assert most == 2  # 0 on SQLite: two
    most = 0
    postgres = "postgresql+psycopg://u@127.0.0.1/db"
    await _run_at_once(
        Admission(working, settings=_slots_settings(0, size=5, url=postgres)), 12, gap=0
    )
    assert most == 10  # 0 on PostgreSQL: as many as the process's connections
    most = 0
    await _run_at_once(Admission(working, settings=_slots_settings(50, size=2, overflow=1)), 8)
    assert most == 3  # never more than its connections


async def test_a_slow_reader_does_not_hold_a_slot() -> None:
    """The slot is given back when the response starts: one slot, a first client that does not
    read its body, and the next request is still served."""
    reading = anyio.Event()

    async def page(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    admission = Admission(page, settings=_slots_settings(1, size=1, overflow=0))
    served: list[str] = []

    async def request(path: str) -> None:
        async def drain(message: Message) -> None:
            if message["type"] == "http.response.body" and path == "/slow":
                await reading.wait()  # the transport's buffer is full until the client reads
            if message["type"] == "http.response.body":
                served.append(path)

        await _request(admission, path, on_send=drain)

    async with anyio.create_task_group() as group:
        group.start_soon(request, "/slow")
        await anyio.sleep(0.05)
        with anyio.fail_after(2):
            await request("/next")
        assert served == ["/next"]
        reading.set()
    assert served == ["/next", "/slow"]


def test_what_counts_as_overload(sqlite_db: Database) -> None:
    refused = open_database("postgresql+psycopg://postgres@127.0.0.1:1/none", pool_timeout=1)
    with pytest.raises(OperationalError) as caught:
        refused.engine.connect()
    assert "refused a connection" in str(overload_reason(caught.value))
    refused.dispose()

    with pytest.raises(OperationalError) as caught, sqlite_db.read() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    assert overload_reason(caught.value) is None  # a bug stays a 500

    tiny = open_configured(_settings(sqlite_db.url, size=1, overflow=0, timeout=0.1))
    with tiny.engine.connect(), pytest.raises(PoolTimeout) as caught:
        tiny.engine.connect()
    assert overload_reason(caught.value) == "no free connection in the pool"
    tiny.dispose()


@pytest.fixture
def limited_role(postgres_db: Database, postgres_url: str) -> Iterator[tuple[str, str]]:
    """A role that may hold 2 connections, with the rights the site needs: (name, its URL)."""
    name = f"alaune_h5_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{name}" LOGIN NOSUPERUSER CONNECTION LIMIT 2')
    with postgres_db.write() as conn:
        conn.execute(
            text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{name}"')
        )
        conn.execute(text(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{name}"'))
    yield name, postgres_url.replace("://postgres@", f"://{name}@", 1)
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [name]
        )
    with postgres_db.write() as conn:
        conn.execute(text(f'DROP OWNED BY "{name}"'))
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP ROLE "{name}"')


def _connections_of(role: str) -> int:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", [role]
        ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.postgres
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_a_role_at_its_connection_limit_gets_503_not_500(
    db: Database, newsroom: Newsroom, limited_role: tuple[str, str]
) -> None:
    newsroom.add(FULL)
    role, url = limited_role
    settings = _settings(url, size=4, overflow=4, timeout=1.0)
    database = open_configured(settings)
    app = create_app(settings, database, cache_ttl=0)
    database.engine.dispose()  # the schema check's connection: the role starts with none
    holders = [psycopg.connect(url.replace("+psycopg", ""), autocommit=True) for _ in range(2)]
    try:
        with served(app) as port:
            refused = _burst(port, [f"/?n={n}" for n in range(60)], threads=20)
            assert {status for status, _, _ in refused} == {503}
            assert max(seconds for _, seconds, _ in refused) < 2.0
            # refused at once by the server, not after the 1 s pool timeout
            assert sorted(seconds for _, seconds, _ in refused)[30] < 0.5
            assert refused[0][2].strip() == MESSAGES["fr"]
            for holder in holders:
                holder.close()
            holders = []
            mixed = _burst(port, [f"/search?q=titre&n={n}" for n in range(200)], threads=32)
            assert {status for status, _, _ in mixed} <= {200, 503}
            assert any(status == 200 for status, _, _ in mixed)
            assert _get(port, "/?after=burst")[0] == 200  # no crash loop: it serves again
            assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
            assert _connections_of(role) <= 2
    finally:
        for holder in holders:
            holder.close()
        database.dispose()


async def test_a_write_takes_no_read_slot() -> None:
    """One read slot, held by a page that is still rendering: a report (POST) is served
    meanwhile, and the next page waits for the slot. Writes wait on SQLite's writer lock, not
    on the CPU: they must not hold up pages, nor queue behind them."""
    rendering = anyio.Event()
    served: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/slow":
            await rendering.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        served.append(f"{scope['method']} {scope['path']}")

    admission = Admission(app, settings=_slots_settings(1))

    async def request(method: str, path: str) -> None:
        await _request(admission, path, method=method)

    async with anyio.create_task_group() as group:
        group.start_soon(request, "GET", "/slow")
        await anyio.sleep(0.05)
        with anyio.fail_after(2):
            await request("POST", "/images/1/report")
        group.start_soon(request, "GET", "/next")
        await anyio.sleep(0.05)
        assert served == ["POST /images/1/report"]  # the next page waits for the slot
        rendering.set()
    assert served == ["POST /images/1/report", "GET /slow", "GET /next"]
