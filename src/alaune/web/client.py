"""Who is asking: the client's address (trusted proxies only) and whether a request is ours.

The address comes from the socket peer, or from `X-Forwarded-For` read from the right across the
proxies listed in the `trusted_proxies` setting (alaune.moderation.networks); `Forwarded` and
`X-Real-IP` are never read, so a client cannot pick its own address (SECURITY F2). The origins
that count as ours are the configured site URL and the address the request was sent to.
"""

from __future__ import annotations

from starlette.requests import Request

from alaune.auth.origin import same_origin
from alaune.moderation.networks import Address, client_address, parse_networks
from alaune.web.state import site


def address(request: Request) -> Address | None:
    state = site(request)
    trusted = state.trusted_proxies
    if trusted is None:
        trusted = parse_networks(state.settings.trusted_proxies)
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.getlist("x-forwarded-for"), trusted)


def from_our_pages(request: Request) -> bool:
    """True when a state-changing request was sent by one of our own pages (F3, G3)."""
    ours = {site(request).origin, f"{request.url.scheme}://{request.url.netloc}"}
    return same_origin(request.headers.get("sec-fetch-site"), request.headers.get("origin"), ours)
