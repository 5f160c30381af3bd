"""robots.txt on every redirect hop: a fetch through a fetcher that has a `RobotsCache` asks the
robots.txt of each hop's origin before sending it a byte (issue 3, politeness).

Two loopback servers are two origins (RFC 9309 §2.3: scheme, host and port). Each test asserts
what the target server saw, so "not fetched" means no request reached it.
"""

from __future__ import annotations

import asyncio

import pytest

from alaune.errors import FetchError
from alaune.fetch import Fetcher, RobotsCache

from .conftest import Handler, HttpServer, Request, fetcher_for, ok, redirect_to, send, status


def robots(text: str) -> Handler:
    async def handler(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
        return await send(w, 200, {"Content-Type": "text/plain"}, text.encode())

    return handler


def delayed(seconds: float, handler: Handler) -> Handler:
    async def slow(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(seconds)
        return await handler(s, r, w)

    return slow


async def refusal(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.get(url)
    return caught.value


async def test_hop_to_an_origin_whose_robots_disallows_it_is_not_fetched(
    server: HttpServer, blocked: HttpServer
) -> None:
    """Origin A's page redirects to origin B, whose robots.txt disallows the path."""
    other = blocked  # allowed here: a second origin, not a refused address
    other.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /private/\n")
    other.routes["/private/"] = ok
    target = other.url("/private/article.html")
    server.routes["/moved"] = redirect_to(target, 301)
    async with fetcher_for(server.addr, other.addr) as fetcher:
        cache = RobotsCache(fetcher)
        await cache.check(server.url("/moved"))  # what a caller does before fetching
        error = await refusal(fetcher, server.url("/moved"))
    assert error.kind == "robots"
    assert str(error) == f"redirect 1 to {target}: robots.txt disallows /private/article.html"
    assert error.url == target
    assert dict(other.hits) == {"/robots.txt": 1}  # B saw its robots.txt and nothing else
    assert server.hits["/moved"] == 1


async def test_hop_to_an_allowed_path_of_another_origin_goes_on(
    server: HttpServer, blocked: HttpServer
) -> None:
    other = blocked
    other.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /private/\n")
    server.routes["/moved"] = redirect_to(other.url("/ok"))
    async with fetcher_for(server.addr, other.addr) as fetcher:
        cache = RobotsCache(fetcher)
        first = await fetcher.get(server.url("/moved"))
        again = await fetcher.get(server.url("/moved"))
    assert first.url == again.url == other.url("/ok")
    assert [hop.location for hop in first.redirects] == [other.url("/ok")]
    assert other.hits == {"/robots.txt": 1, "/ok": 2}  # the file is read once, then cached
    assert cache.fetches == 1


async def test_each_hop_of_a_chain_is_checked_also_on_the_same_origin(
    server: HttpServer,
) -> None:
    server.routes["/robots.txt"] = robots("User-agent: alaune\nDisallow: /chain/3\n")
    async with fetcher_for(server.addr) as fetcher:
        RobotsCache(fetcher)
        error = await refusal(fetcher, server.url("/chain/1"))
    assert error.kind == "robots"
    assert str(error).startswith(f"redirect 2 to {server.url('/chain/3')}: robots.txt disallows")
    assert server.hits["/chain/2"] == 1
    assert server.hits["/chain/3"] == 0


async def test_unreachable_robots_of_the_new_origin_keeps_its_own_kind(
    server: HttpServer, blocked: HttpServer
) -> None:
    """RFC 9309 §2.3.1.4: a robots.txt answering 503 disallows everything for now; the refusal
    keeps the 503 and its Retry-After, so the scheduler defers instead of counting a failure."""
    other = blocked

    async def unavailable(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
        r.target = "/status?code=503&retry-after=120"
        return await status(s, r, w)

    other.routes["/robots.txt"] = unavailable
    server.routes["/moved"] = redirect_to(other.url("/ok"))
    async with fetcher_for(server.addr, other.addr) as fetcher:
        RobotsCache(fetcher)
        error = await refusal(fetcher, server.url("/moved"))
    assert (error.kind, error.status, error.retry_after) == ("http_status", 503, 120.0)
    assert "robots.txt unreachable" in str(error)
    assert str(error).startswith(f"redirect 1 to {other.url('/ok')}:")
    assert other.hits["/ok"] == 0


async def test_a_hop_to_a_refused_address_sends_nothing_there(
    server: HttpServer, blocked: HttpServer
) -> None:
    """SECURITY A4 with a robots cache: the hop's robots.txt cannot be fetched either, so the
    fetch fails with the address refusal and the private server sees no connection at all."""
    server.routes["/moved"] = redirect_to(blocked.url("/ok"))
    async with fetcher_for(server.addr) as fetcher:
        RobotsCache(fetcher)
        error = await refusal(fetcher, server.url("/moved"))
    assert error.kind == "refused_address"
    assert str(error).startswith(f"redirect 1 to {blocked.url('/ok')}:")
    assert blocked.connections == 0


async def test_robots_txt_fetches_follow_their_own_redirects_unchecked(
    server: HttpServer, blocked: HttpServer
) -> None:
    """robots.txt is always allowed (§2.2.2): a robots.txt that redirects to another origin's is
    read from there once, without asking that origin for its robots.txt first."""
    other = blocked
    other.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /\n")
    server.routes["/robots.txt"] = redirect_to(other.url("/robots.txt"))
    async with fetcher_for(server.addr, other.addr) as fetcher:
        cache = RobotsCache(fetcher)
        with pytest.raises(FetchError) as caught:
            await cache.check(server.url("/ok"))
    assert caught.value.kind == "robots"  # the rules found at the end of the redirect apply
    assert other.hits["/robots.txt"] == 1
    assert cache.fetches == 1


async def test_without_a_robots_cache_redirects_are_followed_as_before(
    server: HttpServer, blocked: HttpServer
) -> None:
    other = blocked
    other.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /\n")
    server.routes["/moved"] = redirect_to(other.url("/ok"))
    async with fetcher_for(server.addr, other.addr) as fetcher:
        response = await fetcher.get(server.url("/moved"))
    assert response.url == other.url("/ok")
    assert other.hits["/robots.txt"] == 0


async def test_the_check_does_not_spend_the_fetch_deadline(
    server: HttpServer, blocked: HttpServer
) -> None:
    """A slow robots.txt on the new origin is waited for under its own deadline: the redirect
    (1.2 s) plus the robots.txt (1.2 s) exceed the 2 s deadline of the page's fetch, which
    still succeeds because only what the page's servers make it wait for is counted."""
    other = blocked
    other.routes["/robots.txt"] = delayed(1.2, robots("User-agent: *\nAllow: /\n"))
    server.routes["/moved"] = delayed(1.2, redirect_to(other.url("/ok")))
    async with fetcher_for(server.addr, other.addr, timeout=2.0) as fetcher:
        RobotsCache(fetcher)
        response = await fetcher.get(server.url("/moved"))
    assert response.url == other.url("/ok")
