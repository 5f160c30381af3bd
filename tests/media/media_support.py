"""Images for the media tests, made in memory with Pillow and by hand (pixel bombs)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageDraw


def encoded(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", **save: object) -> bytes:
    picture = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    if mode == "RGB":
        draw = ImageDraw.Draw(picture)
        for x in range(0, size[0], 8):  # some structure, so the encoders have work to do
            draw.line((x, 0, x, size[1]), fill=(20, 20, 200))
    out = io.BytesIO()
    picture.save(out, format=fmt, **save)
    return out.getvalue()


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A valid PNG header for `width` × `height` pixels with a tiny compressed body.

    Decoding it would need width × height × 3 bytes (7.5 GB for 50,000²); the file is under 1 KB.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
