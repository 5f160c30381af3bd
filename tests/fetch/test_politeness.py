"""Per-origin politeness: a minimum gap between the starts of two requests to one origin.

`OriginGaps` is driven by a virtual clock whose `sleep` only moves time forward, so the tests
assert on when requests *would* start, never on how long they took.
"""

from __future__ import annotations

import asyncio
import itertools

import pytest

from alaune.config import Settings
from alaune.fetch import Allowlist, Fetcher, FetchPolicy, OriginGaps
from alaune.fetch.politeness import MAX_CRAWL_DELAY, Origin

from .conftest import HttpServer, fetcher_for, make_policy
from .virtual_time import run_virtual

A: Origin = ("https", "a.example", 443)
B: Origin = ("https", "b.example", 443)
LOCAL: Origin = ("http", "127.0.0.1", 8101)


class VirtualTime:
    """A clock, and a sleep that advances it instead of waiting (one sleeper at a time)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class RecordingGaps(OriginGaps):
    """OriginGaps that remembers when each origin's requests started (virtual time)."""

    def __init__(self, time: VirtualTime, **kwargs: object) -> None:
        super().__init__(clock=time.clock, sleep=time.sleep, **kwargs)  # type: ignore[arg-type]
        self.starts: dict[Origin, list[float]] = {}
        self._time = time

    def claim(self, origin: Origin) -> bool:
        claimed = super().claim(origin)
        if claimed:
            self.starts.setdefault(origin, []).append(self._time.now)
        return claimed


def gaps_between(starts: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(starts)]


def test_requests_to_one_origin_are_spaced_by_the_gap() -> None:
    """Seven requests at once on virtual time: per origin one every 5 s, origins independent."""

    async def main() -> dict[Origin, list[float]]:
        loop = asyncio.get_running_loop()
        gaps = OriginGaps(default=5.0, clock=loop.time)
        starts: dict[Origin, list[float]] = {}

        async def request(origin: Origin) -> None:
            while True:
                await gaps.ready(origin)
                if gaps.claim(origin):
                    starts.setdefault(origin, []).append(loop.time())
                    return

        await asyncio.gather(*(request(A) for _ in range(4)), *(request(B) for _ in range(3)))
        return starts

    starts = run_virtual(main())
    assert gaps_between(starts[A]) == [5.0, 5.0, 5.0]
    assert gaps_between(starts[B]) == [5.0, 5.0]
    assert starts[A][0] == starts[B][0] == 0.0  # origins do not wait for each other


#: name → (default gap, local gap, crawl-delay raise, origin, expected gap)
GAP_CASES = {
    "default": (5.0, 0.0, None, A, 5.0),
    "local_origin_lower": (5.0, 0.0, None, LOCAL, 0.0),
    "crawl_delay_raises": (5.0, 0.0, 12.0, A, 12.0),
    "crawl_delay_never_lowers": (5.0, 0.0, 1.0, A, 5.0),
    "crawl_delay_capped": (5.0, 0.0, 3600.0, A, MAX_CRAWL_DELAY),
    "crawl_delay_raises_a_local_origin_too": (5.0, 0.0, 2.0, LOCAL, 2.0),
}


@pytest.mark.parametrize(
    ("default", "local", "delay", "origin", "expected"), GAP_CASES.values(), ids=GAP_CASES.keys()
)
def test_gap_of_an_origin(
    default: float, local: float, delay: float | None, origin: Origin, expected: float
) -> None:
    gaps = OriginGaps(default=default, local=local, is_local=lambda o: o == LOCAL)
    if delay is not None:
        gaps.raise_gap(origin, delay)
    assert gaps.gap(origin) == expected


def test_negative_gaps_are_refused() -> None:
    with pytest.raises(ValueError, match="≥ 0"):
        OriginGaps(default=-1.0)


def test_policy_from_settings_sets_the_gaps_and_local_means_fetch_allow() -> None:
    settings = Settings(fetch_allow=["127.0.0.1:8101"], origin_gap=5.0, origin_gap_local=0.5)
    policy = FetchPolicy.from_settings(settings)
    assert (policy.origin_gap, policy.origin_gap_local) == (5.0, 0.5)
    assert policy.is_local(LOCAL)
    assert not policy.is_local(("http", "127.0.0.1", 8102))
    assert not policy.is_local(("http", "localhost", 8101))  # by IP literal only
    gaps = Fetcher(policy).gaps
    assert (gaps.gap(LOCAL), gaps.gap(A)) == (0.5, 5.0)


async def test_the_fetcher_spaces_requests_and_redirect_hops(server: HttpServer) -> None:
    """Through the real fetcher: every request, redirect hops included, claims the gap."""
    time = VirtualTime()
    gaps = RecordingGaps(time, default=5.0)
    policy = make_policy(server.addr)
    async with Fetcher(policy, gaps=gaps) as fetcher:
        await asyncio.gather(*(fetcher.get(server.url("/ok")) for _ in range(3)))
        await fetcher.get(server.url("/redirect?to=/ok"))
    origin = ("http", "127.0.0.1", server.port)
    assert gaps_between(gaps.starts[origin]) == [5.0] * 4
    assert server.max_in_flight == 1
    assert gaps.waits >= 4


async def test_waiting_for_the_gap_does_not_eat_the_fetch_deadline(server: HttpServer) -> None:
    """The deadline bounds what a server makes us wait for: a 2 s gap with a 1 s deadline must
    still fetch (the request itself takes milliseconds on loopback)."""
    allow = Allowlist.parse([server.addr])
    policy = FetchPolicy(allow=allow, timeout=1.0, origin_gap_local=2.0, origin_gap=2.0)
    async with Fetcher(policy) as fetcher:
        first = await fetcher.get(server.url("/ok"))
        second = await fetcher.get(server.url("/ok"))
        assert fetcher.gaps.waits == 1
    assert (first.status, second.status) == (200, 200)


async def test_no_gap_by_default_for_the_fetcher_alone(server: HttpServer) -> None:
    async with fetcher_for(server.addr) as fetcher:
        await asyncio.gather(*(fetcher.get(server.url("/ok")) for _ in range(6)))
        assert fetcher.gaps.waits == 0
