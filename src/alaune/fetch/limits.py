"""Concurrency limits of the fetcher: a global cap, a cap per origin and a gap per origin.

`Slots.hold(origin, deadline)` waits for a slot of the origin, then for the origin's politeness
gap (`politeness.OriginGaps`), then for a global slot, and pauses the fetch's deadline while it
waits: a backlog of queued fetches must not turn into timeouts, the deadline bounds what a
*remote server* can make us spend. No I/O; it must not hold a slot across two requests (a
redirect to another origin takes new slots, so there is no lock-order deadlock), and it never
sleeps while holding a global slot, so one slow origin cannot starve the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from alaune.fetch.politeness import Origin, OriginGaps


class _OriginSlot:
    __slots__ = ("semaphore", "users")

    def __init__(self, size: int) -> None:
        self.semaphore = asyncio.Semaphore(size)
        self.users = 0


class Slots:
    """At most `total` requests in flight, and at most `per_origin` to one (scheme, host, port)."""

    def __init__(self, *, total: int, per_origin: int, gaps: OriginGaps | None = None) -> None:
        self._total = asyncio.Semaphore(total)
        self._per_origin = per_origin
        self._origins: dict[Origin, _OriginSlot] = {}
        self.gaps = gaps or OriginGaps(default=0.0)

    @asynccontextmanager
    async def hold(self, origin: Origin, deadline: asyncio.Timeout) -> AsyncIterator[None]:
        """Hold a slot of `origin` and a global slot; the wait is not counted against `deadline`."""
        loop = asyncio.get_running_loop()
        when = deadline.when()
        remaining = None if when is None else when - loop.time()
        deadline.reschedule(None)
        slot = self._origins.setdefault(origin, _OriginSlot(self._per_origin))
        slot.users += 1
        try:
            # Origin first, then global: a fetch queued behind a busy origin holds no global slot.
            async with slot.semaphore:
                await self._start(origin)
                try:
                    deadline.reschedule(None if remaining is None else loop.time() + remaining)
                    yield
                finally:
                    self._total.release()
        finally:
            slot.users -= 1
            if slot.users == 0:  # forget idle origins so the table stays small
                del self._origins[origin]

    async def _start(self, origin: Origin) -> None:
        """Wait for the origin's gap, then take a global slot; the gap is claimed only once the
        global slot is held, so the gap separates the moments requests really start."""
        while True:
            await self.gaps.ready(origin)
            await self._total.acquire()
            if self.gaps.claim(origin):
                return
            self._total.release()  # the other connection of this origin claimed it first
