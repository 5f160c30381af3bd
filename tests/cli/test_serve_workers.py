"""`alaune serve --workers 2`: two web processes on one port, both serving, metrics summed."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from alaune.store import migrate
from alaune.store.engine import open_database

REQUESTS = 120
ALAUNE = (sys.executable, "-m", "alaune")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'alaune.db'}"
    database = open_database(url)
    migrate.upgrade(database)
    database.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALAUNE_", "PROMETHEUS_"))}
    command = [sys.executable, "-m", "alaune", "--database", url]
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*command, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "alaune serve --workers 2 did not start"
            time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0


def _served_by(metrics: str) -> dict[str, float]:
    return {
        sample.labels["pid"]: sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "alaune_web_process_requests"
    }


def _healthz_count(metrics: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "alaune_http_request_duration_seconds_count"
        and sample.labels["route"] == "healthz"
    )


def test_two_workers_both_serve_and_metrics_add_up(two_workers: str) -> None:
    base = two_workers
    sent = 1  # the readiness check that succeeded (the others found no socket)
    deadline = time.monotonic() + 30
    while True:
        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(lambda _: _get(f"{base}/healthz")[0], range(REQUESTS)))
        assert statuses == [200] * REQUESTS
        sent += REQUESTS
        served = _served_by(_get(f"{base}/metrics")[1])
        if len(served) == 2 and all(count > 0 for count in served.values()):
            break
        assert time.monotonic() < deadline, f"requests went to one process only: {served}"
    # every worker's requests, whichever worker answers the scrape
    assert _healthz_count(_get(f"{base}/metrics")[1]) == sent


def _keep_alive_requests(base: str, connections: int, each: int) -> None:
    host, port = base.removeprefix("http://").split(":")
    opened = [http.client.HTTPConnection(host, int(port), timeout=10) for _ in range(connections)]
    try:
        for _ in range(each):
            for conn in opened:
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                assert response.status == 200
    finally:
        for conn in opened:
            conn.close()


def test_keep_alive_connections_are_spread_over_both_processes(two_workers: str) -> None:
    """Each process has its own SO_REUSEPORT socket: the kernel hashes connections over them.
    (On one shared socket, whichever process woke first took a whole burst of connections.)"""
    _both_listening(two_workers)
    before = _served_by(_get(f"{two_workers}/metrics")[1])
    _keep_alive_requests(two_workers, connections=16, each=5)
    after = _served_by(_get(f"{two_workers}/metrics")[1])
    served = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
    assert len(served) == 2, served
    assert min(served.values()) >= 5, served  # at least one connection's worth each


def _both_listening(base: str) -> dict[str, float]:
    """Wait until both processes have answered (the second may still be starting). A process's
    series appears, at 0, when it imports the metrics module, before its socket listens: only a
    count above 0 shows that it accepts connections."""
    deadline = time.monotonic() + 60
    while len(pids := _answered(_get(f"{base}/metrics")[1])) < 2:
        _keep_alive_requests(base, connections=8, each=1)
        assert time.monotonic() < deadline, f"one process only: {pids}"
    return pids


def _answered(metrics: str) -> dict[str, float]:
    return {pid: count for pid, count in _served_by(metrics).items() if count > 0}


def test_a_killed_process_is_replaced(two_workers: str) -> None:
    pids = _both_listening(two_workers)
    victim = int(next(iter(pids)))
    os.kill(victim, signal.SIGKILL)
    time.sleep(1)  # connections the kernel had queued on the dead socket are reset
    deadline = time.monotonic() + 60
    while True:
        _keep_alive_requests(two_workers, connections=8, each=1)  # the survivor answers
        now = _answered(_get(f"{two_workers}/metrics")[1])
        if set(now) - set(pids):
            break
        assert time.monotonic() < deadline, "no process replaced the killed one"
        time.sleep(0.5)


def test_a_taken_port_is_one_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'alaune.db'}"
    database = open_database(url)
    migrate.upgrade(database)
    database.dispose()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALAUNE_")}
        done = subprocess.run(
            [*ALAUNE, "--database", url, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "--port" in done.stderr
