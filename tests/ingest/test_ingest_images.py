"""The image worker: the demo outlets' lead images stored after one crawl, wire copies' pictures
recognised by pHash, and hostile image servers (SECURITY.md E1, E4) refused with the right kind."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import struct
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from feed_site import FeedSite, Page
from ingest_support import T0
from PIL import Image
from sqlalchemy import insert, select

from alaune.config import Settings, load_settings
from alaune.demo.server import DemoOutlets
from alaune.fetch import Allowlist, Fetcher, FetchPolicy, RobotsCache
from alaune.ingest.images import ImageCounts, fetch_images
from alaune.ingest.pipeline import Crawler
from alaune.media import SAME_PICTURE, ImageLimits, hamming
from alaune.store import images as image_store
from alaune.store.engine import Database
from alaune.store.schema import articles, images


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoOutlets]:
    with DemoOutlets() as outlets:
        yield outlets


def _crawl_demo(db: Database, demo: DemoOutlets) -> None:
    settings: Settings = dataclasses.replace(load_settings(env={}), fetch_allow=list(demo.allow))

    async def run() -> None:
        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            crawler = Crawler(db, fetcher)
            crawler.register(demo.registry())
            await crawler.crawl_once()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


def test_one_crawl_stores_every_lead_image_and_wire_copies_match_their_original(
    sqlite_db: Database, demo: DemoOutlets
) -> None:
    _crawl_demo(sqlite_db, demo)
    with sqlite_db.read() as conn:
        rows = conn.execute(
            select(
                articles.c.id,
                articles.c.copy_of,
                images.c.status,
                images.c.reject_kind,
                images.c.phash,
                images.c.media_type,
                images.c.width,
                images.c.data,
                images.c.thumbnail,
            ).join(images, images.c.id == articles.c.image_id)
        ).all()
        with_image = conn.execute(
            select(articles.c.id).where(articles.c.image_id.is_not(None))
        ).all()
    assert len(rows) == len(with_image) > 100
    unstored = [(r.id, r.status, r.reject_kind) for r in rows if r.status != "stored"]
    assert unstored == []
    for row in rows:
        assert row.media_type == "image/webp"
        assert row.width <= 1200
        assert row.data[:4] == b"RIFF"
        assert row.thumbnail[:4] == b"RIFF"
        assert len(row.phash) == 16
    by_id = {row.id: row for row in rows}
    copies = [row for row in rows if row.copy_of is not None and row.copy_of in by_id]
    assert len(copies) >= 5
    for copy in copies:
        assert hamming(copy.phash, by_id[copy.copy_of].phash) <= SAME_PICTURE <= 10


# --- hostile image servers (E1, E4) ---------------------------------------------------------


def _jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def _noise_png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 90).convert("RGB").save(out, format="PNG", compress_level=0)
    return out.getvalue()


def _png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


HOSTILE = {
    "/html.png": (Page(b"<!doctype html><script>alert(1)</script>", "text/html"), "not_an_image"),
    "/svg.svg": (
        Page(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        "not_an_image",
    ),
    "/lying.png": (
        Page(b"<html><body onload=alert(1)>x</body></html>", "image/png"),
        "not_an_image",
    ),
    "/bomb.png": (Page(_png_bomb(), "image/png"), "too_many_pixels"),
    "/oversize.png": (Page(_noise_png((400, 400)), "image/png"), "too_large"),
    "/gone.jpg": (Page(b"gone", "text/plain", 404), "http_status"),
}


def _add_pending(db: Database, *urls: str) -> dict[str, int]:
    with db.write() as conn:
        for url in urls:
            conn.execute(insert(images).values(source_url=url, first_seen_at=T0))
        return {
            row.source_url: row.id for row in conn.execute(select(images.c.id, images.c.source_url))
        }


async def _run(
    db: Database, site: FeedSite, *, limits: ImageLimits | None = None, max_bytes: int = 2**20
) -> ImageCounts:
    policy = FetchPolicy(
        allow=Allowlist.parse([site.addr]), timeout=5.0, connect_timeout=2.0, max_bytes=max_bytes
    )
    async with Fetcher(policy) as fetcher:
        return await fetch_images(
            db, fetcher, RobotsCache(fetcher), now=T0, limit=50, limits=limits
        )


async def test_hostile_images_are_rejected_with_their_kind_and_nothing_is_stored(
    db: Database, site: FeedSite
) -> None:
    for path, (page, _) in HOSTILE.items():
        site.routes[path] = page
    site.routes["/fine.jpg"] = Page(_jpeg(), "image/jpeg")
    ids = _add_pending(db, *(site.url(p) for p in [*HOSTILE, "/fine.jpg"]))
    # The stored copy may be at most 200 KB: the 480 KB uncompressed PNG is over it.
    counts = await _run(db, site, limits=ImageLimits(max_bytes=200_000))
    assert (counts.stored, counts.rejected, counts.retry) == (1, len(HOSTILE), 0)
    with db.read() as conn:
        rows = {
            row.id: row
            for row in conn.execute(
                select(
                    images.c.id, images.c.status, images.c.reject_kind, images.c.data,
                    images.c.thumbnail, images.c.media_type,
                )
            )
        }  # fmt: skip
        for path, (_, kind) in HOSTILE.items():
            row = rows[ids[site.url(path)]]
            assert (row.status, row.reject_kind) == ("rejected", kind), path
            assert row.data is None
            assert row.thumbnail is None
            assert row.media_type is None
            assert image_store.served(conn, row.id) is None
        fine = image_store.served(conn, ids[site.url("/fine.jpg")])
    assert fine is not None
    assert fine.media_type == "image/webp"
    assert rows[ids[site.url("/fine.jpg")]].status == "stored"
    # Nothing left pending: the next round has nothing to do.
    assert await _run(db, site) == ImageCounts()


async def test_a_body_over_the_fetchers_cap_is_rejected_too_large(
    db: Database, site: FeedSite
) -> None:
    site.routes["/big.png"] = Page(_noise_png((600, 600)), "image/png")
    ids = _add_pending(db, site.url("/big.png"))
    counts = await _run(db, site, max_bytes=100_000)
    assert counts.rejected == 1
    with db.read() as conn:
        row = conn.execute(
            select(images.c.status, images.c.reject_kind, images.c.data).where(
                images.c.id == ids[site.url("/big.png")]
            )
        ).one()
    assert tuple(row) == ("rejected", "too_large", None)


async def test_a_passing_failure_stays_pending_then_gives_up_after_the_attempts(
    db: Database, site: FeedSite
) -> None:
    site.routes["/busy.jpg"] = Page(b"busy", "text/plain", 503)
    ids = _add_pending(db, site.url("/busy.jpg"))
    first = await _run(db, site)
    assert (first.retry, first.rejected) == (1, 0)
    with db.read() as conn:
        assert [p.id for p in image_store.pending(conn, 10)] == [ids[site.url("/busy.jpg")]]
    site.routes["/busy.jpg"] = Page(_jpeg(), "image/jpeg")  # the server recovered
    second = await _run(db, site)
    assert second.stored == 1
    site.routes["/down.jpg"] = Page(b"busy", "text/plain", 503)
    _add_pending(db, site.url("/down.jpg"))
    outcomes = [await _run(db, site) for _ in range(4)]
    assert [(c.retry, c.rejected) for c in outcomes] == [(1, 0), (1, 0), (0, 1), (0, 0)]
    assert site.hits["/down.jpg"] == 3


async def test_a_new_copy_of_a_hidden_picture_is_hidden_as_it_is_stored(
    db: Database, site: FeedSite
) -> None:
    from alaune.store import moderation as image_moderation

    site.routes["/first.jpg"] = Page(_noise_jpeg(seed=1), "image/jpeg")
    site.routes["/other.jpg"] = Page(_noise_jpeg(seed=2), "image/jpeg")
    ids = _add_pending(db, site.url("/first.jpg"), site.url("/other.jpg"))
    await _run(db, site)
    with db.write() as conn:
        image_moderation.hide(
            conn, ids[site.url("/first.jpg")], reason="reports", now=T0, max_distance=SAME_PICTURE
        )
    # The same photo, re-encoded smaller by another outlet, arrives later.
    site.routes["/copy.jpg"] = Page(_noise_jpeg(seed=1, size=(240, 180), quality=60), "image/jpeg")
    copy_id = _add_pending(db, site.url("/copy.jpg"))[site.url("/copy.jpg")]
    await _run(db, site)
    with db.read() as conn:
        row = conn.execute(
            select(
                images.c.status, images.c.hidden, images.c.hidden_reason, images.c.hidden_source
            ).where(images.c.id == copy_id)
        ).one()
        other = conn.execute(
            select(images.c.hidden).where(images.c.id == ids[site.url("/other.jpg")])
        ).scalar_one()
        assert image_store.served(conn, copy_id) is None
    assert tuple(row) == ("stored", True, "match", ids[site.url("/first.jpg")])
    assert other is False


def _noise_jpeg(*, seed: int, size: tuple[int, int] = (480, 360), quality: int = 90) -> bytes:
    import random

    rng = random.Random(seed)
    small = Image.new("L", (8, 6))
    small.putdata([rng.randrange(256) for _ in range(48)])
    out = io.BytesIO()
    small.resize(size, Image.Resampling.BICUBIC).convert("RGB").save(
        out, format="JPEG", quality=quality
    )
    return out.getvalue()
