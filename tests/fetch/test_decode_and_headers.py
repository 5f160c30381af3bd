"""Capped Content-Encoding decoding (SECURITY B1) and response field parsing (B5), as pure code."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime

import pytest

from alaune.errors import FetchError
from alaune.fetch import parse_retry_after
from alaune.fetch.decode import CHUNK, BodyDecoder, parse_codings
from alaune.fetch.headers import charset, content_length, header_dict, media_type

from .conftest import MiB, deflate_bomb, double_gzip_bomb, gzip_bomb

TEXT = "Le Maroc et l'Algérie — المغرب والجزائر ".encode() * 200


def decode(coding: str, data: bytes, *, max_bytes: int = MiB, piece: int = 1000) -> bytes:
    decoder = BodyDecoder(coding, max_bytes=max_bytes)
    out = b"".join(decoder.feed(data[i : i + piece]) for i in range(0, len(data), piece))
    decoder.finish()
    return out


ROUND_TRIPS = {
    "identity": ("identity", TEXT),
    "none": ("", TEXT),
    "gzip": ("gzip", gzip.compress(TEXT)),
    "x_gzip": ("x-gzip", gzip.compress(TEXT)),
    "upper_case": ("GZIP", gzip.compress(TEXT)),
    "deflate_zlib": ("deflate", zlib.compress(TEXT)),
    "deflate_raw": ("deflate", zlib.compress(TEXT, wbits=-15)),
    # RFC 9110 §8.4: listed in the order applied, so "deflate, gzip" is gzip(deflate(text)).
    "stacked_order": ("deflate, gzip", gzip.compress(zlib.compress(TEXT))),
    "gzip_gzip": ("gzip, gzip", gzip.compress(gzip.compress(TEXT))),
    "identity_in_list": ("identity, gzip", gzip.compress(TEXT)),
    "multi_member_gzip": ("gzip", gzip.compress(TEXT[:100]) + gzip.compress(TEXT[100:])),
}


@pytest.mark.parametrize(("coding", "data"), ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
@pytest.mark.parametrize("piece", [1, 7, 65536])
def test_encodings_decode_whatever_the_chunking(coding: str, data: bytes, piece: int) -> None:
    assert decode(coding, data, piece=piece) == TEXT


def test_empty_body_with_an_encoding_is_fine() -> None:
    assert decode("gzip", b"") == b""


FAILURES = {
    "brotli": ("br", b"\x1b", "unsupported content encoding 'br'"),
    "compress": ("compress", b"x", "unsupported content encoding 'compress'"),
    "too_many": ("gzip, gzip, gzip, gzip, gzip", b"", "too many content encodings"),
    "corrupt": ("gzip", b"not gzip at all", "corrupt gzip body"),
    "truncated": ("gzip", gzip.compress(TEXT)[:-20], "gzip body is truncated"),
    "truncated_deflate": ("deflate", zlib.compress(TEXT)[:50], "deflate body is truncated"),
}


@pytest.mark.parametrize(("coding", "data", "message"), FAILURES.values(), ids=FAILURES.keys())
def test_bad_encodings_are_protocol_errors(coding: str, data: bytes, message: str) -> None:
    with pytest.raises(FetchError, match=message) as caught:
        decode(coding, data)
    assert caught.value.kind == "protocol"


BOMBS = {
    "gzip": ("gzip", gzip_bomb),
    "deflate": ("deflate", deflate_bomb),
    "double_gzip": ("gzip, gzip", double_gzip_bomb),
}


@pytest.mark.parametrize(("coding", "bomb"), BOMBS.values(), ids=BOMBS.keys())
def test_b1_bomb_stops_at_the_cap_plus_one_chunk(coding: str, bomb: object) -> None:
    data = bomb()  # type: ignore[operator]
    assert len(data) < 200 * 1024  # ~100 KiB that expand to 100 MiB
    cap = 10 * MiB
    decoder = BodyDecoder(coding, max_bytes=cap)
    held = 0

    def feed_all() -> None:
        nonlocal held
        for i in range(0, len(data), 16384):
            held += len(decoder.feed(data[i : i + 16384]))

    with pytest.raises(FetchError, match=rf"response too large \(over {cap} bytes\)") as caught:
        feed_all()
    assert caught.value.kind == "too_large"
    assert held <= cap
    assert decoder.decoded <= cap + CHUNK


def test_codings_are_undone_last_first() -> None:
    assert parse_codings("deflate, x-gzip") == ["gzip", "deflate"]
    assert parse_codings(" , identity ,") == []


# --- response fields ------------------------------------------------------------------------

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)

RETRY_AFTER = {
    "seconds": ("120", 120.0),
    "zero": ("0", 0.0),
    "a_day": ("86400", 86400.0),  # not clamped here: the scheduler clamps
    "spaces": (" 30 ", 30.0),
    "http_date_future": ("Wed, 01 Jan 2025 12:01:00 GMT", 60.0),
    "http_date_1990": ("Mon, 01 Jan 1990 00:00:00 GMT", 0.0),  # past → now, never negative
    "rfc850_date": ("Wednesday, 01-Jan-25 12:00:30 GMT", 30.0),
    "asctime_date": ("Wed Jan  1 12:00:10 2025", 10.0),
    "negative": ("-5", None),
    "fraction": ("1.5", None),
    "garbage": ("soon", None),
    "empty": ("", None),
    "absent": (None, None),
}


@pytest.mark.parametrize(("value", "expected"), RETRY_AFTER.values(), ids=RETRY_AFTER.keys())
def test_b5_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected


def test_header_fields_are_merged_by_lower_case_name() -> None:
    fields = [(b"Content-Type", b"text/html"), (b"Vary", b"Accept"), (b"vary", b"Cookie")]
    assert header_dict(fields) == {"content-type": "text/html", "vary": "Accept, Cookie"}


@pytest.mark.parametrize(
    ("value", "kind", "cs"),
    [
        ('text/html; charset="UTF-8"', "text/html", "utf-8"),
        ("application/rss+xml;charset=windows-1256", "application/rss+xml", "windows-1256"),
        ("TEXT/XML", "text/xml", None),
        ("text/plain; charset=", "text/plain", None),
        (None, "", None),
    ],
)
def test_content_type(value: str | None, kind: str, cs: str | None) -> None:
    assert media_type(value) == kind
    assert charset(value) == cs


def test_content_length() -> None:
    assert content_length("42") == 42
    assert content_length(None) is None
    assert content_length("-5") is None
