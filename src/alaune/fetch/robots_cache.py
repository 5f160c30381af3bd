"""robots.txt fetched through the safe fetcher, cached per origin, and checked before each fetch.

`RobotsCache(fetcher).check(url)` returns when alaune may fetch `url`; otherwise it raises
`FetchError("robots")` when the file disallows it, or, when the file is unreachable, the error
that made it so (RFC 9309 §2.3.1.4: assume complete disallow meanwhile). Keeping that error's
own kind (timeout, http_status with its Retry-After, …) tells the operator the real cause and
lets the scheduler treat a 503 as the soft failure it is. A file's Crawl-delay raises the
origin's politeness gap in the fetcher. One fetch per origin at a time; results are kept for
`policy.robots_ttl` seconds, an unreachable answer for at most `UNREACHABLE_TTL`.

Callers check the URL they are about to fetch; redirects are the cache's own business: building
a `RobotsCache` makes it its fetcher's redirect check (`Fetcher.check_redirects_with`), so every
hop of every later fetch through that fetcher — feeds, pages, sitemaps, images, to the same
origin or another — is checked against the robots.txt of the hop's origin before a byte goes to
it, and a disallowed hop fails the fetch with the kind `robots`. The newest cache built on a
fetcher is the one that checks its redirects.

It must not fetch anything but `/robots.txt`, and decides nothing about feeds or articles.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from alaune.errors import FetchError
from alaune.fetch.client import Fetcher, origin_of
from alaune.fetch.politeness import Origin
from alaune.fetch.robots import ALLOW_ALL, RobotsRules

PRODUCT = "alaune"  # the product token of our User-Agent, which robots.txt groups name
#: An unreachable robots.txt is asked again after this many seconds: everything is disallowed
#: meanwhile, so a short outage must not block an outlet for a day.
UNREACHABLE_TTL = 60.0
_ACCEPT = "text/plain, */*;q=0.5"


@dataclass(frozen=True, slots=True)
class _Entry:
    rules: RobotsRules
    error: FetchError | None  # set when the file was unreachable
    expires: float


class RobotsCache:
    """The robots.txt rules of each origin a fetcher visits."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        product: str = PRODUCT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetcher = fetcher
        self._product = product
        self._clock = clock
        self._ttl = fetcher.policy.robots_ttl
        self._entries: dict[Origin, _Entry] = {}
        self._locks: dict[Origin, asyncio.Lock] = {}
        self.fetches = 0  # robots.txt requests made (tests and the bench count them)
        fetcher.check_redirects_with(self.check)

    async def check(self, url: str) -> None:
        """Return if `url` may be fetched; raise `FetchError` saying why not."""
        origin = origin_of(url)  # raises bad_url for a URL the fetcher would refuse anyway
        entry = await self._entry(origin)
        if entry.error is not None:
            raise FetchError(
                entry.error.kind,
                f"robots.txt unreachable, so everything is disallowed for now: {entry.error}",
                url=url,
                status=entry.error.status,
                retry_after=entry.error.retry_after,
            )
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if not entry.rules.allows(target):
            raise FetchError("robots", f"robots.txt disallows {target[:200]}", url=url)

    async def _entry(self, origin: Origin) -> _Entry:
        entry = self._entries.get(origin)
        if entry is not None and entry.expires > self._clock():
            return entry
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # concurrent polls of one origin share a single fetch
            entry = self._entries.get(origin)
            if entry is None or entry.expires <= self._clock():
                entry = self._entries[origin] = await self._load(origin)
        return entry

    async def _load(self, origin: Origin) -> _Entry:
        scheme, host, port = origin
        name = f"[{host}]" if ":" in host else host
        self.fetches += 1
        try:
            # Its own redirects are not vetted: robots.txt is always allowed (§2.2.2), and
            # vetting a hop would load the hop origin's robots.txt, the very file asked for
            # (or wait for this origin's lock, held here, when the hop comes back to it).
            response = await self._fetcher.get(
                f"{scheme}://{name}:{port}/robots.txt", accept=_ACCEPT, check_redirects=False
            )
        except FetchError as exc:
            return self._failed(exc)
        text = response.body.decode("utf-8", errors="replace")
        rules = RobotsRules.parse(text, self._product)
        if rules.crawl_delay is not None:
            self._fetcher.gaps.raise_gap(origin, rules.crawl_delay)
        return _Entry(rules, None, self._clock() + self._ttl)

    def _failed(self, exc: FetchError) -> _Entry:
        now = self._clock()
        if _unavailable(exc):  # §2.3.1.3: a 4xx means there are no rules: allow everything
            return _Entry(ALLOW_ALL, None, now + self._ttl)
        return _Entry(ALLOW_ALL, exc, now + min(self._ttl, UNREACHABLE_TTL))


def _unavailable(exc: FetchError) -> bool:
    """4xx other than 429, or more redirects than we follow (§2.3.1.2 lets us call that
    unavailable). 429 is read as "unreachable", as Google does: the server asks us to slow
    down, not to crawl everything."""
    if exc.kind == "too_many_redirects":
        return True
    status = exc.status or 0
    return exc.kind == "http_status" and 400 <= status < 500 and status != 429
