"""What the poll task hands to the pages task: a feed's listing as JSON, and back.

Celery carries JSON only, so `ingest.pipeline.Listing` (dates, items) is written as plain
values with ISO 8601 dates and read back exactly. Pure: no broker, no database.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from alaune.ingest.pipeline import Listing
from alaune.model import FeedItem


def dump_listing(feed_id: int, outlet_id: str, listing: Listing) -> dict[str, Any]:
    return {
        "feed_id": feed_id,
        "outlet_id": outlet_id,
        "started": listing.started.isoformat(),
        "status": listing.status,
        "etag": listing.etag,
        "last_modified": listing.last_modified,
        "fresh_for": listing.fresh_for,
        "items": [_dump_item(item) for item in listing.items],
    }


def load_listing(payload: dict[str, Any]) -> tuple[int, str, Listing]:
    """(feed id, outlet id, listing); KeyError or ValueError when the payload is not one of ours."""
    listing = Listing(
        started=datetime.fromisoformat(payload["started"]),
        items=tuple(_load_item(item) for item in payload["items"]),
        status=int(payload["status"]),
        etag=payload["etag"],
        last_modified=payload["last_modified"],
        fresh_for=payload["fresh_for"],
    )
    return int(payload["feed_id"]), str(payload["outlet_id"]), listing


def _dump_item(item: FeedItem) -> dict[str, Any]:
    values = asdict(item)
    values["published"] = item.published.isoformat() if item.published else None
    return values


def _load_item(values: dict[str, Any]) -> FeedItem:
    published = values.get("published")
    return FeedItem(
        **{**values, "published": datetime.fromisoformat(published) if published else None}
    )
