"""The network backend that checks every address at connect time (SECURITY A1–A5).

`GuardedBackend` is the httpcore network backend of the fetcher. For each new connection it
resolves the host once, keeps only addresses that are public or listed in the allowlist, and
connects to the checked IP literal, so there is no window between check and use for DNS
rebinding (A5) and every redirect hop is checked the same way (A4). TLS is then started by
httpcore with the *host name* as SNI and for certificate verification.

It must not resolve a name twice for one connection, connect to a name rather than an address,
or open Unix sockets; it is the only place in alaune where a TCP connection starts.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Iterable

import httpcore

from alaune.errors import FetchError
from alaune.fetch.safety import Allowlist, is_public_address

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check, then connect to the checked address; everything else is `inner`'s."""

    def __init__(self, allow: Allowlist, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._allow = allow
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self._permitted(host, port)
                return await self._connect_first(
                    host, addresses, port, local_address, socket_options
                )
        except TimeoutError:
            message = f"connecting to {host}:{port} took over {timeout} s"
            raise httpcore.ConnectTimeout(message) from None

    async def _permitted(self, host: str, port: int) -> list[str]:
        """Resolve `host` once and keep the addresses we may connect to, in resolver order."""
        addresses = await _resolve(host, port)
        permitted = [a for a in addresses if is_public_address(a) or self._allow.permits(a, port)]
        if not permitted:
            # Name the first refused address: the message is what the outlet's health page shows.
            raise FetchError("refused_address", f"blocked: non-public address {addresses[0]}")
        return permitted

    async def _connect_first(
        self,
        host: str,
        addresses: list[str],
        port: int,
        local_address: str | None,
        socket_options: Iterable[SocketOption] | None,
    ) -> httpcore.AsyncNetworkStream:
        failures: list[str] = []
        for address in addresses:
            try:
                # An IP literal: the inner backend (anyio) connects to it without resolving.
                return await self._inner.connect_tcp(
                    address, port, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                failures.append(f"{address}: {_reason(exc)}")
        raise httpcore.ConnectError(f"cannot connect to {host}:{port} ({'; '.join(failures)})")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise FetchError("refused_address", "blocked: Unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


async def _resolve(host: str, port: int) -> list[str]:
    """Addresses of `host`, each once. Goes through the event loop's `getaddrinfo`, which calls
    `socket.getaddrinfo`, so tests can stand in a fake resolver."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise FetchError("dns", f"cannot resolve {host}: {reason}") from None
    addresses = list(
        dict.fromkeys(
            str(info[4][0]) for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)
        )
    )
    if not addresses:
        raise FetchError("dns", f"cannot resolve {host}: no address")
    return addresses


def _reason(exc: BaseException) -> str:
    """The operating system's words for a failed connect ("Connection refused"), found under
    anyio's generic "All connection attempts failed"."""
    current: BaseException | None = exc
    for _ in range(6):
        if current is None:
            break
        if isinstance(current, OSError) and current.errno:
            return os.strerror(current.errno)
        current = current.__cause__ or current.__context__
    return str(exc) or type(exc).__name__
