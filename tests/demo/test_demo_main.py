"""`python -m alaune.demo` prints every outlet and stops cleanly on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys

from alaune.demo.corpus import load_corpus


def test_python_m_alaune_demo_prints_outlets_and_stops_on_ctrl_c() -> None:
    outlets = load_corpus().outlets
    process = subprocess.Popen(
        [sys.executable, "-m", "alaune.demo"],
        # A shell without job control starts background jobs with SIGINT ignored, and Python
        # keeps an ignored SIGINT: give the child the default disposition, as a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in outlets]
        ready = process.stdout.readline()  # once printed, the outlets are serving
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    for outlet, line in zip(outlets, lines, strict=True):
        name, feed_url, address = line.rstrip("\n").split("\t")
        assert name == outlet.name
        assert feed_url.startswith(f"http://{address}/")
        assert address.startswith("127.0.0.1:")
    assert "Ctrl-C" in ready
    assert out == ""
