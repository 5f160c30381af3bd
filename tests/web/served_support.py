"""The site served for real: uvicorn on a loopback port in a thread, one event loop, as in
production (a TestClient per thread would give each thread its own loop, which the site's
admission queue, web/overload.py, is not made for). Imported by the site's tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.applications import Starlette


@contextmanager
def served(app: Starlette) -> Iterator[int]:
    """The app on a loopback port, served by uvicorn in a thread: yields the port."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield int(port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
