"""`alaune serve --workers 2`: two web processes on one port, both serving, metrics summed."""

from __future__ import annotations

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
