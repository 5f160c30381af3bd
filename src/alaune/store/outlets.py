"""Outlets and their feeds, as the registry declares them.

`sync_outlets` makes the database agree with the registry: new outlets and feeds are added, names
and policies updated, and feeds the registry no longer lists are dropped (no article points at a
feed). Outlets are never deleted, since their articles keep pointing at them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from alaune.model import Outlet
from alaune.store.dialect import insert_ignore
from alaune.store.schema import feeds, outlets


@dataclass(frozen=True, slots=True)
class OutletRow:
    id: str
    name: str
    homepage: str
    languages: tuple[str, ...]
    policy: str
    agency: bool


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
        }
        if insert_ignore(conn, outlets, {"id": outlet.id, "created_at": now, **values}) is not None:
            added += 1
        else:
            conn.execute(update(outlets).where(outlets.c.id == outlet.id).values(**values))
        for feed in outlet.feeds:
            insert_ignore(conn, feeds, {"outlet_id": outlet.id, "url": feed.url, "kind": feed.kind})
        listed = [feed.url for feed in outlet.feeds]
        conn.execute(
            delete(feeds).where(feeds.c.outlet_id == outlet.id, feeds.c.url.not_in(listed))
        )
    return added


def list_outlets(conn: Connection) -> list[OutletRow]:
    rows = conn.execute(select(outlets).order_by(outlets.c.name))
    return [_outlet(row) for row in rows]


def get_outlet(conn: Connection, outlet_id: str) -> OutletRow | None:
    row = conn.execute(select(outlets).where(outlets.c.id == outlet_id)).first()
    return None if row is None else _outlet(row)


def _outlet(row: object) -> OutletRow:
    m = row._mapping  # type: ignore[attr-defined]
    return OutletRow(
        id=m["id"],
        name=m["name"],
        homepage=m["homepage"],
        languages=tuple(m["languages"].split(",")) if m["languages"] else (),
        policy=m["policy"],
        agency=bool(m["agency"]),
    )
