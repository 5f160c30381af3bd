"""SECURITY A1–A7 through the real fetcher, against loopback servers that count what they see.

`server` is allowlisted (the test declares its loopback port "public"); `blocked` is another
loopback server that is not, and must never receive a connection.
"""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any

import httpcore
import pytest

from alaune.errors import FetchError
from alaune.fetch import Allowlist, Fetcher
from alaune.fetch.backend import GuardedBackend

from .conftest import FakeResolver, HttpServer, fetcher_for, redirect_to


async def refused(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.get(url)
    return caught.value


# --- A1: loopback and "any" addresses -------------------------------------------------------


async def test_a1_loopback_is_refused_before_any_byte(blocked: HttpServer) -> None:
    async with fetcher_for() as fetcher:
        error = await refused(fetcher, blocked.url("/feed"))
    assert error.kind == "refused_address"
    assert str(error) == "blocked: non-public address 127.0.0.1"
    assert error.url == blocked.url("/feed")
    assert blocked.connections == 0
    assert blocked.requests == []


A1_URLS = {
    "localhost": ("http://localhost:{port}/", "127.0.0.1"),
    "ipv6_loopback": ("http://[::1]:{port}/", "::1"),
    "any_address": ("http://0.0.0.0:{port}/", "0.0.0.0"),
}


@pytest.mark.parametrize(("template", "address"), A1_URLS.values(), ids=A1_URLS.keys())
async def test_a1_local_names_are_refused(
    blocked: HttpServer, resolver: FakeResolver, template: str, address: str
) -> None:
    resolver.add("localhost", "127.0.0.1")  # as /etc/hosts says, whatever this machine says
    async with fetcher_for() as fetcher:
        error = await refused(fetcher, template.format(port=blocked.port))
    assert error.kind == "refused_address"
    assert str(error) == f"blocked: non-public address {address}"
    assert blocked.connections == 0


async def test_a1_allowlisting_one_port_does_not_open_loopback(
    server: HttpServer, blocked: HttpServer, fetcher: Fetcher
) -> None:
    response = await fetcher.get(server.url("/ok"))
    assert response.status == 200
    assert server.hits["/ok"] == 1

    error = await refused(fetcher, blocked.url("/ok"))
    assert str(error) == "blocked: non-public address 127.0.0.1"
    assert blocked.connections == 0


# --- A2: obfuscated spellings of 127.0.0.1 --------------------------------------------------

A2_HOSTS = {
    "octal": "0177.0.0.1",
    "hex_short": "0x7f.1",
    "decimal": "2130706433",
    "short": "127.1",
    "ideographic_dots": "127。0。0。1",
    "trailing_dot": "localhost.",
}


@pytest.mark.parametrize("host", A2_HOSTS.values(), ids=A2_HOSTS.keys())
async def test_a2_obfuscated_loopback_is_refused(
    blocked: HttpServer, resolver: FakeResolver, host: str
) -> None:
    resolver.add("localhost.", "127.0.0.1")  # many resolvers answer this; this sandbox does not
    async with fetcher_for() as fetcher:
        error = await refused(fetcher, f"http://{host}:{blocked.port}/feed")
    assert error.kind == "refused_address"
    assert str(error) == "blocked: non-public address 127.0.0.1"
    assert blocked.connections == 0


@pytest.mark.parametrize("host", ["0177.0.0.1", "0x7f.1", "2130706433", "127.1"])
async def test_a2_the_check_is_on_the_resolved_address_not_the_spelling(
    blocked: HttpServer, host: str
) -> None:
    """Even without URL normalisation, the backend refuses what the system resolver returns."""
    backend = GuardedBackend(Allowlist())
    with pytest.raises(FetchError, match=r"blocked: non-public address 127\.0\.0\.1"):
        await backend.connect_tcp(host, blocked.port)
    assert blocked.connections == 0


# --- A3: IPv6, embedded IPv4, metadata and CGNAT --------------------------------------------

A3_LITERALS = {
    "v4_mapped": ("http://[::ffff:127.0.0.1]:{port}/", "::ffff:127.0.0.1"),
    "ula": ("http://[fd00::1]:{port}/", "fd00::1"),
    "link_local": ("http://[fe80::1]:{port}/", "fe80::1"),
    "nat64_metadata": ("http://[64:ff9b::a9fe:a9fe]:{port}/", "64:ff9b::a9fe:a9fe"),
    "six_to_four_metadata": ("http://[2002:a9fe:a9fe::]:{port}/", "2002:a9fe:a9fe::"),
    "teredo": (
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]:{port}/",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    ),
    "v4_compatible": ("http://[::a9fe:a9fe]:{port}/", "::a9fe:a9fe"),
    "aws_metadata": ("http://169.254.169.254:{port}/latest/meta-data/", "169.254.169.254"),
    "alibaba_metadata": ("http://100.100.100.200:{port}/", "100.100.100.200"),
    "cgnat": ("http://100.64.1.1:{port}/", "100.64.1.1"),
    "aws_v6_metadata": ("http://[fd00:ec2::254]:{port}/", "fd00:ec2::254"),
}


@pytest.mark.parametrize(("template", "shown"), A3_LITERALS.values(), ids=A3_LITERALS.keys())
async def test_a3_embedded_and_metadata_literals_are_refused(
    blocked: HttpServer, template: str, shown: str
) -> None:
    async with fetcher_for() as fetcher:
        error = await refused(fetcher, template.format(port=blocked.port))
    assert error.kind == "refused_address"
    prefix, _, address = str(error).rpartition(" ")
    assert prefix == "blocked: non-public address"
    assert ip_address(address) == ip_address(shown)  # the resolver may spell it differently
    assert blocked.connections == 0


A3_NAMES = {
    "metadata.test": "169.254.169.254",
    "alibaba.test": "100.100.100.200",
    "cgnat.test": "100.64.0.7",
    "aws6.test": "fd00:ec2::254",
    "mapped.test": "::ffff:127.0.0.1",
    "nat64.test": "64:ff9b::a9fe:a9fe",
    "sixtofour.test": "2002:a9fe:a9fe::",
    "private.test": "10.1.2.3",
}


@pytest.mark.parametrize(("name", "address"), A3_NAMES.items(), ids=A3_NAMES.keys())
async def test_a3_names_resolving_to_internal_addresses_are_refused(
    resolver: FakeResolver, name: str, address: str
) -> None:
    resolver.add(name, address)
    async with fetcher_for() as fetcher:
        error = await refused(fetcher, f"http://{name}/feed")
    assert error.kind == "refused_address"
    assert str(error) == f"blocked: non-public address {address}"
    assert resolver.calls[name] == 1


# --- A4: every redirect hop is checked ------------------------------------------------------


async def test_a4_redirect_to_loopback_port_is_refused(
    server: HttpServer, blocked: HttpServer, fetcher: Fetcher
) -> None:
    target = blocked.url("/ok")
    error = await refused(fetcher, server.url(f"/redirect?to={target}"))
    assert error.kind == "refused_address"
    assert str(error) == f"redirect 1 to {target}: blocked: non-public address 127.0.0.1"
    assert server.hits["/redirect"] == 1
    assert blocked.connections == 0


async def test_a4_redirect_to_a_name_resolving_to_metadata_is_refused(
    server: HttpServer, fetcher: Fetcher, resolver: FakeResolver
) -> None:
    resolver.add("cdn.test", "169.254.169.254")
    error = await refused(fetcher, server.url("/redirect?to=http://cdn.test/latest/"))
    assert error.kind == "refused_address"
    assert "redirect 1 to http://cdn.test/latest/" in str(error)
    assert "blocked: non-public address 169.254.169.254" in str(error)


A4_SCHEMES = {
    "file": ("file:///etc/passwd", 301, "not file:"),
    "gopher": ("gopher://127.0.0.1:6379/_FLUSHALL", 302, "not gopher:"),
    "credentials": ("http://user:pw@example.com/", 307, "credentials"),
}


@pytest.mark.parametrize(("location", "code", "reason"), A4_SCHEMES.values(), ids=A4_SCHEMES.keys())
async def test_a4_redirect_to_other_schemes_names_the_hop(
    server: HttpServer, fetcher: Fetcher, location: str, code: int, reason: str
) -> None:
    server.routes["/moved"] = redirect_to(location, code)
    error = await refused(fetcher, server.url("/moved"))
    assert error.kind == "bad_url"
    assert str(error).startswith(f"redirect 1 to {location!r} refused:")
    assert reason in str(error)
    assert error.url == server.url("/moved")


# --- A5: DNS rebinding ----------------------------------------------------------------------


async def test_a5_one_resolution_per_connection_and_connect_to_the_checked_address(
    server: HttpServer, resolver: FakeResolver
) -> None:
    # The rebinding server answers an allowed address first, an internal one afterwards.
    resolver.add("rebind.test", "127.0.0.1", "10.0.0.1")
    url = f"http://rebind.test:{server.port}/echo"
    async with fetcher_for(server.addr) as fetcher:
        first = await fetcher.get(url)
        again = await fetcher.get(url)  # same pooled connection: no new resolution
    assert first.status == again.status == 200
    assert resolver.calls["rebind.test"] == 1
    assert server.connections == 1
    assert server.requests[0].headers["host"] == f"rebind.test:{server.port}"

    # A new connection resolves again, and is checked again: now it is refused.
    async with fetcher_for(server.addr) as fetcher:
        error = await refused(fetcher, url)
    assert str(error) == "blocked: non-public address 10.0.0.1"
    assert resolver.calls["rebind.test"] == 2
    assert server.connections == 1


class RecordingBackend(httpcore.AsyncNetworkBackend):
    """Records the host the guarded backend hands down, then really connects."""

    def __init__(self) -> None:
        self.hosts: list[str] = []
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, *args: Any, **kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        self.hosts.append(host)
        return await self._inner.connect_tcp(host, port, *args, **kwargs)


async def test_a5_backend_connects_only_to_checked_literals(
    server: HttpServer, resolver: FakeResolver
) -> None:
    resolver.add("mixed.test", ["10.0.0.1", "127.0.0.1", "169.254.169.254"])
    inner = RecordingBackend()
    backend = GuardedBackend(Allowlist.parse([server.addr]), inner)
    stream = await backend.connect_tcp("mixed.test", server.port, timeout=2)
    await stream.aclose()
    assert inner.hosts == ["127.0.0.1"]  # an IP literal that passed the check, never the name
    assert resolver.calls["mixed.test"] == 1


# --- A6: bad URLs never reach a resolver or a socket ----------------------------------------

A6_URLS = [
    "file:///etc/passwd",
    "/etc/passwd",
    "ftp://ftp.example.org/feed",
    "data:text/plain,hello",
    "javascript:alert(1)",
    "http://user:pass@example.com/",
    "http://example.com/" + "a" * 2100,
]


@pytest.mark.parametrize("url", A6_URLS, ids=lambda u: u[:24])
async def test_a6_bad_urls_fail_before_any_lookup(resolver: FakeResolver, url: str) -> None:
    async with fetcher_for() as fetcher:
        error = await refused(fetcher, url)
    assert error.kind == "bad_url"
    assert sum(resolver.calls.values()) == 0


# --- A7: proxies from the environment are ignored -------------------------------------------


async def test_a7_env_proxy_is_ignored(
    server: HttpServer, blocked: HttpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = blocked  # even an allowlisted proxy would not be used
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, f"http://{proxy.addr}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    async with fetcher_for(server.addr, proxy.addr) as fetcher:
        response = await fetcher.get(server.url("/ok"))
    assert response.status == 200
    assert server.hits["/ok"] == 1
    assert proxy.connections == 0
