"""URL canonicalization: one spelling per article, so that ingestion can fold duplicates.

Pure functions, no I/O, no DNS. The canonical form, each rule safe on its own (it never makes two
different articles one):
- scheme and host in lower case, IDN hosts in punycode, no trailing dot, no default port;
- no `www.`, `m.`, `mobile.` or `amp.` host prefix (the same site's desktop, mobile and AMP
  editions), unless what remains would be a bare suffix such as `co.ma`;
- AMP variants folded to the article: a `/amp` path segment or suffix, `.amp.html`, `?amp=1`,
  `?outputType=amp`, and Google AMP cache URLs (`*.cdn.ampproject.org/c/s/host/path`);
- no fragment, no tracking parameters (utm_*, AT Internet's xtor and at_*, click ids…), the
  remaining query parameters sorted;
- percent-escapes normalized: unreserved characters decoded, hex in upper case, non-ASCII
  (Arabic slugs) percent-encoded as UTF-8, so an IRI and its URI are one key;
- bidi and zero-width characters removed (D8).
Scheme (http vs https), path case and trailing slashes are kept: they can name different pages.
Only http(s) URLs are canonicalized; anything else is refused with ValueError, because only
http(s) URLs are ever stored (SECURITY.md promise 4).
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

MAX_URL_LENGTH = 2048
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "igshid", "igsh", "li_fat_id", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc",
        "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wickedid", "ref_src",
        "ref_url", "xtor", "xts", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
        "ns_fee", "ocid", "cmpid", "__twitter_impression", "usqp", "amp_js_v", "amp_gsa",
        "amp_tf",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")  # Google, AT Internet/Piano, Matomo
_AMP_QUERY = {"amp": {"", "1", "true"}, "outputtype": {"amp"}}
_EDITION_PREFIXES = ("www.", "m.", "mobile.", "amp.")
# Second-level labels under which a name is a public suffix ("co.ma", "com.tn"): never strip to it.
_SUFFIX_LABELS = frozenset({"co", "com", "org", "net", "gov", "gouv", "ac", "edu", "press"})
# Bidi overrides, isolates and marks, zero-width characters: never part of a real URL (D8).
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_EDGES = "".join(chr(c) for c in range(0x21))  # C0 controls and space
# An absolute http(s) URL with a plain host and nothing to clean: printable ASCII only, so no
# whitespace, control or invisible character can hide in it.
_PLAIN_URL = r"(?i:https?)://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!-~]*)?"
_PLAIN_ABSOLUTE = re.compile(_PLAIN_URL + r"\Z")
# Lines that are each a `_PLAIN_ABSOLUTE` URL ("\n" is none of its characters).
_PLAIN_ABSOLUTE_LINES = re.compile(f"{_PLAIN_URL}(?:\n{_PLAIN_URL})*")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# "/slug/amp/" → "/slug/", "/slug/amp" → "/slug", "/amp/slug" → "/slug", "a.amp.html" → "a.html".
_AMP_PATH = re.compile(r"(?<=/)amp/(?=.|$)|/amp$|\.amp(?=\.html?$)", re.IGNORECASE)
_AMP_CACHE = re.compile(r"^/[cv]/(s/)?([^/]+)(/.*)?$")


def strip_invisible(value: str) -> str:
    return _INVISIBLE.sub("", value)


def absolute_http_url(value: str, base: str = "") -> str | None:
    """`value` resolved against `base` if it is an http(s) URL, else None (javascript:, data:…)."""
    if len(value) <= MAX_URL_LENGTH and _PLAIN_ABSOLUTE.match(value):
        return value  # the common case, already absolute and clean: no parsing needed
    # As browsers do (WHATWG URL): leading and trailing controls and spaces go, tabs and newlines
    # anywhere go ("jav\tascript:" is javascript:), so the scheme check sees what a browser would.
    cleaned = _CONTROLS.sub("", strip_invisible(value).strip(_EDGES))
    cleaned = cleaned.replace(" ", "%20")
    if not cleaned or len(cleaned) > MAX_URL_LENGTH:
        return None
    resolved = urljoin(base, cleaned) if base else cleaned
    try:
        parts = urlsplit(resolved)
        hostname = parts.hostname
    except ValueError:  # "http://[bad" — an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not hostname:
        return None
    return resolved


def absolute_http_urls(values: list[str], base: str = "") -> list[str]:
    """`[absolute_http_url(v, base) or "" for v in values]`, checked in one scan when every
    value is already a plain absolute URL (a feed's links usually are)."""
    joined = "\n".join(values)
    if (
        values
        and max(map(len, values)) <= MAX_URL_LENGTH
        and joined.count("\n") == len(values) - 1  # no value holds a line break itself
        and _PLAIN_ABSOLUTE_LINES.fullmatch(joined)
    ):
        return values
    return [absolute_http_url(value, base) or "" for value in values]


def canonical_url(url: str) -> str:
    """The canonical spelling of an http(s) URL; ValueError for anything else."""
    try:
        parts = urlsplit(strip_invisible(url).strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"not an http(s) URL: {url[:200]!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url[:200]!r}")
    host, path, query = _host(parts.hostname), parts.path, parts.query
    cached = _from_amp_cache(host, path) if host.endswith(".cdn.ampproject.org") else None
    if cached:
        return canonical_url(f"{cached}?{query}" if query else cached)
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _AMP_PATH.sub("", path) or "/"
    return urlunsplit((scheme, netloc, _escapes(path, safe="/:@!$&'()*+,;="), _query(query), ""))


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL: the key of per-origin politeness."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme, 0)


def _host(hostname: str) -> str:
    host = hostname.lower().rstrip(".")
    if ":" in host:  # an IPv6 literal: nothing to fold
        return f"[{host}]"
    if not host.isascii():
        # An IDN that IDNA 2003 refuses is left as written: still one spelling for one input.
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    if host.replace(".", "").isdigit():  # an IPv4 address
        return host
    for prefix in _EDITION_PREFIXES:
        rest = host.removeprefix(prefix)
        if rest != host and _registrable(rest):
            return rest
    return host


def _registrable(host: str) -> bool:
    labels = host.split(".")
    return len(labels) > 2 or (len(labels) == 2 and labels[0] not in _SUFFIX_LABELS)


def _from_amp_cache(host: str, path: str) -> str | None:
    """The publisher's URL behind a Google AMP cache URL, or None if `path` is not one."""
    match = _AMP_CACHE.match(path)
    if not match:
        return None
    scheme = "https" if match.group(1) else "http"
    return f"{scheme}://{match.group(2)}{match.group(3) or '/'}"


def _query(query: str) -> str:
    # Decoded and re-encoded as Latin-1, which maps every byte to one character and back: a
    # query in a legacy charset ("?q=%E9") must not collapse into U+FFFD and meet another one.
    # Raw non-ASCII characters (an IRI) are first escaped as UTF-8, as their URI would be.
    query = quote(query, safe="".join(chr(c) for c in range(0x21, 0x7F)))
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True, encoding="latin-1"):
        name = key.lower()
        if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
            continue
        if value.lower() in _AMP_QUERY.get(name, ()):
            continue
        kept.append((key, value))
    return urlencode(sorted(kept), encoding="latin-1")


def _escapes(component: str, *, safe: str) -> str:
    """Percent-escapes in one spelling: unreserved decoded, the rest upper-case UTF-8 escapes."""

    def one(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else f"%{match.group(1).upper()}"

    decoded_unreserved = _ESCAPE.sub(one, component)
    # quote() leaves existing escapes alone ("%" is safe here) and encodes the rest as UTF-8.
    return quote(decoded_unreserved, safe=safe + "%")
