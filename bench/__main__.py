"""Run every benchmark and print one line per measurement, ready for docs/benchmarks.md."""

from __future__ import annotations

from bench import clustering, crawl_demo, extraction, parse_feeds, poll, web


def main() -> None:
    for line in crawl_demo.run():
        print(line)
    for line in clustering.run():
        print(line)
    for line in extraction.run():
        print(line)
    for line in parse_feeds.run():
        print(line)
    for line in web.run():
        print(line)
    for line in poll.run():
        print(line)


if __name__ == "__main__":
    main()
