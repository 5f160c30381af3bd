"""Run every benchmark and print one line per measurement, ready for docs/benchmarks.md."""

from __future__ import annotations

from bench import crawl_demo


def main() -> None:
    for line in crawl_demo.run():
        print(line)


if __name__ == "__main__":
    main()
