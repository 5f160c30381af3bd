"""Which URLs may be fetched and which addresses may be connected to (SECURITY A1–A6).

Pure: `validate_url` checks and normalises a URL before any socket exists; `is_public_address`
decides whether a *resolved* address may be connected to; `Allowlist` names the loopback or private
`address:port` pairs the demo and the tests may reach. This module must not resolve names, open
sockets or import anything from alaune but `errors`: the network backend calls it at connect time,
on the addresses it actually connects to, so that a URL check can never be raced by DNS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from urllib.parse import quote, urlsplit

from alaune.errors import ConfigError, FetchError

IPAddress = IPv4Address | IPv6Address

MAX_URL_LENGTH = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}

# C0 controls, DEL and C1 controls: never valid in a URL and the stuff of header injection.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_HOST_NAME = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$")
# Printable ASCII that may stay as is in a request target; the rest (space, quotes, angle brackets,
# non-ASCII such as Arabic slugs) is percent-encoded as UTF-8, as browsers do.
_TARGET_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"<>\\^`{|}')


def _bad(message: str, url: str) -> FetchError:
    return FetchError("bad_url", message, url=url[:200])


def validate_url(url: str) -> str:
    """Return `url` normalised for fetching, or raise `FetchError("bad_url", …)` saying why not.

    Only absolute http(s) URLs without credentials, control characters or an empty host pass
    (SECURITY A6). The host is IDNA-encoded and lower-cased, numeric IPv4 spellings (`0x7f.1`,
    `2130706433`, `0177.0.0.1`) become dotted quads as WHATWG URL parsing reads them, the fragment
    is dropped and non-ASCII in the path or query is percent-encoded. Passing here does not make a
    URL safe to fetch: the address check happens at connect time (`is_public_address`).
    """
    if not isinstance(url, str):
        raise _bad(f"URL must be a string, not {type(url).__name__}", repr(url))
    url = url.strip(" ")
    if len(url) > MAX_URL_LENGTH:
        raise _bad(f"URL is longer than {MAX_URL_LENGTH} characters ({len(url)})", url)
    if _CONTROL.search(url):
        raise _bad("URL contains a control character", url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _bad(f"URL cannot be parsed: {exc}", url) from None
    scheme = parts.scheme.lower()
    if not scheme:
        raise _bad(f"not an absolute http(s) URL: {url[:80]!r}", url)
    if scheme not in DEFAULT_PORTS:
        raise _bad(f"only http and https URLs can be fetched, not {scheme}:", url)
    if "@" in parts.netloc:
        raise _bad("credentials (user:password@) are not allowed in a URL", url)
    if not parts.hostname:
        raise _bad("URL has no host", url)
    if port == 0:
        raise _bad("URL has port 0", url)
    host = _normalise_host(parts.hostname, bracketed=parts.netloc.startswith("["), url=url)
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    target = quote(parts.path or "/", safe=_TARGET_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_TARGET_SAFE)
    return f"{scheme}://{netloc}{target}"


def _normalise_host(host: str, *, bracketed: bool, url: str) -> str:
    if bracketed:
        if "%" in host:
            raise _bad("IPv6 zone identifiers are not allowed in a URL", url)
        try:
            return f"[{IPv6Address(host).compressed}]"
        except ValueError:
            raise _bad(f"invalid IPv6 address [{host}]", url) from None
    try:
        # The idna codec also splits on the ideographic and full-width dots (`127。0。0。1`).
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise _bad(f"invalid host name {host!r}", url) from None
    ipv4 = _whatwg_ipv4(ascii_host, url)
    if ipv4 is not None:
        return ipv4
    if len(ascii_host) > 253 or not _HOST_NAME.match(ascii_host):
        raise _bad(f"invalid host name {host!r}", url)
    return ascii_host


def _whatwg_ipv4(host: str, url: str) -> str | None:
    """The dotted quad a browser would read in `host`, None if `host` is a domain name.

    Following the WHATWG URL standard ("ends in a number"), so that `127.1` or `0x7f.1` mean the
    same address here as in the resolver and a browser, and a check cannot be fooled by spelling.
    """
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    if _ipv4_number(labels[-1]) is None:
        return None
    numbers = [_ipv4_number(label) for label in labels]
    if len(labels) > 4 or any(n is None for n in numbers):
        raise _bad(f"invalid IPv4 address {host!r}", url)
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise _bad(f"invalid IPv4 address {host!r}", url)
    total = values[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(values[:-1]))
    return str(IPv4Address(total))


def _ipv4_number(label: str) -> int | None:
    if label[:2] in ("0x", "0X"):
        digits, base = label[2:] or "0", 16
    elif len(label) > 1 and label.startswith("0"):
        digits, base = label[1:], 8
    else:
        digits, base = label, 10
    if not digits or not re.fullmatch(r"[0-9a-fA-F]+", digits):
        return None
    try:
        return int(digits, base)
    except ValueError:
        return None


# Explicit refusals on top of `ipaddress.is_global`, whose tables change between Python versions
# (3.11.7 calls ::ffff:8.8.8.8, ::a9fe:a9fe and 64:ff9b:1::1 global). Sources: the IANA special-
# purpose address registries and the cloud metadata endpoints named in SECURITY A3.
_V4_REFUSED = tuple(
    ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private (RFC 1918)
        "100.64.0.0/10",  # carrier-grade NAT (RFC 6598); Alibaba metadata 100.100.100.200
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local; AWS/GCP/Azure metadata 169.254.169.254
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments; Oracle metadata 192.0.0.192
        "192.0.2.0/24",  # documentation TEST-NET-1
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation TEST-NET-2
        "203.0.113.0/24",  # documentation TEST-NET-3
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the limited broadcast 255.255.255.255
        "168.63.129.16/32",  # Azure WireServer: public-looking, but answers only inside Azure
    )
)
_V6_GLOBAL_UNICAST = ip_network("2000::/3")
_V6_REFUSED = tuple(
    ip_network(n)
    for n in (
        "2001::/23",  # IETF protocol assignments: Teredo 2001::/32, benchmarking 2001:2::/48…
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation (RFC 9637)
    )
)
_NAT64 = ip_network("64:ff9b::/96")  # well-known NAT64 prefix (RFC 6052): public IPv4 inside
_SIX_TO_FOUR = ip_network("2002::/16")


def is_public_address(address: str | IPAddress) -> bool:
    """True only for a globally routable unicast address that is safe to connect to.

    An IPv6 form that carries an IPv4 address (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4
    `2002::/16`) is judged by that IPv4 address. Any other IPv6 address must be global unicast
    (2000::/3), which refuses loopback, unspecified, IPv4-compatible `::a.b.c.d`, ULA fc00::/7,
    link- and site-local, multicast and the local-use NAT64 prefix 64:ff9b:1::/48 in one rule.
    Anything that is not an IP address is refused.
    """
    try:
        ip = ip_address(str(address).split("%", 1)[0])  # a resolver may add a "%scope"
    except ValueError:
        return False
    if isinstance(ip, IPv4Address):
        return _is_public_v4(ip)
    if ip.ipv4_mapped is not None:
        return _is_public_v4(ip.ipv4_mapped)
    if ip in _NAT64:
        return _is_public_v4(IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip in _SIX_TO_FOUR:
        return ip.sixtofour is not None and _is_public_v4(ip.sixtofour)
    if ip.teredo is not None:
        return False  # Teredo: tunnelled, not globally routable (also within 2001::/23)
    return (
        ip in _V6_GLOBAL_UNICAST
        and ip.is_global
        and not ip.is_multicast
        and not any(ip in net for net in _V6_REFUSED)
    )


def _is_public_v4(ip: IPv4Address) -> bool:
    return (
        ip.is_global
        and not ip.is_multicast
        and not ip.is_reserved
        and not any(ip in net for net in _V4_REFUSED)
    )


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Exact `address:port` pairs that may be reached although not public (the demo, the tests).

    Entries are IP literals, IPv6 in brackets: `127.0.0.1:8081`, `[::1]:8081`. Host names are
    refused, since the point is to name the exact socket, not what a resolver says today.
    """

    entries: frozenset[tuple[IPAddress, int]] = frozenset()

    @classmethod
    def parse(cls, items: Iterable[str]) -> Allowlist:
        """Build an allowlist from `fetch_allow` strings; `ConfigError` names a bad entry."""
        return cls(frozenset(_parse_entry(item) for item in items))

    def permits(self, address: str | IPAddress, port: int) -> bool:
        """True when exactly this address and port are listed."""
        try:
            ip = ip_address(str(address).split("%", 1)[0])
        except ValueError:
            return False
        return (ip, port) in self.entries

    def as_strings(self) -> tuple[str, ...]:
        """The entries as `fetch_allow` spells them."""
        return tuple(
            sorted(f"[{ip}]:{p}" if ip.version == 6 else f"{ip}:{p}" for ip, p in self.entries)
        )

    def __str__(self) -> str:
        shown = sorted(f"[{ip}]:{p}" if ip.version == 6 else f"{ip}:{p}" for ip, p in self.entries)
        return ", ".join(shown) or "(empty)"


def _parse_entry(item: str) -> tuple[IPAddress, int]:
    text = item.strip()
    if text.startswith("["):
        host, sep, port = text[1:].partition("]:")
    else:
        host, sep, port = text.rpartition(":")
    try:
        if not sep or (":" in host and not text.startswith("[")):
            raise ValueError
        ip, number = ip_address(host), int(port)
        if not 0 < number < 65536:
            raise ValueError
    except ValueError:
        raise ConfigError(
            f"fetch_allow entry {item!r} is not an address:port pair such as 127.0.0.1:8081 "
            "or [::1]:8081"
        ) from None
    return ip, number
