"""Serving stored images: a safe download name and strict headers (SECURITY.md E1)."""

from __future__ import annotations

import re

import pytest

from alaune.media import safe_filename, serving_headers

SAFE = re.compile(r"[A-Za-z0-9_-]+\.(jpg|png|webp|gif)")


@pytest.mark.parametrize(
    ("name", "hint", "media_type", "expected"),
    [
        ("a URL's last segment", "https://o.example/media/2026/photo-port.JPG?w=800", "image/webp",
         "photo-port.webp"),
        ("the stored type decides the extension", "evil.html", "image/png", "evil.png"),
        ("CR LF and quotes cannot split the header", 'a"\r\nSet-Cookie: x=1', "image/jpeg",
         "a-Set-Cookie-x-1.jpg"),
        ("path traversal", "../../etc/passwd", "image/gif", "passwd.gif"),
        ("accents folded", "Été à Fès", "image/webp", "Ete-a-Fes.webp"),
        ("Arabic has no ASCII letters: a default name", "صورة الميناء", "image/webp", "image.webp"),
        ("empty", "", "image/jpeg", "image.jpg"),
        ("long names are cut", "x" * 500, "image/jpeg", "x" * 60 + ".jpg"),
    ],
)  # fmt: skip
def test_safe_filename(name: str, hint: str, media_type: str, expected: str) -> None:
    found = safe_filename(hint, media_type)
    assert found == expected, name
    assert SAFE.fullmatch(found)


def test_only_raster_types_are_served() -> None:
    for media_type in ("image/svg+xml", "text/html", "application/octet-stream"):
        with pytest.raises(ValueError, match="not a type"):
            serving_headers(media_type, "x")


def test_serving_headers_give_the_response_no_power_as_a_page() -> None:
    headers = serving_headers("image/webp", 'x"\r\n.svg')
    assert headers["Content-Type"] == "image/webp"
    assert headers["X-Content-Type-Options"] == "nosniff"
    csp = headers["Content-Security-Policy"]
    assert {"default-src 'none'", "form-action 'none'", "sandbox"} <= set(csp.split("; "))
    assert headers["Content-Disposition"] == 'inline; filename="x.webp"'
    assert all("\r" not in v and "\n" not in v for v in headers.values())
