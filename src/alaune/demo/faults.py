"""Fault switches of the demo outlets: how an outlet may misbehave, for chaos and load tests.

`Faults` maps an outlet id to its switches, e.g. ``{"amp": {"status": 503}}``. The planned
switches are listed in `SWITCHES`; none changes behaviour yet. `apply` is the one place where a
later change turns a switch into behaviour, after the site has built its normal answer, so the
normal path stays untouched. Pure: a switch that needs time (`slow`) is to be carried out by the
server from what `apply` returns, never by sleeping here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from alaune.demo.responses import Response

#: Switch name → what it will do once implemented.
SWITCHES: dict[str, str] = {
    "slow": "seconds to wait before answering (float)",
    "status": "answer every request with this HTTP status, e.g. 500 or 503 (int)",
    "retry_after": "Retry-After seconds sent with a 429/503 status (int)",
    "gzip_bomb": "send a small gzip body that inflates to a huge one (bool)",
    "encoding": "encode pages in this charset while declaring UTF-8, e.g. 'cp1256' (str)",
    "redirect_loop": "redirect every request to itself through another path (bool)",
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
    return checked


def apply(response: Response, switches: FaultSwitches) -> Response:
    """The response as a misbehaving outlet would send it. No switch is implemented yet."""
    del switches  # the hook for later issues: each switch becomes a small function here
    return response
