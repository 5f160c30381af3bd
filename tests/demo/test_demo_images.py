"""Lead pictures: deterministic, distinct per image group, resized or re-encoded for copies."""

from __future__ import annotations

import io

from PIL import Image

from alaune.demo.images import COPY_VARIANTS, ORIGINAL, image_bytes, lead_image


def open_image(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


def test_an_original_is_a_640_by_360_jpeg() -> None:
    image = lead_image("alpha/un", "alpha/un")
    picture = open_image(image_bytes(image))
    assert (picture.format, picture.width, picture.height) == ORIGINAL
    assert image.path.startswith("/media/")
    assert image.path.endswith(".jpg")
    assert image.media_type == "image/jpeg"


def test_copies_serve_every_variant_as_declared() -> None:
    seen = set()
    for i in range(40):
        image = lead_image(f"beta/copie-{i}", "alpha/un")
        picture = open_image(image_bytes(image))
        assert (picture.format, picture.width, picture.height) == (
            image.format,
            image.width,
            image.height,
        )
        assert image.name.endswith({"JPEG": ".jpg", "WEBP": ".webp", "PNG": ".png"}[image.format])
        seen.add((image.format, image.width, image.height))
    assert seen == set(COPY_VARIANTS)
    assert ORIGINAL not in seen


def test_pictures_are_deterministic_and_differ_between_groups() -> None:
    one = image_bytes(lead_image("alpha/un", "alpha/un"))
    assert one == image_bytes(lead_image("alpha/un", "alpha/un"))
    assert one != image_bytes(lead_image("alpha/deux", "alpha/deux"))


def test_each_article_has_its_own_image_url_even_for_one_picture() -> None:
    original = lead_image("alpha/un", "alpha/un")
    copy_ = lead_image("beta/un", "alpha/un")
    assert original.path != copy_.path
