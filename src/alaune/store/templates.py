"""Site templates: one JSON document per outlet, read once per crawl and saved as it learns.

The store keeps the document opaque; `alaune.extract.templates` owns its shape.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from alaune.store.schema import site_templates


def load(conn: Connection, outlet_id: str) -> Any:
    """The stored template of `outlet_id` (parsed JSON), or None."""
    query = select(site_templates.c.template).where(site_templates.c.outlet_id == outlet_id)
    raw = conn.execute(query).scalar_one_or_none()
    return None if raw is None else json.loads(raw)


def save(conn: Connection, outlet_id: str, template: Any, *, pages: int, now: datetime) -> None:
    values = {"template": json.dumps(template, separators=(",", ":")), "pages": pages}
    updated = conn.execute(
        update(site_templates)
        .where(site_templates.c.outlet_id == outlet_id)
        .values(updated_at=now, **values)
    )
    if updated.rowcount == 0:
        conn.execute(site_templates.insert().values(outlet_id=outlet_id, updated_at=now, **values))
