"""URL canonicalization: one key per article, never one key for two (alaune.text.urls; H2)."""

from __future__ import annotations

import pytest

from alaune.text.urls import absolute_http_url, canonical_url, origin

SAME = [
    # (a spelling, another spelling of the same article)
    ("HTTPS://WWW.Example.COM/a/b", "https://example.com/a/b"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com./a", "https://example.com/a"),
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
    ("https://example.com/a?fbclid=x&gclid=y&mc_cid=z", "https://example.com/a"),
    ("https://example.com/a?xtor=RSS-3&at_medium=rss", "https://example.com/a"),  # AT Internet
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    # AMP and mobile editions
    (
        "https://m.hespress.example/politique/123.html",
        "https://www.hespress.example/politique/123.html",
    ),
    ("https://mobile.example.com/a", "https://example.com/a"),
    ("https://amp.example.com/a", "https://example.com/a"),
    ("https://example.com/2026/11/28/titre/amp/", "https://example.com/2026/11/28/titre/"),
    ("https://example.com/titre/amp", "https://example.com/titre"),
    ("https://example.com/amp/titre", "https://example.com/titre"),
    ("https://example.com/titre.amp.html", "https://example.com/titre.html"),
    ("https://example.com/titre?amp=1", "https://example.com/titre"),
    ("https://example.com/titre?amp", "https://example.com/titre"),
    ("https://example.com/titre?outputType=amp", "https://example.com/titre"),
    (
        "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a/b",
        "https://example.com/a/b",
    ),
    (
        "https://www-example-com.cdn.ampproject.org/v/s/example.com/a?amp_js_v=0.1",
        "https://example.com/a",
    ),
    # Percent-encoding and IRIs
    ("https://example.com/%7euser", "https://example.com/~user"),
    ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
    (
        "https://akhbar.example/مقال-جديد",
        "https://akhbar.example/%D9%85%D9%82%D8%A7%D9%84-%D8%AC%D8%AF%D9%8A%D8%AF",
    ),
    ("https://مثال.example/", "https://xn--mgbh0fb.example/"),
    ("https://example.com/a?q=été", "https://example.com/a?q=%C3%A9t%C3%A9"),
    ("https://example.com/a?q=a b", "https://example.com/a?q=a+b"),
    # Invisible characters (D8)
    ("https://example.com/\u202ea", "https://example.com/a"),
    ("\u200bhttps://example.com/a", "https://example.com/a"),
]

DIFFERENT = [
    # Each pair names two pages that may be two articles: they must keep two keys.
    ("https://example.com/a", "https://example.com/A"),
    ("https://example.com/a", "https://example.com/a/"),
    ("http://example.com/a", "https://example.com/a"),
    ("https://example.com/a?id=1", "https://example.com/a?id=2"),
    ("https://example.com/a?p=1", "https://example.com/a"),
    ("https://example.com/a?amp=0", "https://example.com/a"),
    ("https://example.com/a?q=%E9", "https://example.com/a?q=%E8"),  # Latin-1 escapes stay apart
    ("https://example.com/a%2Fb", "https://example.com/a/b"),
    ("https://example.com/camp/", "https://example.com/c/"),
    ("https://example.com:8080/a", "https://example.com/a"),
    ("https://news.example.com/a", "https://example.com/a"),
    ("https://www2.example.com/a", "https://example.com/a"),
    ("https://m.co.ma/a", "https://co.ma/a"),  # "m." of a bare suffix is a real host
    ("https://www.co.uk/a", "https://co.uk/a"),
    ("https://m.tv/a", "https://tv/a"),
    ("http://127.0.0.1:8001/a", "http://127.0.0.2:8001/a"),
]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_spellings_of_one_article_share_a_key(one: str, other: str) -> None:
    assert canonical_url(one) == canonical_url(other)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_pages_keep_different_keys(one: str, other: str) -> None:
    assert canonical_url(one) != canonical_url(other)


@pytest.mark.parametrize("url", [u for pair in SAME + DIFFERENT for u in pair])
def test_canonicalization_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://WWW.Example.COM:443/a/b?utm_source=x&b=2&a=1#frag",
            "https://example.com/a/b?a=1&b=2",
        ),
        ("http://[::1]:80/", "http://[::1]/"),
        ("http://127.0.0.1:8001/feed", "http://127.0.0.1:8001/feed"),
    ],
)
def test_canonical_form(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://example.com/",
        "mailto:a@b.c",
        "/relative",
        "http://",
        "http://[bad/",
    ],
)
def test_only_http_urls_have_a_canonical_form(url: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        canonical_url(url)


@pytest.mark.parametrize(
    ("value", "base", "expected"),
    [
        ("https://example.com/a", "", "https://example.com/a"),
        ("/a?b=1", "https://example.com/feed", "https://example.com/a?b=1"),
        ("a", "https://example.com/dir/feed", "https://example.com/dir/a"),
        ("//cdn.example.com/i.jpg", "https://example.com/", "https://cdn.example.com/i.jpg"),
        ("  https://example.com/a\n", "", "https://example.com/a"),
        ("https://example.com/a b", "", "https://example.com/a%20b"),
        ("/relative", "", None),
        ("javascript:alert(1)", "https://example.com/", None),
        ("JaVaScRiPt:alert(1)", "https://example.com/", None),
        (" javascript:alert(1)", "https://example.com/", None),
        ("jav\tascript:alert(1)", "https://example.com/", None),
        ("java\nscript:alert(1)", "https://example.com/", None),
        ("\x01javascript:alert(1)", "https://example.com/", None),
        ("vbscript:x", "https://example.com/", None),
        ("data:text/html;base64,PHNjcmlwdD4=", "https://example.com/", None),
        ("file:///etc/passwd", "https://example.com/", None),
        ("https://" + "a" * 5000, "", None),
        ("http://[bad", "", None),
    ],
)
def test_absolute_http_url(value: str, base: str, expected: str | None) -> None:
    assert absolute_http_url(value, base) == expected


def test_origin_is_the_politeness_key() -> None:
    assert origin("https://Example.com/a") == ("https", "example.com", 443)
    assert origin("http://example.com:8080/") == ("http", "example.com", 8080)
