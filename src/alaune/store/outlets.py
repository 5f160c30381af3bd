"""Outlets and their feeds, as the registry declares them.

`sync_outlets` makes the database agree with the registry: new outlets and feeds are added; names,
policies, the `verified` flag and the entry's `config` (sections, URL patterns, polling hint, as
JSON) updated; and feeds the registry no longer lists are dropped (no article points at a feed).
Outlets are never deleted, since their articles keep pointing at them, and `paused` is never
written here: it is an admin's decision, not the registry's. `outlet_from_row` and
`list_registry` rebuild the `Outlet`s the crawler works from.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, select, update

from alaune.model import FeedRef, Outlet
from alaune.store.dialect import insert_ignore
from alaune.store.outlet_admin import apply_overrides
from alaune.store.schema import feeds, outlets


class OutletName(NamedTuple):
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class OutletRow:
    id: str
    name: str
    homepage: str
    languages: tuple[str, ...]
    policy: str
    agency: bool
    country: str = ""
    verified: bool = True
    paused: bool = False
    sections: tuple[tuple[str, str], ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    poll_interval: float | None = None


def config_json(outlet: Outlet) -> str:
    """The part of a registry entry that has no column of its own, as the `config` JSON."""
    config: dict[str, Any] = {
        # Pairs, not an object: the registry's order is kept and names may repeat across case.
        "sections": [list(pair) for pair in outlet.sections],
        "include": list(outlet.include),
        "exclude": list(outlet.exclude),
        "poll_interval": outlet.poll_interval,
    }
    return json.dumps(config, ensure_ascii=False, separators=(",", ":"))


def sync_outlets(conn: Connection, registry: Sequence[Outlet], *, now: datetime) -> int:
    """Insert or update every outlet and feed of `registry`; returns how many outlets are new."""
    added = 0
    for outlet in registry:
        values = {
            "name": outlet.name,
            "homepage": outlet.homepage,
            "languages": ",".join(outlet.languages),
            "country": outlet.country,
            "policy": outlet.policy,
            "agency": outlet.agency,
            "verified": outlet.verified,
            "config": config_json(outlet),
        }
        if insert_ignore(conn, outlets, {"id": outlet.id, "created_at": now, **values}) is not None:
            added += 1
        else:
            existing = conn.execute(
                select(outlets.c.config).where(outlets.c.id == outlet.id)
            ).scalar()
            values = apply_overrides(existing, values)
            conn.execute(update(outlets).where(outlets.c.id == outlet.id).values(**values))
        for feed in outlet.feeds:
            insert_ignore(conn, feeds, {"outlet_id": outlet.id, "url": feed.url, "kind": feed.kind})
            # A feed whose kind changed in the registry (auto → rss) is updated, not re-added.
            conn.execute(
                update(feeds)
                .where(feeds.c.outlet_id == outlet.id, feeds.c.url == feed.url)
                .where(feeds.c.kind != feed.kind)
                .values(kind=feed.kind)
            )
        listed = [feed.url for feed in outlet.feeds]
        conn.execute(
            delete(feeds).where(feeds.c.outlet_id == outlet.id, feeds.c.url.not_in(listed))
        )
    return added


def list_outlets(conn: Connection) -> list[OutletRow]:
    rows = conn.execute(select(outlets).order_by(outlets.c.name))
    return [_outlet(row) for row in rows]


def outlet_names(conn: Connection) -> list[OutletName]:
    """Every outlet's id and name, by name: what a filter's menu needs, without each outlet's
    configuration to decode."""
    rows = conn.execute(select(outlets.c.id, outlets.c.name).order_by(outlets.c.name))
    return [OutletName(row.id, row.name) for row in rows]


def get_outlet(conn: Connection, outlet_id: str) -> OutletRow | None:
    row = conn.execute(select(outlets).where(outlets.c.id == outlet_id)).first()
    return None if row is None else _outlet(row)


def outlet_from_row(row: OutletRow, feed_refs: Sequence[FeedRef] = ()) -> Outlet:
    """The `Outlet` a stored row describes, with the given feeds (the `feeds` table's)."""
    return Outlet(
        id=row.id,
        name=row.name,
        homepage=row.homepage,
        languages=row.languages,
        country=row.country,
        feeds=tuple(feed_refs),
        policy=row.policy,
        agency=row.agency,
        sections=row.sections,
        include=row.include,
        exclude=row.exclude,
        verified=row.verified,
        poll_interval=row.poll_interval,
    )


def list_registry(conn: Connection, *, include_paused: bool = False) -> list[Outlet]:
    """Every stored outlet as an `Outlet` with its feeds; paused outlets only when asked."""
    by_outlet: dict[str, list[FeedRef]] = {}
    for row in conn.execute(
        select(feeds.c.outlet_id, feeds.c.url, feeds.c.kind).order_by(feeds.c.id)
    ):
        by_outlet.setdefault(row.outlet_id, []).append(FeedRef(row.url, row.kind))
    return [
        outlet_from_row(row, by_outlet.get(row.id, ()))
        for row in list_outlets(conn)
        if include_paused or not row.paused
    ]


def _outlet(row: object) -> OutletRow:
    m = row._mapping  # type: ignore[attr-defined]
    config = _config(m["config"])
    return OutletRow(
        id=m["id"],
        name=m["name"],
        homepage=m["homepage"],
        languages=tuple(m["languages"].split(",")) if m["languages"] else (),
        policy=m["policy"],
        agency=bool(m["agency"]),
        country=m["country"] or "",
        verified=bool(m["verified"]),
        paused=bool(m["paused"]),
        sections=tuple(
            (str(pair[0]), str(pair[1]))
            for pair in _list(config, "sections")
            if isinstance(pair, list) and len(pair) == 2
        ),
        include=tuple(str(p) for p in _list(config, "include")),
        exclude=tuple(str(p) for p in _list(config, "exclude")),
        poll_interval=_seconds(config.get("poll_interval")),
    )


def _config(text: str | None) -> dict[str, Any]:
    # Only sync_outlets writes this column; rows written before it existed hold "{}". Anything
    # unreadable is treated as empty rather than breaking every page that lists outlets.
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _list(config: dict[str, Any], key: str) -> list[Any]:
    value = config.get(key)
    return value if isinstance(value, list) else []


def _seconds(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
