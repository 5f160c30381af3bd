"""A database of N generated articles for the benchmarks: `alaune.devtools.generate`, from here.

The generator itself (recombined fr/ar/en demo reports in stories of 1–8, on SQLite or
PostgreSQL) lives in the package so that `alaune dev generate` offers it too; this module keeps
`bench.web` and the old command line working:

    .venv/bin/python -m bench.generate sqlite:////tmp/alaune-100k.db 100000
"""

from __future__ import annotations

import sys

from alaune.devtools.generate import Generated, generate

__all__ = ["Generated", "generate", "main"]


def main(argv: list[str]) -> None:
    db_url = argv[0] if argv else "sqlite:////tmp/alaune-bench.db"
    count = int(argv[1]) if len(argv) > 1 else 100_000
    done = generate(db_url, count)
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in done.seconds.items())
    print(f"{done.articles:,} articles in {done.stories:,} stories into {db_url} ({timings})")


if __name__ == "__main__":
    main(sys.argv[1:])
