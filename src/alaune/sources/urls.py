"""Which URLs an outlet entry may name: absolute http(s), public-looking hosts (SECURITY A6, G4).

Pure input validation, before anything is stored or fetched: `check_url` refuses other schemes
(`file:`, `javascript:`, `data:`, `ftp:`), credentials, control characters, over-long URLs, names
that only resolve inside a network (`localhost`, `*.internal`, single-label hosts) and IP literals
that are not public, in every spelling a browser accepts (`0x7f.1`, `2130706433`, `[::1]`).
This module must not resolve names or import `alaune.fetch`: sources and fetch are sibling layers.
It repeats the fetcher's rules on purpose, as a first gate; the fetcher still checks the address it
actually connects to, which is what stops DNS tricks.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from ipaddress import IPv4Address, IPv6Address, ip_network
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
_DEFAULT_PORTS = {"http": 80, "https": 443}
# C0 and C1 controls, DEL, and spaces: a registry URL never contains them; a pasted one may.
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f]")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Names that resolve only inside a network or never (RFC 6761, RFC 6762, RFC 8375, ICANN 2024).
_PRIVATE_SUFFIXES = (
    "localhost",
    "local",
    "localdomain",
    "internal",
    "intranet",
    "lan",
    "home",
    "home.arpa",
    "corp",
    "private",
    "test",
    "invalid",
    "example",
    "onion",
)

# ipaddress calls these global although they are not reachable from the Internet (Python 3.11).
_V4_MORE = (ip_network("192.0.0.0/24"), ip_network("168.63.129.16/32"))  # IETF; Azure WireServer
_V6_UNICAST = ip_network("2000::/3")  # global unicast: refuses ::a.b.c.d, 64:ff9b:1::/48, ULA…
_NAT64 = ip_network("64:ff9b::/96")  # RFC 6052: judged by the IPv4 address inside


class UrlRefused(ValueError):
    """A URL an outlet entry may not name; the message says why."""


def check_url(url: object, *, allow: Collection[str] = ()) -> str:
    """`url` with its scheme and host lower-cased, or `UrlRefused` saying what is wrong.

    `allow` holds exact `address:port` pairs (the `fetch_allow` setting, IPv6 in brackets) that
    may be named although they are not public: the demo's and the tests' loopback servers.
    """
    if not isinstance(url, str):
        raise UrlRefused(f"a URL must be a string, not {type(url).__name__}")
    if not url:
        raise UrlRefused("the URL is empty")
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"the URL is longer than {MAX_URL_LENGTH} characters ({len(url)})")
    if _FORBIDDEN.search(url):
        raise UrlRefused("the URL contains a space or a control character")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlRefused(f"the URL cannot be parsed ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        shown = f"{scheme}:" if scheme else "a relative URL"
        raise UrlRefused(f"only absolute http:// and https:// URLs are allowed, not {shown}")
    if "@" in parts.netloc:
        raise UrlRefused("credentials (user:password@) are not allowed in a URL")
    if not parts.hostname:
        raise UrlRefused("the URL has no host")
    if port == 0:
        raise UrlRefused("the URL has port 0")
    host = _check_host(parts.hostname, port or _DEFAULT_PORTS[scheme], allow)
    netloc = host if port is None else f"{host}:{port}"
    rest = url[len(parts.scheme) + 3 + len(parts.netloc) :]
    return f"{scheme}://{netloc}{rest or '/'}"


def is_public_url(url: str, *, allow: Collection[str] = ()) -> bool:
    try:
        check_url(url, allow=allow)
    except UrlRefused:
        return False
    return True


def _check_host(host: str, port: int, allow: Collection[str]) -> str:
    literal = _ip_literal(host)
    if literal is not None:
        shown = f"[{literal}]" if literal.version == 6 else str(literal)
        if f"{shown}:{port}" in allow or _is_public(literal):
            return shown
        raise UrlRefused(f"{shown} is not a public address")
    try:
        # The idna codec also maps the ideographic full stop (`127。0。0。1`) to a dot.
        name = host.encode("idna").decode("ascii").lower().rstrip(".")
    except UnicodeError:
        raise UrlRefused(f"invalid host name {host!r}") from None
    if name != host.lower().rstrip(".") and _ip_literal(name) is not None:
        return _check_host(name, port, allow)
    if any(name == s or name.endswith("." + s) for s in _PRIVATE_SUFFIXES):
        raise UrlRefused(f"{name} is a local or reserved name, not a public site")
    labels = name.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise UrlRefused(f"{host!r} is not a public host name (it needs a dot and a real domain)")
    return name


def _ip_literal(host: str) -> IPv4Address | IPv6Address | None:
    """The address `host` spells, read as a browser reads it (WHATWG URL), or None for a name."""
    if ":" in host:
        try:
            return IPv6Address(host.split("%", 1)[0])
        except ValueError:
            raise UrlRefused(f"invalid IPv6 address {host!r}") from None
    labels = host.rstrip(".").split(".")
    if not labels or _number(labels[-1]) is None:
        return None  # a name: it does not end in a number
    numbers = [_number(label) for label in labels]
    values = [n for n in numbers if n is not None]
    if len(labels) > 4 or len(values) != len(labels):
        raise UrlRefused(f"invalid IPv4 address {host!r}")
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise UrlRefused(f"invalid IPv4 address {host!r}")
    return IPv4Address(values[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(values[:-1])))


def _number(label: str) -> int | None:
    if label[:2].lower() == "0x":
        digits, base = label[2:] or "0", 16
    elif len(label) > 1 and label.startswith("0"):
        digits, base = label[1:], 8
    else:
        digits, base = label, 10
    try:
        return int(digits, base) if re.fullmatch(r"[0-9a-fA-F]+", digits) else None
    except ValueError:
        return None


def _is_public(address: IPv4Address | IPv6Address) -> bool:
    # The fetcher's rules, in short; it still decides at connect time on the address it resolved.
    if isinstance(address, IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return _is_public(embedded)
        return address in _V6_UNICAST and address.teredo is None and address.is_global
    return (
        address.is_global and not address.is_multicast and not any(address in n for n in _V4_MORE)
    )
