"""Moderation state of images: hide, restore, approve, and the admin queue's reading.

Hiding never deletes: `hidden` stops the site from serving the bytes and from showing the picture,
and says why. `hide` spreads to every image that is the same picture: the images of the other
articles of the same wire-copy group (dedupe's `copy_of`) and any stored image whose perceptual
hash is within `max_distance` bits (those are hidden with reason `match` and the source image
named, so that restoring the source restores them). An image an admin approved is never hidden
by a spread or by readers. `restore` undoes a hide and its spread, and approves the image (an
admin looked at it). This module must not decide when to hide: alaune.moderation does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, or_, select, update

from alaune.store.images import STORED
from alaune.store.schema import article_images, articles, images, outlets

REPORTS, ADMIN, MATCH = "reports", "admin", "match"


@dataclass(frozen=True, slots=True)
class ImageState:
    id: int
    stored: bool
    hidden: bool
    approved: bool
    needs_review: bool
    hidden_reason: str | None
    outlet_id: str | None  # of the first article that shows it


@dataclass(frozen=True, slots=True)
class Appearance:
    article_id: int
    title: str
    outlet_id: str
    outlet_name: str


def state(conn: Connection, image_id: int) -> ImageState | None:
    row = conn.execute(
        select(
            images.c.id,
            images.c.status,
            images.c.hidden,
            images.c.approved,
            images.c.needs_review,
            images.c.hidden_reason,
        ).where(images.c.id == image_id)
    ).first()
    if row is None:
        return None
    shown = appearances(conn, image_id, limit=1)
    return ImageState(
        id=row.id,
        stored=row.status == STORED,
        hidden=bool(row.hidden),
        approved=bool(row.approved),
        needs_review=bool(row.needs_review),
        hidden_reason=row.hidden_reason,
        outlet_id=shown[0].outlet_id if shown else None,
    )


def appearances(conn: Connection, image_id: int, *, limit: int = 20) -> list[Appearance]:
    """The articles that show `image_id`, as lead or inline image, newest first."""
    inline = select(article_images.c.article_id).where(article_images.c.image_id == image_id)
    query = (
        select(articles.c.id, articles.c.title, articles.c.outlet_id, outlets.c.name)
        .join(outlets, outlets.c.id == articles.c.outlet_id)
        .where(or_(articles.c.image_id == image_id, articles.c.id.in_(inline)))
        .order_by(articles.c.published_at.desc())
        .limit(limit)
    )
    return [Appearance(row[0], row[1], row[2], row[3]) for row in conn.execute(query)]


def hide(
    conn: Connection, image_id: int, *, reason: str, now: datetime, max_distance: int
) -> list[int]:
    """Hide `image_id` and every image that is the same picture; returns the ids now hidden."""
    conn.execute(
        update(images)
        .where(images.c.id == image_id)
        .values(
            hidden=True,
            hidden_reason=reason,
            hidden_source=None,
            hidden_at=now,
            needs_review=reason == REPORTS,
        )
    )
    spread = [i for i in same_picture(conn, image_id, max_distance=max_distance) if i != image_id]
    hidden = [image_id]
    for other in spread:
        result = conn.execute(
            update(images)
            .where(images.c.id == other)
            .where(images.c.hidden.is_(False), images.c.approved.is_(False))
            .values(hidden=True, hidden_reason=MATCH, hidden_source=image_id, hidden_at=now)
        )
        if result.rowcount:
            hidden.append(other)
    return hidden


def restore(conn: Connection, image_id: int, *, now: datetime) -> list[int]:
    """Show `image_id` again, with the images hidden because of it; approves it."""
    followers = list(
        conn.execute(
            select(images.c.id).where(
                images.c.hidden_source == image_id, images.c.hidden_reason == MATCH
            )
        ).scalars()
    )
    ids = [image_id, *followers]
    conn.execute(
        update(images)
        .where(images.c.id.in_(ids))
        .values(hidden=False, hidden_reason=None, hidden_source=None, hidden_at=None)
    )
    approve(conn, image_id)
    return ids


def approve(conn: Connection, image_id: int) -> None:
    """An admin looked and found nothing wrong: immune to readers' reports from now on."""
    conn.execute(
        update(images).where(images.c.id == image_id).values(approved=True, needs_review=False)
    )


def flag(conn: Connection, image_id: int) -> None:
    """Put `image_id` in the admin queue without hiding it."""
    conn.execute(update(images).where(images.c.id == image_id).values(needs_review=True))


def dismiss(conn: Connection, image_id: int) -> None:
    """Take `image_id` out of the queue, leaving it as it is."""
    conn.execute(update(images).where(images.c.id == image_id).values(needs_review=False))


def review_ids(conn: Connection, *, limit: int) -> list[int]:
    query = (
        select(images.c.id)
        .where(images.c.needs_review.is_(True))
        .order_by(images.c.id.desc())
        .limit(limit)
    )
    return [int(i) for i in conn.execute(query).scalars()]


def hidden_ids(conn: Connection, *, limit: int) -> list[int]:
    query = (
        select(images.c.id)
        .where(images.c.hidden.is_(True))
        .order_by(images.c.hidden_at.desc(), images.c.id.desc())
        .limit(limit)
    )
    return [int(i) for i in conn.execute(query).scalars()]


def same_picture(conn: Connection, image_id: int, *, max_distance: int) -> list[int]:
    """Images that are this picture: the wire-copy group's images and near pHashes."""
    found = set(_copy_group_images(conn, image_id))
    phash = conn.execute(select(images.c.phash).where(images.c.id == image_id)).scalar()
    if phash:
        found.update(near_phash(conn, phash, max_distance=max_distance))
    found.discard(image_id)
    return sorted(found)


def near_phash(
    conn: Connection, phash: str, *, max_distance: int, hidden_only: bool = False
) -> list[int]:
    """Stored images whose pHash is within `max_distance` bits of `phash`.

    A linear scan of 16-hex-digit strings: about a second per million images, and it runs only
    when an image is hidden or stored, never for a reader's page.
    """
    target = int(phash, 16)
    query = select(images.c.id, images.c.phash).where(
        images.c.status == STORED, images.c.phash.is_not(None)
    )
    if hidden_only:
        query = query.where(images.c.hidden.is_(True), images.c.hidden_reason != MATCH)
    near = []
    for row in conn.execute(query):
        try:
            if (int(row.phash, 16) ^ target).bit_count() <= max_distance:
                near.append(int(row.id))
        except ValueError:
            continue
    return near


def hide_if_matches_hidden(
    conn: Connection, image_id: int, phash: str, *, now: datetime, max_distance: int
) -> int | None:
    """A newly stored image that is a hidden picture is hidden at once (reason `match`);
    returns the hidden image it matched."""
    for source in near_phash(conn, phash, max_distance=max_distance, hidden_only=True):
        if source != image_id:
            conn.execute(
                update(images)
                .where(images.c.id == image_id, images.c.approved.is_(False))
                .values(hidden=True, hidden_reason=MATCH, hidden_source=source, hidden_at=now)
            )
            return source
    return None


def _copy_group_images(conn: Connection, image_id: int) -> set[int]:
    """The lead images of the other articles of the wire-copy groups whose lead is `image_id`.
    (An inline picture spreads by its pHash only: the copies' other pictures are not it.)"""
    showing = select(articles.c.id, articles.c.copy_of).where(articles.c.image_id == image_id)
    rows = conn.execute(showing).all()
    roots = {row.copy_of or row.id for row in rows}
    if not roots:
        return set()
    group = select(articles.c.image_id).where(
        or_(articles.c.id.in_(roots), articles.c.copy_of.in_(roots)),
        articles.c.id.not_in([row.id for row in rows]),
        articles.c.image_id.is_not(None),
    )
    return {int(i) for i in conn.execute(group).scalars()}


def hidden_leads(conn: Connection, article_ids: list[int]) -> set[int]:
    """The articles among `article_ids` whose stored lead image is hidden (they show a
    placeholder instead)."""
    if not article_ids:
        return set()
    query = (
        select(articles.c.id)
        .join(images, images.c.id == articles.c.image_id)
        .where(
            articles.c.id.in_(article_ids),
            images.c.status == STORED,
            images.c.hidden.is_(True),
        )
    )
    return {int(i) for i in conn.execute(query).scalars()}


def thumbnail_for_review(conn: Connection, image_id: int) -> tuple[str, bytes] | None:
    """(type, bytes) of a stored image's thumbnail, hidden or not: for admins only."""
    row = conn.execute(
        select(images.c.media_type, images.c.thumbnail).where(
            images.c.id == image_id, images.c.status == STORED
        )
    ).first()
    if row is None or not row.thumbnail or not row.media_type:
        return None
    return str(row.media_type), bytes(row.thumbnail)
