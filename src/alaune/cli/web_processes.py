"""`alaune serve --workers N`: N web processes, each with its own listening socket on the port.

Why not uvicorn's own supervisor: it binds one socket and shares it, and whichever process is
idle first accepts a whole burst of new connections. Behind a proxy that keeps a few keep-alive
connections open (and in bench/web.py) one process then serves nearly everything: 1 request of
401 went to the other in one measured run (docs/benchmarks.md). Here each process binds its own
socket with SO_REUSEPORT and the kernel spreads new connections over them by their addresses'
hash.

The parent starts the processes (spawned, not forked: each builds its site from the
environment), restarts one that dies, and stops them all on SIGINT or SIGTERM (each finishes
its requests in progress: uvicorn's graceful shutdown). A process that exits by itself within
`STARTUP_SECONDS` of its start failed to start (port taken, database unreachable): the parent
then stops the others and exits with an error rather than restarting it in a loop. One killed
by a signal (the OOM killer, an operator) is always replaced.

With SO_REUSEPORT, another process of the same user listening with SO_REUSEPORT on the same port
shares it rather than failing; a socket bound without it (any other server) makes startup fail.
This module must not build the site itself: `serve.app_from_environment` does, in each child.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.context import SpawnProcess
from types import FrameType
from typing import Any

import uvicorn

STARTUP_SECONDS = 10.0
STOP_SECONDS = 30.0  # how long a stopping process may take to finish its requests
_CHECK_EVERY = 0.5


class StartupFailed(Exception):
    """A web process exited before it had served for `STARTUP_SECONDS`."""


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) with SO_REUSEPORT, ready for `uvicorn.Server.run`."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _child(factory: str, options: dict[str, Any]) -> None:
    """One web process: its own socket, then uvicorn until SIGINT/SIGTERM."""
    try:
        sock = listening_socket(options["host"], options["port"])
    except OSError as exc:
        sys.stderr.write(f"alaune serve: {_cannot_listen(options, exc)}\n")
        sys.exit(3)
    config = uvicorn.Config(factory, factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def _cannot_listen(options: dict[str, Any], exc: OSError) -> str:
    where = f"{options['host']}:{options['port']}"
    return (
        f"cannot listen on {where}: {exc.strerror or exc}; stop what uses the port or choose "
        "another with --port"
    )


@dataclass
class _Worker:
    process: SpawnProcess
    started: float = field(default_factory=time.monotonic)


class WebProcesses:
    """Runs `count` web processes of `factory` (a "module:function" building the app)."""

    def __init__(self, factory: str, count: int, options: dict[str, Any]) -> None:
        self.factory = factory
        self.count = count
        self.options = options
        self.context = multiprocessing.get_context("spawn")
        self.stopping = threading.Event()
        self.workers: list[_Worker] = []

    def run(self) -> None:
        """Serve until SIGINT or SIGTERM; raises StartupFailed if a process cannot start."""
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            # Checked here so that a port taken by another server is one clear error, not N.
            listening_socket(self.options["host"], self.options["port"]).close()
        except OSError as exc:
            raise StartupFailed(_cannot_listen(self.options, exc)) from None
        try:
            self.workers = [self._start() for _ in range(self.count)]
            while not self.stopping.wait(_CHECK_EVERY):
                self._replace_dead()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self._stop_all()

    def _start(self) -> _Worker:
        process = self.context.Process(
            target=_child, args=(self.factory, self.options), name="alaune-web", daemon=False
        )
        process.start()
        return _Worker(process)

    def _replace_dead(self) -> None:
        for index, worker in enumerate(self.workers):
            if worker.process.is_alive() or self.stopping.is_set():
                continue
            lived = time.monotonic() - worker.started
            killed = (worker.process.exitcode or 0) < 0  # by a signal: not its own doing
            if lived < STARTUP_SECONDS and not killed:
                raise StartupFailed(
                    f"a web process exited {lived:.1f} s after it started (exit code "
                    f"{worker.process.exitcode}); its error is printed above"
                )
            self.workers[index] = self._start()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def _stop_all(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()  # SIGTERM: uvicorn finishes what it serves
        deadline = time.monotonic() + STOP_SECONDS
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
