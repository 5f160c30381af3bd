"""The address a report comes from, and the units it is counted in.

`client_address` believes `X-Forwarded-For` only across configured trusted proxies, reading it
from the right (the last hop is the one our proxy added; anything further left was written by the
client and may be forged, SECURITY F2, Miniflux CVE-2023-27591). `reporter_unit` is what one
reporter is (an IPv4 address, an IPv6 /64: one host usually holds a whole /64), `network_unit`
what one network is (/24 or /48), so one allocation cannot mint many identities. The units are
hashed before storage; nothing here keeps an address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

REPORTER_PREFIX = {4: 32, 6: 64}
NETWORK_PREFIX = {4: 24, 6: 48}
MAX_HOPS = 20  # a longer X-Forwarded-For is an attack, not a proxy chain


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """The `trusted_proxies` setting as networks; a bad entry raises ValueError naming it."""
    networks: list[Network] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"trusted_proxies: {value!r} is not an address or a network such as 10.0.0.0/8"
            ) from None
    return tuple(networks)


def parse_address(value: str) -> Address | None:
    text = value.strip()
    if text.startswith("[") and "]" in text:  # "[::1]:port" as some proxies write it
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "1.2.3.4:port"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(
    peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]
) -> Address | None:
    """The client's address: the socket peer, unless the peer is a trusted proxy; then the
    rightmost `X-Forwarded-For` hop that is not itself a trusted proxy. `forwarded_for` holds
    every X-Forwarded-For header value in order. None when nothing usable is known."""
    address = parse_address(peer) if peer else None
    if address is None or not _trusted(address, trusted):
        return address
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops[-MAX_HOPS:]):
        parsed = parse_address(hop)
        if parsed is None:
            return address  # a garbled chain: fall back to the proxy itself
        if not _trusted(parsed, trusted):
            return parsed
        address = parsed
    return address


def _trusted(address: Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == net.version and address in net for net in trusted)


def reporter_unit(address: Address) -> str:
    """One reporter: the address (IPv4) or its /64 (IPv6)."""
    return _prefix(address, REPORTER_PREFIX[address.version])


def network_unit(address: Address) -> str:
    """One network: the /24 (IPv4) or /48 (IPv6) the address belongs to."""
    return _prefix(address, NETWORK_PREFIX[address.version])


def _prefix(address: Address, length: int) -> str:
    return str(ipaddress.ip_network(f"{address}/{length}", strict=False))
