"""Fault switches of the demo outlets: how an outlet may misbehave, for chaos and load tests.

`Faults` maps an outlet id to its switches, e.g. ``{"amp": {"status": 503, "retry_after":
"86400"}}``; `parse_fault("amp=status:503")` reads the CLI's `--fault OUTLET=SWITCH[:ARG]`.
`apply` turns the switches into the answer a misbehaving outlet sends, after the site has built
its normal answer, so the normal path stays untouched. Every switch but `robots` leaves
`/robots.txt` alone, so that each fault reaches the feed and pages it names (SECURITY B1–B5, C1,
C3, C4). Pure: a switch that needs time or volume (`slow`, `huge`) is carried out by the server
from fields of the `Response` it returns, never by sleeping or allocating here.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import cache
from http import HTTPStatus
from urllib.parse import urlsplit

from alaune.demo.responses import Response

ROBOTS = "/robots.txt"
MiB = 1024 * 1024

#: Switch name → what it does.
SWITCHES: dict[str, str] = {
    "slow": "send every answer one byte per this many seconds: a slow drip (float)",
    "status": "answer with this HTTP status, e.g. 500, 503 or 429 (int)",
    "retry_after": "Retry-After sent with `status`, as is: 86400, -5, an HTTP-date, junk (str)",
    "gzip_bomb": "send ~100 KiB of gzip that inflates to 100 MiB of zeros (bool)",
    "huge": "send this many MiB without Content-Length, until the client hangs up (int)",
    "encoding": "encode pages and feed in this charset while declaring UTF-8, e.g. cp1256 (str)",
    "redirect_loop": "redirect every request to itself through another URL (bool)",
    "entity_bomb": "serve the feed as a billion-laughs XML document (bool)",
    "html_feed": "serve an HTML page where the feed should be (bool)",
    "robots": "robots.txt: `disallow` (all), `error` (503) or a Crawl-delay in seconds (str)",
}
_FLAGS = frozenset({"gzip_bomb", "redirect_loop", "entity_bomb", "html_feed"})
_TYPES: dict[str, Callable[[str], object]] = {
    "slow": float,
    "status": int,
    "huge": int,
    **{name: str for name in ("retry_after", "encoding", "robots")},
    **{name: lambda text: text.lower() not in {"0", "false", "no", "off"} for name in _FLAGS},
}

FaultSwitches = Mapping[str, object]
Faults = Mapping[str, FaultSwitches]


def check_faults(faults: Faults | None, outlet_ids: Iterable[str]) -> dict[str, FaultSwitches]:
    """The faults per outlet, or ValueError naming an unknown outlet or switch."""
    known = set(outlet_ids)
    checked: dict[str, FaultSwitches] = {}
    for outlet_id, switches in (faults or {}).items():
        if outlet_id not in known:
            raise ValueError(f"faults: unknown outlet {outlet_id!r}")
        unknown = sorted(set(switches) - set(SWITCHES))
        if unknown:
            raise ValueError(
                f"faults[{outlet_id!r}]: unknown switch(es) {', '.join(unknown)} "
                f"(known: {', '.join(sorted(SWITCHES))})"
            )
        checked[outlet_id] = dict(switches)
        if switches.get("gzip_bomb"):
            gzip_bomb()  # built now, not while a crawler's deadline runs on the first request
    return checked


def parse_fault(spec: str) -> tuple[str, str, object]:
    """`OUTLET=SWITCH[:ARG]` → (outlet, switch, typed value); a bare boolean switch is true."""
    outlet, equals, rest = spec.partition("=")
    name, colon, arg = rest.partition(":")  # the first colon: an HTTP-date holds more
    if not equals or not outlet or name not in SWITCHES:
        raise ValueError(
            f"fault {spec!r}: expected OUTLET=SWITCH[:ARG] with a switch among "
            f"{', '.join(sorted(SWITCHES))}"
        )
    if not colon and name not in _FLAGS:
        raise ValueError(f"fault {spec!r}: switch {name} needs an argument ({SWITCHES[name]})")
    try:
        return outlet, name, _TYPES[name](arg if colon else "true")
    except ValueError:
        raise ValueError(f"fault {spec!r}: bad argument for {name} ({SWITCHES[name]})") from None


def merge_faults(specs: Iterable[str]) -> dict[str, dict[str, object]]:
    """Several `--fault` options as one `Faults` mapping."""
    faults: dict[str, dict[str, object]] = {}
    for spec in specs:
        outlet, name, value = parse_fault(spec)
        faults.setdefault(outlet, {})[name] = value
    return faults


def apply(
    response: Response, switches: FaultSwitches, *, target: str = "/", feed_path: str = ""
) -> Response:
    """The answer to GET `target` as a misbehaving outlet would send it."""
    if not switches:
        return response
    path = urlsplit(target).path or "/"
    if path == ROBOTS:
        return _robots(response, switches.get("robots"))
    if switches.get("redirect_loop"):
        # A→B→A: the fetcher must notice it is going round (SECURITY B4).
        other = path if "loop=1" in target else f"{path}?loop=1"
        return Response(302, (("Location", other), ("Content-Length", "0")), b"")
    if "status" in switches:
        response = _status(int(str(switches["status"])), switches.get("retry_after"))
    elif path == feed_path and switches.get("html_feed"):
        response = _plain(200, "text/html; charset=utf-8", _HTML)
    elif path == feed_path and switches.get("entity_bomb"):
        response = _plain(200, "application/rss+xml", entity_bomb())
    elif "encoding" in switches and response.status == 200:
        response = _reencode(response, str(switches["encoding"]))
    if switches.get("gzip_bomb") and response.status == 200:
        response = _with(response, gzip_bomb(), (("Content-Encoding", "gzip"),))
    if "huge" in switches and response.status == 200:
        stream = int(str(switches["huge"])) * MiB
        headers = tuple(h for h in response.headers if h[0].lower() != "content-length")
        response = replace(response, headers=(*headers, ("Connection", "close")), stream=stream)
    if "slow" in switches:
        response = replace(response, drip=float(str(switches["slow"])))
    return response


@cache
def gzip_bomb() -> bytes:
    """About 100 KiB of gzip that inflates to 100 MiB of zeros (SECURITY B1), built once."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MiB)
    return b"".join(compressor.compress(zeros) for _ in range(100)) + compressor.flush()


def _robots(response: Response, mode: object) -> Response:
    if mode is None:
        return response
    if mode == "error":
        return _status(503, None)
    rules = "Disallow: /" if mode == "disallow" else f"Allow: /\nCrawl-delay: {mode}"
    return _plain(200, "text/plain; charset=utf-8", f"User-agent: *\n{rules}\n".encode())


def _status(status: int, retry_after: object) -> Response:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    response = _plain(status, "text/plain; charset=utf-8", f"{status} {phrase}\n".encode())
    if retry_after is not None:
        response = replace(response, headers=(*response.headers, ("Retry-After", str(retry_after))))
    return response


def _plain(status: int, content_type: str, body: bytes) -> Response:
    return Response(
        status, (("Content-Type", content_type), ("Content-Length", str(len(body)))), body
    )


def _with(response: Response, body: bytes, extra: tuple[tuple[str, str], ...]) -> Response:
    headers = tuple(h for h in response.headers if h[0].lower() != "content-length")
    return replace(
        response, headers=(*headers, *extra, ("Content-Length", str(len(body)))), body=body
    )


def _reencode(response: Response, charset: str) -> Response:
    """The same text in another charset, the headers still saying UTF-8 (SECURITY C4)."""
    kind = dict((k.lower(), v) for k, v in response.headers).get("content-type", "")
    if not kind.startswith(("text/", "application/rss", "application/atom", "application/xml")):
        return response
    body = response.body.decode("utf-8", errors="replace").encode(charset, errors="replace")
    return _with(response, body, ())


_HTML = (
    b"<!doctype html><html lang=fr><head><meta charset=utf-8><title>Accueil</title></head>"
    b"<body><h1>Bienvenue</h1><p>Ce site n'a pas de flux ici.</p></body></html>"
)


@cache
def entity_bomb() -> bytes:
    """A billion laughs (SECURITY C1): nine levels of ten references, 10⁹ "lol"s if expanded."""
    levels = ['<!ENTITY lol0 "lol">'] + [
        '<!ENTITY lol{} "{}">'.format(i, f"&lol{i - 1};" * 10) for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(levels) + "\n]>\n"
        '<rss version="2.0"><channel><title>&lol9;</title><description>&lol9;</description>'
        "</channel></rss>\n"
    ).encode()
