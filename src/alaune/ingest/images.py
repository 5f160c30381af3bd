"""The image worker: download pending images (lead and inline) and keep alaune's own safe copies.

`fetch_images(db, fetcher, robots, now=…, limit=…)` takes up to `limit` pending images
(store.images), and for each: checks robots.txt, downloads it through the safe fetcher (address
checks, redirects, deadline and a byte cap: SECURITY.md A, B, E4), runs `media.process_image` in
a worker thread (magic-byte sniffing, size and pixel caps, resizing, thumbnail, pHash: E1, E4),
and stores the result or why it was refused, each image in its own short transaction. A refusal
(`ImageRejected.kind`, robots, a 4xx, an address refused…) is final and keeps no bytes; a passing
failure (timeout, connection, 5xx, 429) leaves the image pending for the next round, until
`max_attempts` downloads have failed. One failing image never stops the others.

It must not decide what the site shows, and never hands an outlet's URL to readers.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from alaune.errors import FetchError
from alaune.fetch import Fetcher, RobotsCache
from alaune.ingest.kinds import is_transient
from alaune.media import SAME_PICTURE, ImageLimits, ImageRejected, StoredImage, process_image
from alaune.store import images as image_store
from alaune.store import moderation as image_moderation
from alaune.store.engine import Database

log = logging.getLogger(__name__)

IMAGE_ACCEPT = "image/webp, image/jpeg, image/png, image/gif;q=0.9"
BATCH = 500  # images one round downloads at most
MAX_ATTEMPTS = 3  # passing failures before an image is given up
CONCURRENCY = 4  # images downloaded and decoded at once (bounds memory: each ≤ max_bytes)


@dataclass(slots=True)
class ImageCounts:
    stored: int = 0
    rejected: int = 0
    retry: int = 0  # left pending after a passing failure

    @property
    def total(self) -> int:
        return self.stored + self.rejected + self.retry


async def fetch_images(
    db: Database,
    fetcher: Fetcher,
    robots: RobotsCache,
    *,
    now: datetime,
    limit: int = BATCH,
    limits: ImageLimits | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> ImageCounts:
    """Download and store up to `limit` pending images; counts of what became of them."""
    limits = limits or ImageLimits()
    with db.read() as conn:
        todo = image_store.pending(conn, limit)
    counts = ImageCounts()
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(image: image_store.PendingImage) -> None:
        async with gate:
            try:
                await _one(db, fetcher, robots, image, now, limits, max_attempts, counts)
            except Exception:  # a bug on one image must not stop the others
                log.exception("image %d failed unexpectedly", image.id)
                _failed(db, image.id, "error", now, max_attempts, counts)

    await asyncio.gather(*(one(image) for image in todo))
    return counts


async def _one(
    db: Database,
    fetcher: Fetcher,
    robots: RobotsCache,
    image: image_store.PendingImage,
    now: datetime,
    limits: ImageLimits,
    max_attempts: int,
    counts: ImageCounts,
) -> None:
    try:
        await robots.check(image.source_url)
        response = await fetcher.get(image.source_url, accept=IMAGE_ACCEPT)
    except FetchError as exc:
        if is_transient(exc):
            _failed(db, image.id, exc.kind, now, max_attempts, counts)
        else:
            _rejected(db, image.id, exc.kind, now, counts)
        return
    if len(response.body) > limits.max_bytes:  # the fetcher's own cap may be larger
        _rejected(db, image.id, "too_large", now, counts)
        return
    try:
        stored = await asyncio.to_thread(process_image, response.body, limits)
    except ImageRejected as exc:
        _rejected(db, image.id, exc.kind, now, counts)
        return
    _stored(db, image.id, stored, now)
    counts.stored += 1


def _stored(db: Database, image_id: int, stored: StoredImage, now: datetime) -> None:
    width, height = stored.size
    with db.write() as conn:
        image_store.save_stored(
            conn,
            image_id,
            media_type=stored.media_type,
            width=width,
            height=height,
            data=stored.data,
            thumbnail=stored.thumbnail,
            phash=stored.phash,
            now=now,
        )
        # A picture moderation already hid (a re-encoded wire copy, the same photo from another
        # outlet) is hidden as it arrives, in the same transaction: it is never served.
        image_moderation.hide_if_matches_hidden(
            conn, image_id, stored.phash, now=now, max_distance=SAME_PICTURE
        )


def _rejected(db: Database, image_id: int, kind: str, now: datetime, counts: ImageCounts) -> None:
    with db.write() as conn:
        image_store.save_rejected(conn, image_id, kind, now=now)
    counts.rejected += 1


def _failed(
    db: Database, image_id: int, kind: str, now: datetime, max_attempts: int, counts: ImageCounts
) -> None:
    with db.write() as conn:
        gave_up = image_store.record_failure(
            conn, image_id, kind, now=now, max_attempts=max_attempts
        )
    if gave_up:
        counts.rejected += 1
    else:
        counts.retry += 1
