"""SECURITY B1–B4 through the real fetcher: caps on decoded bytes, body size, time and redirects.

Assertions are on counters (bytes decoded, requests served), never on how fast something ran;
time bounds are generous and only say "it did not hang".
"""

from __future__ import annotations

import time
from typing import ClassVar

import pytest

from alaune.errors import FetchError
from alaune.fetch import Fetcher, client
from alaune.fetch.decode import CHUNK, BodyDecoder

from .conftest import HttpServer, MiB, fetcher_for, redirect_to


async def failure(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.get(url)
    return caught.value


class SpyDecoder(BodyDecoder):
    """The fetcher's decoder, remembered so a test can read how many bytes it produced."""

    made: ClassVar[list[SpyDecoder]] = []

    def __init__(self, content_encoding: str, *, max_bytes: int) -> None:
        super().__init__(content_encoding, max_bytes=max_bytes)
        SpyDecoder.made.append(self)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[SpyDecoder]:
    SpyDecoder.made = []
    monkeypatch.setattr(client, "BodyDecoder", SpyDecoder)
    return SpyDecoder.made


# --- B1: compression bombs ------------------------------------------------------------------

B1_BOMBS = {"gzip": "/bomb", "deflate": "/deflate-bomb", "double_gzip": "/double-bomb"}


@pytest.mark.parametrize("path", B1_BOMBS.values(), ids=B1_BOMBS.keys())
async def test_b1_compression_bomb_aborts_at_the_decoded_cap(
    server: HttpServer, spy: list[SpyDecoder], path: str
) -> None:
    cap = 10 * MiB
    async with fetcher_for(server.addr, max_bytes=cap) as fetcher:
        error = await failure(fetcher, server.url(path))
        # The worker goes on: the same fetcher still serves the next source.
        assert (await fetcher.get(server.url("/ok"))).status == 200
    assert error.kind == "too_large"
    assert str(error) == f"response too large (over {cap} bytes)"
    assert spy[0].decoded <= cap + CHUNK  # 100 MiB were on offer


# --- B2: oversized and lying bodies ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/huge", "/huge-chunked"])
async def test_b2_endless_body_aborts_at_the_cap(
    server: HttpServer, fetcher: Fetcher, spy: list[SpyDecoder], path: str
) -> None:
    error = await failure(fetcher, server.url(path))
    assert error.kind == "too_large"
    assert str(error) == f"response too large (over {MiB} bytes)"
    assert spy[0].decoded <= MiB + CHUNK
    assert await server.closed_all()  # we hung up rather than drain 200 MB
    assert server.bytes_sent < 100 * MiB


async def test_b2_declared_length_over_the_cap_is_refused_up_front(
    server: HttpServer, fetcher: Fetcher, spy: list[SpyDecoder]
) -> None:
    error = await failure(fetcher, server.url("/declared-huge"))
    assert error.kind == "too_large"
    assert "Content-Length 200000000" in str(error)
    assert spy == []  # not one body byte decoded


async def test_b2_body_longer_than_its_content_length_is_cut_at_the_length(
    server: HttpServer, fetcher: Fetcher
) -> None:
    response = await fetcher.get(server.url("/short-length"))
    assert response.body == b"hello"
    assert (await fetcher.get(server.url("/ok"))).status == 200  # the tail poisons nothing


B2_PROTOCOL = {
    "shorter_than_declared": "/long-length",
    "negative_length": "/negative-length",
    "garbage_length": "/garbage-length",
}


@pytest.mark.parametrize("path", B2_PROTOCOL.values(), ids=B2_PROTOCOL.keys())
async def test_b2_lying_content_length_is_a_protocol_error(
    server: HttpServer, fetcher: Fetcher, path: str
) -> None:
    error = await failure(fetcher, server.url(path))
    assert error.kind == "protocol"
    assert f"127.0.0.1:{server.port}" in str(error)


# --- B3: slow servers -----------------------------------------------------------------------

B3_SLOW = {
    "slow_drip": "/drip",
    "never_answers": "/hang",
    "dribbled_headers": "/dribble-headers",
}


@pytest.mark.parametrize("path", B3_SLOW.values(), ids=B3_SLOW.keys())
async def test_b3_overall_deadline_fires_and_closes_the_connection(
    server: HttpServer, path: str
) -> None:
    started = time.monotonic()
    async with fetcher_for(server.addr, timeout=1.0) as fetcher:
        error = await failure(fetcher, server.url(path))
    assert error.kind == "timeout"
    assert str(error) == "no complete response within 1 s"
    assert time.monotonic() - started < 10  # generous: only "it did not hang"
    assert await server.closed_all()


async def test_b3_deadline_covers_the_whole_redirect_chain(server: HttpServer) -> None:
    server.routes["/to-drip"] = redirect_to("/drip")
    async with fetcher_for(server.addr, timeout=1.0) as fetcher:
        error = await failure(fetcher, server.url("/to-drip"))
    assert error.kind == "timeout"
    assert error.url == server.url("/drip")


# --- B4: redirect loops and chains ----------------------------------------------------------


async def test_b4_redirect_loop_stops(server: HttpServer, fetcher: Fetcher) -> None:
    error = await failure(fetcher, server.url("/loop-a"))
    assert error.kind == "too_many_redirects"
    assert str(error) == f"redirect loop: redirect 2 goes back to {server.url('/loop-a')}"
    assert server.hits == {"/loop-a": 1, "/loop-b": 1}


async def test_b4_long_chain_stops_at_max_redirects(server: HttpServer, fetcher: Fetcher) -> None:
    error = await failure(fetcher, server.url("/chain/0"))
    assert error.kind == "too_many_redirects"
    assert str(error) == "too many redirects (more than 5)"
    assert sum(server.hits.values()) == 6  # the first request and the 5 redirects followed


async def test_b4_chain_of_exactly_max_redirects_is_followed(
    server: HttpServer, fetcher: Fetcher
) -> None:
    response = await fetcher.get(server.url("/chain/25"))
    assert response.body == b"end of chain"
    assert response.url == server.url("/chain/30")
    assert [hop.status for hop in response.redirects] == [302] * 5
    assert response.redirects[0].url == server.url("/chain/25")
    assert response.redirects[-1].location == server.url("/chain/30")
