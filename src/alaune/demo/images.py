"""Pictures of the demo articles (the lead picture, and one inline figure), drawn with Pillow.

A picture is a function of its image group (the key of the article that first ran it): a sky
gradient, a line of hills and a few shapes, all seeded from the key, so that every story and every
original article looks different, while a wire copy shows the same picture served at another size
or in another format, as republishers do. An article's inline figure (`figure_image`) is drawn
the same way from its own key, so a wire copy's figure is its original's too. Rendered bytes are
cached in memory.

Must not read files, use the network or look at the clock: the same key always gives the same
bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw

from alaune.demo.urls import media_stem

#: Size and format of an original's picture.
ORIGINAL = ("JPEG", 640, 360)
#: What a wire copy serves instead: the same picture resized, re-encoded or both.
COPY_VARIANTS = (("WEBP", 640, 360), ("JPEG", 480, 270), ("PNG", 512, 288), ("JPEG", 800, 450))
_EXTENSIONS = {"JPEG": "jpg", "WEBP": "webp", "PNG": "png"}
_CANVAS = (640, 360)  # drawn once at this size, then resized for variants
_FIGURE = "#figure"  # the inline figure's picture and key: its article's, suffixed


@dataclass(frozen=True, slots=True)
class LeadImage:
    """The lead image of one article: which picture, and how this article serves it."""

    key: str  # the article that serves it
    group: str  # the article whose picture it is
    format: str  # JPEG | WEBP | PNG
    width: int
    height: int

    @property
    def name(self) -> str:
        return f"{media_stem(self.key)}.{_EXTENSIONS[self.format]}"

    @property
    def path(self) -> str:
        return f"/media/{self.name}"

    @property
    def media_type(self) -> str:
        return f"image/{self.format.lower()}"


def lead_image(key: str, group: str) -> LeadImage:
    """How article `key` serves the picture of `group` (itself, or the original it copies)."""
    if key == group:
        fmt, width, height = ORIGINAL
    else:
        fmt, width, height = COPY_VARIANTS[_seed(key) % len(COPY_VARIANTS)]
    return LeadImage(key=key, group=group, format=fmt, width=width, height=height)


def figure_image(key: str, group: str) -> LeadImage:
    """How article `key` serves the inline figure of `group` (a picture of its own)."""
    return lead_image(key + _FIGURE, group + _FIGURE)


def image_bytes(image: LeadImage) -> bytes:
    """The encoded image, rendered once per (picture, size, format) and then cached."""
    return _encode(image.group, image.format, image.width, image.height)


@functools.lru_cache(maxsize=2048)
def _encode(group: str, fmt: str, width: int, height: int) -> bytes:
    picture = _draw(group)
    if (width, height) != picture.size:
        picture = picture.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A copy's JPEG is re-encoded at a lower quality, as a republisher's CMS would do.
    quality = 85 if (fmt, width, height) == ORIGINAL else 72
    picture.save(out, format=fmt, quality=quality)
    return out.getvalue()


@functools.lru_cache(maxsize=256)
def _draw(group: str) -> Image.Image:
    rng = random.Random(_seed(group))
    picture = _sky(rng)
    layer = Image.new("RGBA", _CANVAS, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    _sun(draw, rng)
    _hills(draw, rng)
    for _ in range(rng.randint(3, 6)):
        _shape(draw, rng)
    picture.alpha_composite(layer)
    return picture.convert("RGB")


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _colour(rng: random.Random, alpha: int = 255) -> tuple[int, int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256), alpha)


def _sky(rng: random.Random) -> Image.Image:
    # Rotated on a larger square, then cropped, so that no corner is left unfilled.
    square = Image.linear_gradient("L").resize((800, 800)).rotate(rng.uniform(-40, 40))
    mask = square.crop((80, 220, 80 + _CANVAS[0], 220 + _CANVAS[1]))
    top = Image.new("RGBA", _CANVAS, _colour(rng))
    bottom = Image.new("RGBA", _CANVAS, _colour(rng))
    return Image.composite(bottom, top, mask)


def _sun(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    x, y, r = rng.randint(60, 580), rng.randint(30, 160), rng.randint(25, 70)
    draw.ellipse((x - r, y - r, x + r, y + r), fill=_colour(rng, 230))


def _hills(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    width, height = _CANVAS
    points = [(0, height)]
    for x in range(0, width + 80, 80):
        points.append((x, rng.randint(height // 2, height - 40)))
    points.append((width, height))
    draw.polygon(points, fill=_colour(rng))


def _shape(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    x, y = rng.randint(0, 600), rng.randint(0, 330)
    w, h = rng.randint(40, 220), rng.randint(30, 160)
    fill = _colour(rng, rng.randint(140, 255))
    kind = rng.choice(("ellipse", "rectangle", "triangle"))
    if kind == "ellipse":
        draw.ellipse((x, y, x + w, y + h), fill=fill)
    elif kind == "rectangle":
        draw.rectangle((x, y, x + w, y + h), fill=fill)
    else:
        draw.polygon([(x, y + h), (x + w // 2, y), (x + w, y + h)], fill=fill)
