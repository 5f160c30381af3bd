"""A downloaded image made safe to serve: checked, decoded once, resized, thumbnailed, hashed.

`process_image(data)` takes the bytes the worker fetched and returns what the store keeps: a
resized copy (at most `ImageLimits.width` wide), a thumbnail, both re-encoded (WebP by default)
from pixels only, so no metadata survives (EXIF with GPS, XMP, comments, ICC), and the pHash.
It refuses, with `ImageRejected` and a `kind`, anything that is not one of the four raster types
by its magic bytes (E1: HTML, SVG, a lying Content-Type), more than `max_bytes` (E4), or more
than `max_pixels` by its header, before any decoder runs (E4: a pixel bomb). Pillow's own guard,
`Image.MAX_IMAGE_PIXELS`, is set to the same cap as a second line, and Pillow is only ever asked
for the format the bytes were sniffed as, so no other decoder (EPS, PSD…) can be reached.

Pure: bytes in, bytes out; no fetching, no files, no storing.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image, ImageOps

from alaune.errors import ParseError
from alaune.media.phash import phash
from alaune.media.sniff import MEDIA_TYPES, PILLOW_FORMATS, dimensions, sniff

DEFAULT_MAX_PIXELS = 40_000_000  # a 24-megapixel camera's photo fits; 50,000 × 50,000 does not
# Process-wide, on purpose: any Pillow decode in alaune gets the same ceiling.
Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS
_OUTPUT = {"WEBP": "image/webp", "JPEG": "image/jpeg"}
_BACKGROUND = (255, 255, 255)  # transparent areas, flattened for JPEG and for the hash


# What Pillow's decoders raise on damaged or hostile bytes (found by fuzzing them: struct and
# index errors escape from some header parsers); every one is a refused image, never a crash.
_DECODE_ERRORS = (
    OSError, SyntaxError, ValueError, EOFError, MemoryError, struct.error, IndexError, KeyError,
    ZeroDivisionError,
)  # fmt: skip


class ImageRejected(ParseError):
    """The bytes are not an image alaune will store; `kind` names why (counted per outlet)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "not_an_image" | "too_large" | "too_many_pixels" | "corrupt"


@dataclass(frozen=True, slots=True)
class ImageLimits:
    max_bytes: int = 15 * 1024 * 1024
    max_pixels: int = DEFAULT_MAX_PIXELS
    width: int = 1200  # the stored copy's width at most (a wide article column at 2×)
    thumbnail: tuple[int, int] = (400, 400)  # a card's picture, at most
    format: str = "WEBP"  # or "JPEG"
    quality: int = 80


@dataclass(frozen=True, slots=True)
class StoredImage:
    """What the store keeps for one picture."""

    source_type: str  # the sniffed type of what was downloaded: "image/png"…
    width: int  # of the original
    height: int
    media_type: str  # of `data` and `thumbnail`
    data: bytes
    size: tuple[int, int]
    thumbnail: bytes
    thumbnail_size: tuple[int, int]
    phash: str  # 16 hex digits (alaune.media.phash)


DEFAULT_LIMITS = ImageLimits()


def check_image(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> tuple[str, int, int]:
    """(kind, width, height) from the bytes alone; ImageRejected before any decoding."""
    if len(data) > limits.max_bytes:
        raise ImageRejected("too_large", f"image of {len(data)} bytes, over {limits.max_bytes}")
    kind = sniff(data)
    if kind is None:
        raise ImageRejected("not_an_image", "not a JPEG, PNG, WebP or GIF image")
    size = dimensions(data, kind)
    if size is None:
        raise ImageRejected("corrupt", f"unreadable {kind} header")
    width, height = size
    if width * height > limits.max_pixels:
        raise ImageRejected("too_many_pixels", f"{width}×{height} pixels, over {limits.max_pixels}")
    return kind, width, height


def process_image(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> StoredImage:
    """The resized copy, thumbnail and pHash of `data`; ImageRejected when it is refused."""
    if limits.format not in _OUTPUT:
        raise ValueError(f"output format must be one of {sorted(_OUTPUT)}")
    kind, width, height = check_image(data, limits)
    picture = _decode(data, kind, limits)
    resized = _fit(picture, (limits.width, limits.width * 4))
    thumb = _fit(resized, limits.thumbnail)
    return StoredImage(
        source_type=MEDIA_TYPES[kind],
        width=width,
        height=height,
        media_type=_OUTPUT[limits.format],
        data=_encode(resized, limits),
        size=resized.size,
        thumbnail=_encode(thumb, limits),
        thumbnail_size=thumb.size,
        phash=phash(picture),
    )


def _decode(data: bytes, kind: str, limits: ImageLimits) -> Image.Image:
    """The first frame, upright, as RGB; only the sniffed format's decoder is allowed."""
    try:
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]]) as opened:
            if opened.width * opened.height > limits.max_pixels:  # the header lied to us
                raise ImageRejected("too_many_pixels", f"{opened.width}×{opened.height} pixels")
            if kind == "jpeg":
                # Decode a large JPEG at 1/2, 1/4 or 1/8 scale when that still covers the copy.
                opened.draft("RGB", (limits.width, limits.width))
            opened.load()
            upright = ImageOps.exif_transpose(opened)
            return _flatten(upright)
    except Image.DecompressionBombError as exc:
        raise ImageRejected("too_many_pixels", str(exc)) from None
    except ImageRejected:
        raise
    except _DECODE_ERRORS as exc:
        raise ImageRejected("corrupt", f"cannot decode the {kind} image: {exc}") from None


def _flatten(picture: Image.Image) -> Image.Image:
    if picture.mode == "RGB":
        return picture.copy()
    rgba = picture.convert("RGBA")
    flat = Image.new("RGB", rgba.size, _BACKGROUND)
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _fit(picture: Image.Image, box: tuple[int, int]) -> Image.Image:
    """`picture` shrunk to fit in `box`, aspect kept; never enlarged."""
    fitted = picture.copy()
    fitted.thumbnail(box, Image.Resampling.LANCZOS)
    return fitted


def _encode(picture: Image.Image, limits: ImageLimits) -> bytes:
    out = io.BytesIO()
    # Saved from pixels with no exif/icc/xmp argument: nothing of the original's metadata goes.
    picture.save(out, format=limits.format, quality=limits.quality, method=4, optimize=True)
    return out.getvalue()
