"""`python -m alaune.demo`: serve the demo outlets on loopback until Ctrl-C.

Prints each outlet's name, feed URL and address, then blocks. A convenience for trying the
outlets by hand; the `alaune demo` command of the CLI is the supported way to run the demo.
"""

from __future__ import annotations

import argparse
import contextlib
import threading

from alaune.demo.server import DemoOutlets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m alaune.demo", description="Serve the demo outlets on 127.0.0.1."
    )
    parser.add_argument(
        "--base-port",
        type=int,
        default=None,
        help="port of the first outlet, the next ones follow (default: any free)",
    )
    args = parser.parse_args(argv)
    with DemoOutlets(base_port=args.base_port) as demo:
        for running in demo.outlets:
            print(f"{running.outlet.name}\t{running.feed_url}\t{running.address}", flush=True)
        # The ready line is printed inside the suppress block: a Ctrl-C that arrives the moment
        # it is written (a test that waits for it, a quick user) still stops cleanly.
        with contextlib.suppress(KeyboardInterrupt):
            print("Serving the demo outlets; press Ctrl-C to stop.", flush=True)
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
