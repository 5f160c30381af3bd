"""The fetcher's ordinary behaviour: responses, request fields, conditional GET, status errors,
error kinds, concurrency limits, connection reuse, TLS, and the policy from the settings table."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import socket
import ssl

import h2.config
import h2.connection
import h2.events
import pytest

from alaune.config import Settings
from alaune.errors import ConfigError, FetchError
from alaune.fetch import Allowlist, Fetcher, FetchPolicy, user_agent

from .conftest import (
    Certificate,
    FakeResolver,
    HttpServer,
    Request,
    fetcher_for,
    ok,
    running,
    send,
)

# --- happy path -----------------------------------------------------------------------------


async def test_get_returns_a_complete_response(server: HttpServer, fetcher: Fetcher) -> None:
    response = await fetcher.get(server.url("/ok"))
    assert response.status == 200
    assert response.url == server.url("/ok")
    assert response.body.decode("utf-8") == "<p>Bonjour, مرحبا</p>"
    assert response.content_type == "text/html"
    assert response.charset == "utf-8"
    assert response.etag == '"v1"'
    assert response.last_modified == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert response.headers["content-length"] == str(len(response.body))
    assert response.redirects == ()
    assert not response.not_modified


async def test_request_fields(server: HttpServer, fetcher: Fetcher) -> None:
    response = await fetcher.get(server.url("/echo"), accept="application/rss+xml")
    sent = json.loads(response.body)
    assert sent["host"] == server.addr
    assert sent["user-agent"] == "alaune/0.1.0 (+https://github.com/alaune/alaune)"
    assert sent["accept"] == "application/rss+xml"
    assert sent["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in sent


async def test_default_accept_and_unsendable_validator(
    server: HttpServer, fetcher: Fetcher
) -> None:
    response = await fetcher.get(server.url("/echo"), etag='"a"\r\nX-Evil: 1')
    sent = json.loads(response.body)
    assert sent["accept"] == "*/*"
    assert "if-none-match" not in sent
    assert "x-evil" not in sent


ENCODED = ["/gzip", "/x-gzip", "/deflate", "/raw-deflate", "/stacked"]


@pytest.mark.parametrize("path", ENCODED)
async def test_bodies_are_decoded(server: HttpServer, fetcher: Fetcher, path: str) -> None:
    response = await fetcher.get(server.url(path))
    assert response.body == b"Bonjour " * 100


async def test_unknown_encoding_is_a_protocol_error(server: HttpServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="unsupported content encoding 'br'") as caught:
        await fetcher.get(server.url("/brotli"))
    assert caught.value.kind == "protocol"
    assert caught.value.url == server.url("/brotli")


async def test_relative_redirect_is_followed(server: HttpServer, fetcher: Fetcher) -> None:
    response = await fetcher.get(server.url("/redirect?to=/ok&status=301"))
    assert response.status == 200
    assert response.url == server.url("/ok")
    (hop,) = response.redirects
    assert (hop.status, hop.location) == (301, server.url("/ok"))


async def test_raw_utf8_location_is_read_as_utf8(server: HttpServer, fetcher: Fetcher) -> None:
    async def arabic_redirect(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
        w.write(b"HTTP/1.1 301 X\r\nContent-Length: 0\r\nLocation: " + "/مقال".encode())
        w.write(b"\r\n\r\n")
        return True

    server.routes["/old"] = arabic_redirect
    server.routes["/%D9%85%D9%82%D8%A7%D9%84"] = ok
    response = await fetcher.get(server.url("/old"))
    assert response.status == 200
    assert response.url == server.url("/%D9%85%D9%82%D8%A7%D9%84")


# --- conditional GET (RFC 9110 §13.1) -------------------------------------------------------


async def test_304_on_matching_etag(server: HttpServer, fetcher: Fetcher) -> None:
    fresh = await fetcher.get(server.url("/etag"))
    again = await fetcher.get(server.url("/etag"), etag=fresh.etag)
    assert (fresh.status, fresh.body) == (200, b"fresh")
    assert again.status == 304
    assert again.not_modified
    assert again.body == b""
    assert server.requests[1].headers["if-none-match"] == '"v1"'


async def test_304_content_length_is_not_a_body(server: HttpServer, fetcher: Fetcher) -> None:
    # RFC 9110 §8.6: a 304 may carry the Content-Length of the stored copy, here over the cap.
    async def not_modified(s: HttpServer, r: Request, w: asyncio.StreamWriter) -> bool:
        return await send(w, 304, {"Content-Length": "200000000", "ETag": '"v1"'}, length=False)

    server.routes["/big-304"] = not_modified
    response = await fetcher.get(server.url("/big-304"), etag='"v1"')
    assert (response.status, response.body) == (304, b"")


async def test_last_modified_is_sent(server: HttpServer, fetcher: Fetcher) -> None:
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    response = await fetcher.get(server.url("/echo"), last_modified=stamp, etag='W/"x"')
    sent = json.loads(response.body)
    assert sent["if-modified-since"] == stamp
    assert sent["if-none-match"] == 'W/"x"'


# --- status errors and Retry-After (B5) -----------------------------------------------------

STATUS_CASES = {
    "429_seconds": (429, "120", 120.0),
    "503_a_day": (503, "86400", 86400.0),
    "429_date_1990": (429, "Mon, 01 Jan 1990 00:00:00 GMT", 0.0),
    "429_negative": (429, "-5", None),
    "503_garbage": (503, "tomorrow", None),
    "404_none": (404, None, None),
    "500_none": (500, None, None),
    "300_is_not_followed": (300, None, None),
}


@pytest.mark.parametrize(("code", "header", "expected"), STATUS_CASES.values(), ids=STATUS_CASES)
async def test_non_2xx_is_an_http_status_error(
    server: HttpServer, fetcher: Fetcher, code: int, header: str | None, expected: float | None
) -> None:
    query = f"code={code}" + (f"&retry-after={header}" if header else "")
    with pytest.raises(FetchError) as caught:
        await fetcher.get(server.url(f"/status?{query}"))
    error = caught.value
    assert (error.kind, error.status, error.retry_after) == ("http_status", code, expected)
    assert str(error).startswith(f"HTTP {code} ")  # with the reason phrase


async def test_redirect_without_location_is_a_protocol_error(
    server: HttpServer, fetcher: Fetcher
) -> None:
    with pytest.raises(FetchError, match="302 redirect without a Location") as caught:
        await fetcher.get(server.url("/status?code=302"))
    assert caught.value.kind == "protocol"


# --- transport error kinds ------------------------------------------------------------------


async def test_nothing_listening_is_a_connect_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with fetcher_for(f"127.0.0.1:{port}") as fetcher:
        with pytest.raises(FetchError, match=f"127.0.0.1:{port}") as caught:
            await fetcher.get(f"http://127.0.0.1:{port}/")
    assert caught.value.kind == "connect"


async def test_unknown_name_is_a_dns_error(resolver: FakeResolver) -> None:
    resolver.add("nowhere.test", [])
    async with fetcher_for() as fetcher:
        with pytest.raises(FetchError, match=r"cannot resolve nowhere\.test") as caught:
            await fetcher.get("https://nowhere.test/feed")
    assert caught.value.kind == "dns"
    assert caught.value.url == "https://nowhere.test/feed"


# --- concurrency and connection reuse -------------------------------------------------------


async def test_one_pool_is_reused(server: HttpServer, fetcher: Fetcher) -> None:
    for _ in range(3):
        await fetcher.get(server.url("/ok"))
    assert server.connections == 1


async def test_per_origin_and_global_limits() -> None:
    async with (
        running() as one,
        running() as two,
        fetcher_for(one.addr, two.addr, max_connections=3, per_origin=2) as fetcher,
    ):
        urls = [one.url("/slow"), two.url("/slow")] * 6
        responses = await asyncio.gather(*(fetcher.get(u) for u in urls))
    assert all(r.status == 200 for r in responses)
    assert one.max_in_flight <= 2
    assert two.max_in_flight <= 2
    assert one.max_in_flight + two.max_in_flight >= 3  # both origins were served at once


async def test_waiting_for_a_slot_does_not_count_against_the_deadline(server: HttpServer) -> None:
    # Four 0.4 s requests through one slot take 1.6 s in all; each is within its 1 s deadline.
    async with fetcher_for(server.addr, per_origin=1, timeout=1.0) as fetcher:
        url = server.url("/slow?delay=0.4")
        responses = await asyncio.gather(*(fetcher.get(url) for _ in range(4)))
    assert [r.status for r in responses] == [200] * 4
    assert server.max_in_flight == 1


# --- TLS: SNI and verification use the host name, the socket uses the checked address ---------


async def test_tls_verifies_the_host_name_not_the_address(
    certificate: Certificate, resolver: FakeResolver
) -> None:
    names: list[str] = []
    resolver.add("alaune.test", "127.0.0.1")
    resolver.add("other.test", "127.0.0.1")
    async with running(tls=certificate.server_context(names)) as server:
        context = certificate.client_context()
        async with fetcher_for(server.addr, ssl_context=context) as fetcher:
            response = await fetcher.get(f"https://alaune.test:{server.port}/ok")
            assert response.status == 200
            assert names == ["alaune.test"]

            for url in (server.url("/ok"), f"https://other.test:{server.port}/ok"):
                with pytest.raises(FetchError, match="certificate verify failed") as caught:
                    await fetcher.get(url)
                assert caught.value.kind == "tls"
    assert server.hits["/ok"] == 1


async def test_tls_refuses_an_unknown_authority(
    certificate: Certificate, resolver: FakeResolver
) -> None:
    resolver.add("alaune.test", "127.0.0.1")
    async with (
        running(tls=certificate.server_context([])) as server,
        fetcher_for(server.addr) as fetcher,  # default roots: a self-signed cert is unknown
    ):
        with pytest.raises(FetchError) as caught:
            await fetcher.get(f"https://alaune.test:{server.port}/ok")
    assert caught.value.kind == "tls"
    assert server.requests == []


# --- the policy -----------------------------------------------------------------------------


def test_policy_from_settings() -> None:
    settings = Settings(
        fetch_allow=["127.0.0.1:8081"],
        fetch_timeout=12.0,
        fetch_max_bytes=1000,
        crawl_concurrency=4,
        origin_connections=1,
        contact_url="https://news.example/contact",
    )
    policy = FetchPolicy.from_settings(settings)
    assert policy.allow == Allowlist.parse(["127.0.0.1:8081"])
    assert (policy.timeout, policy.connect_timeout) == (12.0, 10.0)
    assert (policy.max_bytes, policy.max_redirects) == (1000, 5)
    assert (policy.max_connections, policy.per_origin) == (4, 1)
    assert policy.user_agent == "alaune/0.1.0 (+https://news.example/contact)"
    assert user_agent("x") == "alaune/0.1.0 (+x)"


@pytest.mark.parametrize(
    "bad",
    [{"timeout": 0}, {"max_bytes": -1}, {"per_origin": 0}, {"max_redirects": -1}],
)
def test_policy_refuses_nonsense(bad: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        FetchPolicy(**bad)  # type: ignore[arg-type]


def test_policy_refuses_a_bad_allow_entry() -> None:
    with pytest.raises(ConfigError, match="fetch_allow entry 'localhost:80'"):
        FetchPolicy.from_settings(Settings(fetch_allow=["localhost:80"]))


# --- HTTP/2 (offered over TLS through ALPN) -------------------------------------------------


async def test_http2_response_is_read_and_decoded(
    certificate: Certificate, resolver: FakeResolver
) -> None:
    seen: list[dict[str, str]] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        )
        conn.initiate_connection()
        writer.write(conn.data_to_send())
        with contextlib.suppress(ConnectionError, asyncio.CancelledError, ssl.SSLError):
            while data := await reader.read(65536):
                for event in conn.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        seen.append({str(k): str(v) for k, v in event.headers or []})
                        body = gzip.compress(b"hello over h2")
                        fields = [(":status", "200"), ("content-encoding", "gzip")]
                        conn.send_headers(event.stream_id, fields)
                        conn.send_data(event.stream_id, body, end_stream=True)
                writer.write(conn.data_to_send())
                await writer.drain()
        writer.close()

    context = certificate.server_context([])
    context.set_alpn_protocols(["h2"])
    resolver.add("alaune.test", "127.0.0.1")
    listener = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    port = listener.sockets[0].getsockname()[1]
    try:
        ssl_context = certificate.client_context()
        async with fetcher_for(f"127.0.0.1:{port}", ssl_context=ssl_context) as fetcher:
            response = await fetcher.get(f"https://alaune.test:{port}/h2")
    finally:
        listener.close()
        await listener.wait_closed()
    assert response.body == b"hello over h2"
    assert seen[0][":authority"] == f"alaune.test:{port}"
    assert seen[0]["accept-encoding"] == "gzip, deflate"
