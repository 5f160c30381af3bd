"""Lead images: the queue the image worker downloads, alaune's stored copies, what the site shows.

A row starts `pending` when an article names its lead image (store.articles). The worker
(`ingest.images`) takes `pending(conn, limit)`, then either `save_stored` (the resized copy, the
thumbnail and the pHash that `media.process_image` made) or `save_rejected` (why not, for good);
a download that failed for a passing reason is `record_failure`, which gives up after
`max_attempts`. The site reads `served` (bytes and type, only when stored and not hidden) and
`shown` (which articles have a picture to show, with its size and paths).

Paths are those the web's route table serves (`/images/<id>/<name>`, `/images/<id>/thumb/<name>`).
This module never fetches and never holds an outlet's URL for display: only our own paths leave it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from sqlalchemy import Connection, delete, insert, select, update

from alaune.store.dialect import insert_ignore
from alaune.store.schema import article_images, articles, images
from alaune.text.urls import absolute_http_url

PENDING, STORED, REJECTED = "pending", "stored", "rejected"
THUMBNAIL_BOX = (400, 400)  # media.ImageLimits().thumbnail: the thumbnail fits in it
_EXTENSIONS = {"image/webp": "webp", "image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class PendingImage:
    id: int
    source_url: str
    attempts: int


@dataclass(frozen=True, slots=True)
class ServedImage:
    media_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ShownImage:
    """A stored, visible picture: its paths on this site and the size of each copy."""

    id: int
    path: str
    width: int
    height: int
    thumbnail_path: str
    thumbnail_width: int
    thumbnail_height: int


def pending(conn: Connection, limit: int) -> list[PendingImage]:
    """Images still to download, oldest first."""
    query = (
        select(images.c.id, images.c.source_url, images.c.attempts)
        .where(images.c.status == PENDING)
        .order_by(images.c.id)
        .limit(limit)
    )
    return [PendingImage(row.id, row.source_url, row.attempts) for row in conn.execute(query)]


def save_stored(
    conn: Connection,
    image_id: int,
    *,
    media_type: str,
    width: int,
    height: int,
    data: bytes,
    thumbnail: bytes,
    phash: str,
    now: datetime,
) -> None:
    """Keep alaune's copy of image `image_id` (the resized copy and its thumbnail)."""
    if media_type not in _EXTENSIONS:
        raise ValueError(f"not a type alaune serves: {media_type!r}")
    conn.execute(
        update(images)
        .where(images.c.id == image_id)
        .values(
            status=STORED,
            reject_kind=None,
            media_type=media_type,
            width=width,
            height=height,
            data=data,
            thumbnail=thumbnail,
            phash=phash,
            fetched_at=now,
        )
    )


def save_rejected(conn: Connection, image_id: int, kind: str, *, now: datetime) -> None:
    """Give up on image `image_id` for good; `kind` says why. No bytes are kept."""
    conn.execute(
        update(images)
        .where(images.c.id == image_id)
        .values(
            status=REJECTED,
            reject_kind=kind[:32],
            media_type=None,
            data=None,
            thumbnail=None,
            fetched_at=now,
        )
    )


def record_failure(
    conn: Connection, image_id: int, kind: str, *, now: datetime, max_attempts: int
) -> bool:
    """Count a passing failure; rejects the image once `max_attempts` are spent (True then)."""
    attempts = conn.execute(select(images.c.attempts).where(images.c.id == image_id)).scalar()
    spent = int(attempts or 0) + 1
    conn.execute(
        update(images)
        .where(images.c.id == image_id)
        .values(attempts=spent, reject_kind=kind[:32], fetched_at=now)
    )
    if spent >= max_attempts:
        save_rejected(conn, image_id, kind, now=now)
        return True
    return False


def served(conn: Connection, image_id: int, *, thumbnail: bool = False) -> ServedImage | None:
    """The bytes to serve for `image_id`; None unless it is stored and not hidden."""
    column = images.c.thumbnail if thumbnail else images.c.data
    row = conn.execute(
        select(images.c.media_type, column.label("blob")).where(
            images.c.id == image_id,
            images.c.status == STORED,
            images.c.hidden.is_(False),
        )
    ).first()
    if row is None or not row.blob or row.media_type not in _EXTENSIONS:
        return None
    return ServedImage(media_type=row.media_type, data=bytes(row.blob))


def set_hidden(conn: Connection, image_id: int, hidden: bool) -> None:
    """Stop (or resume) serving image `image_id`; the moderation issue's switch."""
    conn.execute(update(images).where(images.c.id == image_id).values(hidden=hidden))


def shown(conn: Connection, article_ids: Iterable[int]) -> dict[int, ShownImage]:
    """The picture each of `article_ids` may show (stored, not hidden), by article id."""
    wanted = sorted(set(article_ids))
    found: dict[int, ShownImage] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = (
            select(
                articles.c.id.label("article_id"),
                images.c.id,
                images.c.media_type,
                images.c.width,
                images.c.height,
            )
            .join(images, images.c.id == articles.c.image_id)
            .where(
                articles.c.id.in_(wanted[start : start + _CHUNK]),
                images.c.status == STORED,
                images.c.hidden.is_(False),
            )
        )
        for row in conn.execute(query):
            if row.media_type in _EXTENSIONS and row.width and row.height:
                found[row.article_id] = _shown(row.id, row.media_type, row.width, row.height)
    return found


def _shown(image_id: int, media_type: str, width: int, height: int) -> ShownImage:
    name = f"alaune-{image_id}.{_EXTENSIONS[media_type]}"
    thumb_width, thumb_height = thumbnail_size(width, height)
    return ShownImage(
        id=image_id,
        path=f"/images/{image_id}/{name}",
        width=width,
        height=height,
        thumbnail_path=f"/images/{image_id}/thumb/{name}",
        thumbnail_width=thumb_width,
        thumbnail_height=thumb_height,
    )


def thumbnail_size(
    width: int, height: int, box: tuple[int, int] = THUMBNAIL_BOX
) -> tuple[int, int]:
    """The thumbnail's size for a copy of `width` × `height` (aspect kept, never enlarged)."""
    scale = min(1.0, box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


# --- inline images: the pictures inside an article's body ----------------------------------

MAX_INLINE = 20  # pictures kept per article: a gallery of hundreds is not an article's body


def queue(conn: Connection, url: str, *, now: datetime) -> int:
    """The id of the image at `url`, queued `pending` for the worker when it is new."""
    new_id = insert_ignore(conn, images, {"source_url": url, "first_seen_at": now})
    if new_id is not None:
        return int(new_id)
    return int(conn.execute(select(images.c.id).where(images.c.source_url == url)).scalar_one())


def replace_inline(conn: Connection, article_id: int, urls: Iterable[str], *, now: datetime) -> int:
    """Make `urls` (in body order) article `article_id`'s inline images, replacing those it
    had; each new one is queued for the worker. Only http(s) URLs, each once, never the
    article's lead image, at most `MAX_INLINE`. Returns how many the article now has (0 when
    it is gone)."""
    article = conn.execute(select(articles.c.image_id).where(articles.c.id == article_id)).first()
    if article is None:  # removed meanwhile: its rows went with it (ON DELETE CASCADE)
        return 0
    lead = article.image_id
    conn.execute(delete(article_images).where(article_images.c.article_id == article_id))
    ids = (queue(conn, u, now=now) for u in dict.fromkeys(urls) if absolute_http_url(u) == u)
    kept = list(islice((image_id for image_id in ids if image_id != lead), MAX_INLINE))
    rows = [
        {"article_id": article_id, "position": position, "image_id": image_id}
        for position, image_id in enumerate(kept)
    ]
    if rows:
        conn.execute(insert(article_images), rows)
    return len(rows)


def inline_urls(conn: Connection, article_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The source URLs of each article's inline images, in body order (articles without any
    left out)."""
    wanted = sorted(set(article_ids))
    found: dict[int, list[str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = (
            select(article_images.c.article_id, images.c.source_url)
            .join(images, images.c.id == article_images.c.image_id)
            .where(article_images.c.article_id.in_(wanted[start : start + _CHUNK]))
            .order_by(article_images.c.article_id, article_images.c.position)
        )
        for row in conn.execute(query):
            found.setdefault(row.article_id, []).append(row.source_url)
    return {article_id: tuple(urls) for article_id, urls in found.items()}


def inline_shown(conn: Connection, article_id: int) -> list[ShownImage]:
    """The article's inline images that may be shown (stored, not hidden), in body order."""
    query = (
        select(images.c.id, images.c.media_type, images.c.width, images.c.height)
        .join(article_images, article_images.c.image_id == images.c.id)
        .where(
            article_images.c.article_id == article_id,
            images.c.status == STORED,
            images.c.hidden.is_(False),
        )
        .order_by(article_images.c.position)
    )
    return [
        _shown(row.id, row.media_type, row.width, row.height)
        for row in conn.execute(query)
        if row.media_type in _EXTENSIONS and row.width and row.height
    ]
