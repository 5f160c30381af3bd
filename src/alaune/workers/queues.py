"""The queues and task names of the scale-out mode, and how a deployment names them.

Four queues, each named `<broker_prefix>.<name>`: `poll` (a feed's conditional GET and listing),
`pages` (the new pages of one listing: fetch, extract, store), `images` (lead images) and
`cluster` (placing stored articles in stories: one consumer, concurrency 1, see docs/scale.md).
Pure: names only, no broker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from alaune.config import Settings

POLL, PAGES, IMAGES, CLUSTER = "poll", "pages", "images", "cluster"
ALL = (POLL, PAGES, IMAGES, CLUSTER)
#: What `alaune worker` consumes when not told: everything but clustering, which runs alone.
DEFAULT = (POLL, PAGES, IMAGES)

#: Task names, one per queue.
TASKS = {
    POLL: "alaune.poll_feed",
    PAGES: "alaune.store_pages",
    IMAGES: "alaune.fetch_images",
    CLUSTER: "alaune.place_stories",
}


@dataclass(frozen=True, slots=True)
class Names:
    """The broker-side name of each queue, for one `broker_prefix`."""

    prefix: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Names:
        return cls(settings.broker_prefix)

    def queue(self, short: str) -> str:
        return f"{self.prefix}.{short}" if self.prefix else short

    def queues(self, shorts: Iterable[str]) -> list[str]:
        return [self.queue(short) for short in shorts]


def parse_queues(text: str) -> tuple[str, ...]:
    """`poll,pages` → ("poll", "pages"); ValueError naming the unknown ones."""
    shorts = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [short for short in shorts if short not in ALL]
    if unknown or not shorts:
        named = ", ".join(unknown) or "(none given)"
        raise ValueError(f"unknown queue(s) {named}: choose among {', '.join(ALL)}")
    return shorts
