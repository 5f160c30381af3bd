"""robots.txt through the safe fetcher: cached per origin, honoured, and RFC 9309's answers for
a file that is missing (4xx: allow all) or unreachable (5xx, 429, network: disallow all for now).

Loopback servers from conftest; time is a fake clock, so the TTL is tested without waiting.
"""

from __future__ import annotations

import asyncio

import pytest

from alaune.errors import FetchError
from alaune.fetch import Fetcher, RobotsCache
from alaune.fetch.robots_cache import UNREACHABLE_TTL

from .conftest import Handler, HttpServer, Request, fetcher_for, redirect_to, send, status


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def robots(text: str, code: int = 200) -> Handler:
    async def handler(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
        return await send(w, code, {"Content-Type": "text/plain"}, text.encode())

    return handler


async def refusal(cache: RobotsCache, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await cache.check(url)
    return caught.value


async def test_disallowed_url_is_error_kind_robots(server: HttpServer, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /private\n")
    cache = RobotsCache(fetcher)
    await cache.check(server.url("/ok"))
    error = await refusal(cache, server.url("/private/feed.xml"))
    assert error.kind == "robots"
    assert str(error) == "robots.txt disallows /private/feed.xml"
    assert server.hits["/private/feed.xml"] == 0


async def test_cached_per_origin_until_the_ttl(server: HttpServer) -> None:
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /x\n")
    clock = Clock()
    async with fetcher_for(server.addr, robots_ttl=3600) as fetcher:
        cache = RobotsCache(fetcher, clock=clock)
        await asyncio.gather(*(cache.check(server.url(f"/ok?{i}")) for i in range(10)))
        assert server.hits["/robots.txt"] == 1  # ten concurrent checks, one fetch
        clock.now += 3599
        await cache.check(server.url("/ok"))
        assert server.hits["/robots.txt"] == 1
        clock.now += 2
        await cache.check(server.url("/ok"))
        assert server.hits["/robots.txt"] == 2
    assert cache.fetches == 2


async def test_origins_are_separate(server: HttpServer, blocked: HttpServer) -> None:
    """Another port is another origin (RFC 9309 §2.3): its own file, its own answer."""
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /\n")
    async with fetcher_for(server.addr, blocked.addr) as fetcher:
        cache = RobotsCache(fetcher)
        await cache.check(blocked.url("/ok"))  # its robots.txt is a 404: allow all
        assert (await refusal(cache, server.url("/ok"))).kind == "robots"
    assert server.hits["/robots.txt"] == blocked.hits["/robots.txt"] == 1


#: name → how the server answers /robots.txt; each time /ok may then be fetched
UNAVAILABLE = {
    "404": robots("gone", 404),
    "401": robots("who", 401),
    "410": robots("gone", 410),
    "redirect_loop": redirect_to("/robots.txt"),  # §2.3.1.2: may be read as unavailable
    "html_soft_404": robots("<html><body>Page introuvable</body></html>"),
}


@pytest.mark.parametrize("handler", UNAVAILABLE.values(), ids=UNAVAILABLE.keys())
async def test_unavailable_file_allows_everything(
    server: HttpServer, fetcher: Fetcher, handler: Handler
) -> None:
    server.routes["/robots.txt"] = handler
    await RobotsCache(fetcher).check(server.url("/ok"))


#: name → (status, Retry-After): RFC 9309 §2.3.1.4, and 429 read as Google does
UNREACHABLE = {
    "500": ("500", None),
    "503_with_retry_after": ("503", 120.0),
    "429": ("429", 60.0),
}


@pytest.mark.parametrize(("code", "retry_after"), UNREACHABLE.values(), ids=UNREACHABLE.keys())
async def test_unreachable_file_disallows_everything_with_its_own_error(
    server: HttpServer, fetcher: Fetcher, code: str, retry_after: float | None
) -> None:
    async def handler(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
        r.target = f"/status?code={code}" + (f"&retry-after={retry_after:g}" if retry_after else "")
        return await status(s, r, w)

    server.routes["/robots.txt"] = handler
    error = await refusal(RobotsCache(fetcher), server.url("/ok"))
    assert error.kind == "http_status"
    assert error.status == int(code)
    assert error.retry_after == retry_after
    assert str(error).startswith("robots.txt unreachable, so everything is disallowed for now")
    assert server.hits["/ok"] == 0


async def test_unreachable_answer_is_kept_only_briefly(server: HttpServer) -> None:
    server.routes["/robots.txt"] = robots("down", 503)
    clock = Clock()
    async with fetcher_for(server.addr) as fetcher:
        cache = RobotsCache(fetcher, clock=clock)
        await refusal(cache, server.url("/ok"))
        await refusal(cache, server.url("/ok"))
        assert server.hits["/robots.txt"] == 1
        server.routes["/robots.txt"] = robots("User-agent: *\nAllow: /\n")
        clock.now += UNREACHABLE_TTL + 1
        await cache.check(server.url("/ok"))  # recovered without waiting for the day's TTL
    assert server.hits["/robots.txt"] == 2


async def test_network_failure_keeps_its_kind(server: HttpServer, blocked: HttpServer) -> None:
    """A robots.txt we may not even connect to: the refusal is the fetcher's, kind and all."""
    async with fetcher_for(server.addr) as fetcher:
        error = await refusal(RobotsCache(fetcher), blocked.url("/feed.xml"))
    assert error.kind == "refused_address"
    assert blocked.connections == 0


async def test_crawl_delay_raises_the_origin_gap(server: HttpServer, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = robots("User-agent: alaune\nCrawl-delay: 4\n")
    await RobotsCache(fetcher).check(server.url("/ok"))
    origin = ("http", "127.0.0.1", server.port)
    assert fetcher.gaps.gap(origin) == 4.0


async def test_crawl_delay_is_capped(server: HttpServer, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = robots("User-agent: *\nCrawl-delay: 86400\n")
    await RobotsCache(fetcher).check(server.url("/ok"))
    assert fetcher.gaps.gap(("http", "127.0.0.1", server.port)) == 60.0
