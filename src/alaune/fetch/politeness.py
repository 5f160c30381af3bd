"""Politeness: a minimum gap between the starts of two requests to one origin.

`OriginGaps` remembers, per origin (scheme, host, port), when the last request started and how
long the origin asks us to wait between two (the `origin_gap` setting, a lower one for the
operator's own `fetch_allow` servers, raised by a robots.txt Crawl-delay). `ready(origin)` sleeps
until the gap has passed; `claim(origin)` marks a request as started if it may start now. Time and
sleeping come in as functions, so tests drive a virtual clock and assert on the waits, never on
wall-clock time. It must not open sockets or know about HTTP; `limits.Slots` calls it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Origin = tuple[str, str, int]
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

#: Longest Crawl-delay honoured, in seconds. The field is not in RFC 9309; some sites ask for
#: hours, which would stop a news outlet's polling altogether.
MAX_CRAWL_DELAY = 60.0
_FORGET_EVERY = 1024  # claims between two sweeps of origins whose gap has long passed


class OriginGaps:
    """The minimum gap per origin, and when each origin may next be asked."""

    def __init__(
        self,
        *,
        default: float,
        local: float | None = None,
        is_local: Callable[[Origin], bool] = lambda origin: False,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if default < 0 or (local is not None and local < 0):
            raise ValueError("origin gaps must be ≥ 0")
        self._default = default
        self._local = default if local is None else local
        self._is_local = is_local
        self._clock = clock
        self._sleep = sleep
        self._free_at: dict[Origin, float] = {}  # when the origin may next be asked
        self._raised: dict[Origin, float] = {}  # Crawl-delay per origin
        self._claims = 0
        self.waits = 0  # how many times a request had to wait for its origin's gap (tests, bench)

    def gap(self, origin: Origin) -> float:
        """Seconds that must separate two request starts to `origin`."""
        base = self._local if self._is_local(origin) else self._default
        return max(base, self._raised.get(origin, 0.0))

    def raise_gap(self, origin: Origin, seconds: float) -> None:
        """Honour a robots.txt Crawl-delay (capped at `MAX_CRAWL_DELAY`); never lowers the gap."""
        if seconds > 0:
            self._raised[origin] = min(seconds, MAX_CRAWL_DELAY)

    async def ready(self, origin: Origin) -> None:
        """Sleep until the gap since the last request to `origin` has passed."""
        while (wait := self._free_at.get(origin, 0.0) - self._clock()) > 0:
            self.waits += 1
            await self._sleep(wait)

    def claim(self, origin: Origin) -> bool:
        """Start a request to `origin` now if its gap has passed; False if another got there
        first (the caller waits again). No await between the check and the update, so two
        tasks of one event loop cannot both claim the same moment."""
        now = self._clock()
        if self._free_at.get(origin, 0.0) > now:
            return False
        self._free_at[origin] = now + self.gap(origin)
        self._claims += 1
        if self._claims % _FORGET_EVERY == 0:
            self._forget_passed(now)
        return True

    def _forget_passed(self, now: float) -> None:
        # An origin whose gap has passed constrains nothing: keep the table as small as the
        # set of origins asked within the last gap.
        for origin in [o for o, free_at in self._free_at.items() if free_at <= now]:
            del self._free_at[origin]
