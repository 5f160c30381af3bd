"""An admin's changes to outlets: pause, resume, poll now, and overrides of the registry.

Overrides (display policy, section → category mapping) live in the outlet's `config` JSON under
`overrides`, and `outlets.sync_outlets` re-applies them over the registry at every sync, so an
admin's edit survives restarts while the registry file stays the source of everything else.
`poll_now` makes the outlet's feeds due: the crawler polls them on its next pass (the web never
fetches).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from alaune.store.schema import feeds, outlets

POLICIES = ("excerpt", "full")


def set_paused(conn: Connection, outlet_id: str, paused: bool) -> bool:
    result = conn.execute(update(outlets).where(outlets.c.id == outlet_id).values(paused=paused))
    return bool(result.rowcount)


def poll_now(conn: Connection, outlet_id: str, *, now: datetime) -> int:
    """Make every feed of the outlet due now; returns how many."""
    result = conn.execute(
        update(feeds).where(feeds.c.outlet_id == outlet_id).values(next_poll_at=now)
    )
    return int(result.rowcount or 0)


def set_overrides(
    conn: Connection, outlet_id: str, *, policy: str, sections: Sequence[tuple[str, str]]
) -> bool:
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {', '.join(POLICIES)}, not {policy!r}")
    config = _config(conn, outlet_id)
    if config is None:
        return False
    overrides = {"policy": policy, "sections": [list(pair) for pair in sections]}
    config["overrides"] = overrides
    config["sections"] = overrides["sections"]
    conn.execute(
        update(outlets)
        .where(outlets.c.id == outlet_id)
        .values(policy=policy, config=json.dumps(config, ensure_ascii=False))
    )
    return True


def apply_overrides(existing_config: str | None, values: dict[str, Any]) -> dict[str, Any]:
    """`values` (what a registry sync writes) with the admin's overrides kept on top."""
    try:
        old = json.loads(existing_config or "{}")
    except ValueError:
        return values
    overrides = old.get("overrides") if isinstance(old, dict) else None
    if not isinstance(overrides, dict):
        return values
    config = json.loads(values["config"])
    config["overrides"] = overrides
    if isinstance(overrides.get("sections"), list):
        config["sections"] = overrides["sections"]
    merged = {**values, "config": json.dumps(config, ensure_ascii=False, separators=(",", ":"))}
    if overrides.get("policy") in POLICIES:
        merged["policy"] = overrides["policy"]
    return merged


def _config(conn: Connection, outlet_id: str) -> dict[str, Any] | None:
    text = conn.execute(select(outlets.c.config).where(outlets.c.id == outlet_id)).scalar()
    if text is None:
        return None
    try:
        config = json.loads(text)
    except ValueError:
        config = {}
    return config if isinstance(config, dict) else {}
