"""Images alaune stores: raster types only, capped, resized, stripped, hashed (SECURITY E1, E4)."""

from __future__ import annotations

import io
import itertools
import random
import statistics
import time
import tracemalloc

import pytest
from media_support import encoded, png_bomb
from PIL import Image

from alaune.demo.corpus import load_corpus
from alaune.demo.images import image_bytes, lead_image
from alaune.media import (
    SAME_PICTURE,
    ImageLimits,
    ImageRejected,
    check_image,
    hamming,
    process_image,
    sniff,
)
from alaune.media.sniff import dimensions

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(1)</script></svg>"
)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("E1: an HTML page served as image/png", b"<!DOCTYPE html><html><script>alert(1)</script>",
         "not_an_image"),
        ("E1: an SVG with script", SVG, "not_an_image"),
        ("E1: an SVG behind a BOM and spaces", b"\xef\xbb\xbf  " + SVG, "not_an_image"),
        ("E1: HTML after PNG-looking text", b"PNG<html>", "not_an_image"),
        ("a BMP is not a type alaune serves", encoded("BMP"), "not_an_image"),
        ("a TIFF neither", encoded("TIFF"), "not_an_image"),
        ("nothing", b"", "not_an_image"),
        ("a PNG signature without its header", b"\x89PNG\r\n\x1a\n", "corrupt"),
        ("a truncated JPEG", encoded("JPEG")[:200], "corrupt"),
        ("E4: a 50,000 × 50,000 PNG bomb", png_bomb(), "too_many_pixels"),
        ("E4: a bomb in width only", png_bomb(200_000, 300), "too_many_pixels"),
    ],
)  # fmt: skip
def test_what_is_refused(name: str, data: bytes, kind: str) -> None:
    with pytest.raises(ImageRejected) as refused:
        process_image(data)
    assert refused.value.kind == kind, name


def test_the_pixel_bomb_is_refused_without_decoding_it() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ImageRejected):
        process_image(png_bomb())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000  # bytes; decoding would need 7.5 GB
    assert time.perf_counter() - started < 5  # seconds; refusing takes microseconds


def test_pillow_s_own_guard_is_handled_when_our_cap_is_raised() -> None:
    """MAX_IMAGE_PIXELS is the second line: with our cap lifted, Pillow's bomb error is caught."""
    with pytest.raises(ImageRejected) as refused:
        process_image(png_bomb(), ImageLimits(max_pixels=10**12))
    assert refused.value.kind == "too_many_pixels"
    assert ImageLimits().max_pixels == Image.MAX_IMAGE_PIXELS


def test_E4_a_huge_file_is_refused_by_its_size_first() -> None:
    data = encoded("PNG", (300, 300))
    with pytest.raises(ImageRejected) as refused:
        process_image(data, ImageLimits(max_bytes=len(data) - 1))
    assert refused.value.kind == "too_large"


@pytest.mark.parametrize(
    ("fmt", "kind", "save"),
    [
        ("JPEG", "jpeg", {}),
        ("JPEG", "jpeg", {"progressive": True}),
        ("PNG", "png", {}),
        ("WEBP", "webp", {"quality": 80}),
        ("WEBP", "webp", {"lossless": True}),
        ("GIF", "gif", {}),
    ],
)
def test_the_four_raster_types_are_sniffed_sized_and_accepted(
    fmt: str, kind: str, save: dict[str, object]
) -> None:
    data = encoded(fmt, (130, 70), **save)
    assert sniff(data) == kind
    assert dimensions(data, kind) == (130, 70)
    assert check_image(data) == (kind, 130, 70)
    stored = process_image(data)
    assert (stored.width, stored.height, stored.source_type) == (130, 70, f"image/{kind}")
    assert stored.media_type == "image/webp"
    assert Image.open(io.BytesIO(stored.data)).format == "WEBP"


def test_an_extended_webp_header_is_sized_too() -> None:
    data = encoded("WEBP", (130, 70), mode="RGBA", exif=Image.Exif().tobytes())
    assert data[12:16] == b"VP8X"
    assert dimensions(data, "webp") == (130, 70)


def test_the_copy_is_resized_the_thumbnail_smaller_and_nothing_enlarged() -> None:
    stored = process_image(encoded("JPEG", (3000, 2000)))
    assert stored.size == (1200, 800)
    assert stored.thumbnail_size == (400, 267)
    small = process_image(encoded("PNG", (300, 100)))
    assert small.size == (300, 100)
    jpeg = process_image(encoded("PNG", (300, 100)), ImageLimits(format="JPEG"))
    assert jpeg.media_type == "image/jpeg"
    assert Image.open(io.BytesIO(jpeg.data)).format == "JPEG"


def test_metadata_is_stripped_and_orientation_applied() -> None:
    picture = Image.new("RGB", (80, 40), (10, 120, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {2: (33.0, 35.0, 0.0), 1: "N", 4: (7.0, 36.0, 0.0), 3: "W"}  # GPS position
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif, comment=b"secret note")
    assert b"Camera maker" in out.getvalue()
    stored = process_image(out.getvalue())
    assert stored.size == (40, 80)  # upright
    for data in (stored.data, stored.thumbnail):
        reopened = Image.open(io.BytesIO(data))
        assert dict(reopened.getexif()) == {}
        assert not reopened.info.get("exif")
        assert not reopened.info.get("icc_profile")
        assert b"Camera maker" not in data
        assert b"secret note" not in data


def test_transparency_is_flattened_and_an_animated_gif_gives_its_first_frame() -> None:
    clear = process_image(encoded("PNG", (20, 20), mode="RGBA"))
    assert Image.open(io.BytesIO(clear.data)).convert("RGB").getpixel((10, 10)) == (255, 255, 255)
    frames = [Image.new("RGB", (30, 30), colour) for colour in ("red", "blue", "green")]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    first = Image.open(io.BytesIO(process_image(out.getvalue()).data)).convert("RGB")
    red, green, blue = first.getpixel((15, 15))
    assert (red > 200, green < 60, blue < 60) == (True, True, True)


def test_wire_copies_of_the_demo_share_a_hash_and_different_stories_do_not() -> None:
    """demo/images.py serves a wire copy's picture resized and re-encoded (WebP, PNG, JPEG)."""
    corpus = load_corpus()
    copied = {key for group in corpus.wire_groups() for key in group}
    others = [a.key for a in corpus.articles if a.key not in copied][:25]  # drawing costs ~20 ms
    hashes = []
    for key in sorted(copied) + others:
        group = corpus.image_group(key)
        hashes.append((group, process_image(image_bytes(lead_image(key, group))).phash))
    same, different = [], []
    for (group_a, hash_a), (group_b, hash_b) in itertools.combinations(hashes, 2):
        (same if group_a == group_b else different).append(hamming(hash_a, hash_b))
    assert len(same) >= len(corpus.wire_groups())
    assert max(same) <= SAME_PICTURE
    assert min(different) > SAME_PICTURE
    assert statistics.median(different) >= 24


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_damaged_images_are_refused_never_crash(fmt: str) -> None:
    data = encoded(fmt, (120, 90))
    rng = random.Random(fmt)
    damaged = [data[:cut] for cut in range(0, len(data), max(1, len(data) // 40))]
    for _ in range(60):
        flipped = bytearray(data)
        for _ in range(4):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        damaged.append(bytes(flipped))
    kinds = set()
    for sample in damaged:
        try:
            process_image(sample)  # a flipped byte in pixel data can still decode: fine
        except ImageRejected as refused:  # anything else escaping fails the test
            kinds.add(refused.kind)
    assert kinds <= {"not_an_image", "corrupt", "too_many_pixels"}
    assert "corrupt" in kinds


def test_hamming() -> None:
    assert hamming("0" * 16, "f" * 16) == 64
    assert hamming("8000000000000001", "0000000000000000") == 2
    with pytest.raises(ValueError, match="16 hex"):
        hamming("abc", "abd")
