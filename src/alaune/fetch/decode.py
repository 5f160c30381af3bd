"""Content-Encoding decoding with a hard cap on decoded bytes (SECURITY B1).

`BodyDecoder` turns the raw bytes of a response body, fed chunk by chunk, into the representation
the server meant (RFC 9110 §8.4). Every inflate call is bounded with zlib's `max_length`, and the
caller sees the output chunk by chunk, so a 100 KiB gzip bomb never holds more than `max_bytes`
plus one chunk in memory before it fails with `too_large`. Pure: no I/O, no network; it must not
buffer a whole body or call `zlib.decompress` without a bound.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from alaune.errors import FetchError

#: Largest piece one inflate call may produce; the overshoot allowed beyond `max_bytes`.
CHUNK = 64 * 1024
#: More stacked codings than this is an attack or a bug, not a server (each costs a zlib state).
MAX_CODINGS = 4
#: What we send in Accept-Encoding: exactly the codings this module decodes.
ACCEPT_ENCODING = "gzip, deflate"

_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ZLIB_WBITS = zlib.MAX_WBITS
_RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


def _too_large(max_bytes: int) -> FetchError:
    return FetchError("too_large", f"response too large (over {max_bytes} bytes)")


class _Inflate:
    """One gzip or deflate layer, decoded lazily in pieces of at most `CHUNK` bytes."""

    def __init__(self, coding: str, max_bytes: int) -> None:
        self.coding = coding
        self._max_bytes = max_bytes
        self._produced = 0
        self._head = b""  # first bytes of a deflate body, until we know which format it is
        self._inflater: zlib._Decompress | None = None
        self._fed = False
        self._complete = False  # the current stream (or gzip member) has ended
        self._ignore_rest = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._ignore_rest or not data:
            return
        self._fed = True
        if self._complete and not self._next_member(data):
            return
        if self._inflater is None:
            if self.coding == "gzip":
                self._inflater = zlib.decompressobj(_GZIP_WBITS)
            else:
                # RFC 9110 §8.4.1.2: "deflate" is the zlib format, but some servers send raw
                # deflate (no zlib header). Tell them apart by the first two bytes, as browsers do.
                self._head += data
                if len(self._head) < 2:
                    return
                data, self._head = self._head, b""
                wbits = _ZLIB_WBITS if _is_zlib(data) else _RAW_DEFLATE_WBITS
                self._inflater = zlib.decompressobj(wbits)
        yield from self._inflate(self._inflater, data)

    def _next_member(self, data: bytes) -> bool:
        """After a complete stream: RFC 1952 §2.2 lets a gzip body hold several members in a row.
        Anything else after the end (a deflate tail, padding) is ignored, as browsers do."""
        if self.coding != "gzip" or data[0] != 0x1F:
            self._ignore_rest = True
            return False
        self._inflater, self._complete = None, False
        return True

    def _inflate(self, inflater: zlib._Decompress, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                piece = inflater.decompress(data, CHUNK)
            except zlib.error as exc:
                raise FetchError("protocol", f"corrupt {self.coding} body: {exc}") from None
            data = inflater.unconsumed_tail
            if piece:
                self._produced += len(piece)
                if self._produced > self._max_bytes:  # an inner layer of a stacked bomb
                    raise _too_large(self._max_bytes)
                yield piece
            if inflater.eof:
                self._complete = True
                rest = inflater.unused_data + data
                if not rest or not self._next_member(rest):
                    return
                inflater = self._inflater = zlib.decompressobj(_GZIP_WBITS)
                data = rest
                continue
            # A short piece with no input left means zlib has nothing more to give for now.
            if not data and len(piece) < CHUNK:
                return

    def finish(self) -> None:
        if self._fed and not self._complete and not self._ignore_rest:
            raise FetchError("protocol", f"{self.coding} body is truncated")


def _is_zlib(head: bytes) -> bool:
    # RFC 1950 §2.2: CM = 8 (deflate), window ≤ 32 KiB, and CMF·256 + FLG a multiple of 31.
    cmf, flg = head[0], head[1]
    return cmf & 0x0F == 8 and cmf >> 4 <= 7 and (cmf * 256 + flg) % 31 == 0


def parse_codings(content_encoding: str) -> list[str]:
    """The codings of a Content-Encoding value in the order they must be undone.

    RFC 9110 §8.4: codings are listed in the order they were applied, so they are decoded last to
    first. `identity` is no coding; `x-gzip` is gzip (§8.4.1.3). Anything else raises `protocol`.
    """
    names = [n.strip().lower() for n in content_encoding.split(",")]
    codings = ["gzip" if n == "x-gzip" else n for n in names if n and n != "identity"]
    for name in codings:
        if name not in ("gzip", "deflate"):
            raise FetchError("protocol", f"unsupported content encoding {name!r}")
    if len(codings) > MAX_CODINGS:
        raise FetchError("protocol", f"too many content encodings ({len(codings)})")
    return codings[::-1]


class BodyDecoder:
    """Decode a body with the given Content-Encoding, failing once it passes `max_bytes`.

    `decoded` counts the bytes handed out so far; it never exceeds `max_bytes + CHUNK`.
    """

    def __init__(self, content_encoding: str, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.decoded = 0
        self._layers = [_Inflate(c, max_bytes) for c in parse_codings(content_encoding)]

    def feed(self, data: bytes) -> bytes:
        """Decode one raw chunk; raise `too_large` as soon as the output passes the cap."""
        out = bytearray()
        for piece in self._through(data, 0):
            self.decoded += len(piece)
            if self.decoded > self.max_bytes:
                raise _too_large(self.max_bytes)
            out += piece
        return bytes(out)

    def finish(self) -> None:
        """Check that every compressed layer ended properly (a cut stream is an incomplete body)."""
        for layer in self._layers:
            layer.finish()

    def _through(self, data: bytes, index: int) -> Iterator[bytes]:
        # Generators all the way down: a piece is decoded by the next layer before the previous
        # layer inflates more, so no layer ever holds more than one piece of output.
        if index == len(self._layers):
            for start in range(0, len(data), CHUNK):
                yield data[start : start + CHUNK]
            return
        for piece in self._layers[index].feed(data):
            yield from self._through(piece, index + 1)
