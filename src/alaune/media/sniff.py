"""What an image really is: its type from its first bytes, its size from its header.

A server's `Content-Type` is never trusted (SECURITY.md E1): an HTML page or an SVG with script
served as `image/png` must not be stored as an image. Only the four raster types alaune serves
are recognised — JPEG, PNG, WebP, GIF — by their magic bytes; everything else is `None`.
`dimensions` reads width and height from the header alone (PNG IHDR, GIF screen descriptor,
WebP VP8/VP8L/VP8X, JPEG start-of-frame), so that a pixel bomb (E4: a 50,000 × 50,000 PNG of a
few kilobytes) is refused before any decoder allocates a pixel.

Pure: bytes in, facts out; nothing is decoded, fetched or written.
"""

from __future__ import annotations

KINDS = ("jpeg", "png", "webp", "gif")
MEDIA_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
# JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic); not DHT C4, JPG C8,
# DAC CC, which share the range.
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and RSTn carry no length
_MAX_JPEG_SCAN = 4 * 1024 * 1024  # the frame header comes before the image data


def sniff(data: bytes) -> str | None:
    """The type `data` starts like ("jpeg", "png", "webp" or "gif"), else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return None


def dimensions(data: bytes, kind: str) -> tuple[int, int] | None:
    """(width, height) as the header states them, or None when the header is unreadable."""
    reader = {"png": _png, "gif": _gif, "webp": _webp, "jpeg": _jpeg}.get(kind)
    size = reader(data) if reader else None
    return size if size and size[0] > 0 and size[1] > 0 else None


def _png(data: bytes) -> tuple[int, int] | None:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _gif(data: bytes) -> tuple[int, int] | None:
    if len(data) < 10:
        return None
    return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width = int.from_bytes(data[26:28], "little") & 0x3FFF
        height = int.from_bytes(data[28:30], "little") & 0x3FFF
        return width, height
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG segments to the first start-of-frame, which states the size."""
    position, end = 2, min(len(data), _MAX_JPEG_SCAN)
    while position + 4 <= end:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _STANDALONE:
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if marker in _SOF:
            if position + 9 > end:
                return None
            height = int.from_bytes(data[position + 5 : position + 7], "big")
            width = int.from_bytes(data[position + 7 : position + 9], "big")
            return width, height
        if marker in (0xD9, 0xDA) or length < 2:  # end of image, or scan data before a frame
            return None
        position += 2 + length
    return None
