"""Concurrency limits of the fetcher: a global cap and a cap per origin.

`Slots.hold(origin, deadline)` waits for a slot of the origin, then a global slot, and pauses the
fetch's deadline while it waits: a backlog of queued fetches must not turn into timeouts, the
deadline bounds what a *remote server* can make us spend. No I/O; it must not hold a slot across
two requests (a redirect to another origin takes new slots, so there is no lock-order deadlock).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

Origin = tuple[str, str, int]


class _OriginSlot:
    __slots__ = ("semaphore", "users")

    def __init__(self, size: int) -> None:
        self.semaphore = asyncio.Semaphore(size)
        self.users = 0


class Slots:
    """At most `total` requests in flight, and at most `per_origin` to one (scheme, host, port)."""

    def __init__(self, *, total: int, per_origin: int) -> None:
        self._total = asyncio.Semaphore(total)
        self._per_origin = per_origin
        self._origins: dict[Origin, _OriginSlot] = {}

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
            async with slot.semaphore, self._total:
                deadline.reschedule(None if remaining is None else loop.time() + remaining)
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:  # forget idle origins so the table stays small
                del self._origins[origin]
