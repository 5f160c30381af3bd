"""Which URLs a registry entry may name (SECURITY A6, G4), and that the check agrees with fetch."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from alaune.fetch import is_public_address, validate_url
from alaune.sources.urls import UrlRefused, check_url, is_public_url

ACCEPTED = {
    "plain https": ("https://www.hespress.com/feed", "https://www.hespress.com/feed"),
    "scheme and host folded": ("HTTPS://FR.Le360.MA/x?a=1", "https://fr.le360.ma/x?a=1"),
    "explicit port kept": ("http://example.com:8080/rss", "http://example.com:8080/rss"),
    "no path gets a slash": ("https://example.com", "https://example.com/"),
    "arabic host becomes punycode": ("https://مثال.com/", "https://xn--mgbh0fb.com/"),
    "public IPv4 literal": ("http://8.8.8.8/feed", "http://8.8.8.8/feed"),
}

REFUSED = {
    "file scheme (A6)": ("file:///etc/passwd", "not file:"),
    "bare path (A6)": ("/etc/passwd", "not a relative URL"),
    "ftp (A6)": ("ftp://example.com/feed", "not ftp:"),
    "data (A6)": ("data:text/xml,<rss/>", "not data:"),
    "javascript (A6)": ("javascript:alert(1)", "not javascript:"),
    "credentials (A6)": ("http://user:pass@example.com/", "credentials"),
    "too long (A6)": ("https://example.com/" + "a" * 2100, "longer than 2048"),
    "space inside": ("https://example.com/a b", "space or a control"),
    "loopback": ("http://127.0.0.1/", "127.0.0.1 is not a public address"),
    "loopback, short form": ("http://127.1/", "127.0.0.1 is not a public address"),
    "loopback, hex": ("http://0x7f.1/", "127.0.0.1 is not a public address"),
    "loopback, one number": ("http://2130706433/", "127.0.0.1 is not a public address"),
    "loopback, octal": ("http://0177.0.0.1/", "127.0.0.1 is not a public address"),
    "cloud metadata": ("http://169.254.169.254/latest/meta-data/", "not a public address"),
    "private network": ("http://10.0.0.5/rss", "not a public address"),
    "IPv6 loopback": ("http://[::1]/", "[::1] is not a public address"),
    "IPv4-mapped IPv6": ("http://[::ffff:127.0.0.1]/", "not a public address"),
    "localhost": ("http://localhost/feed", "local or reserved"),
    "a .localhost name": ("http://admin.localhost/", "local or reserved"),
    "an .internal name": ("http://db.corp.internal/", "local or reserved"),
    "single label": ("http://newsroom/", "needs a dot"),
    "no host": ("http:///feed", "no host"),
    "port zero": ("http://example.com:0/", "port 0"),
    "bad IPv4": ("http://1.2.3.999/", "invalid IPv4"),
    "empty": ("", "empty"),
}


@pytest.mark.parametrize(("url", "expected"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted_urls_are_normalised(url: str, expected: str) -> None:
    assert check_url(url) == expected


@pytest.mark.parametrize(("url", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_urls_say_why(url: str, message: str) -> None:
    with pytest.raises(UrlRefused, match=message.replace("[", r"\[").replace("]", r"\]")):
        check_url(url)


def test_a_loopback_address_passes_only_when_its_exact_port_is_allowed() -> None:
    assert check_url("http://127.0.0.1:8101/rss.xml", allow=["127.0.0.1:8101"])
    with pytest.raises(UrlRefused):
        check_url("http://127.0.0.1:8102/rss.xml", allow=["127.0.0.1:8101"])
    assert check_url("http://[::1]:9000/", allow=["[::1]:9000"]) == "http://[::1]:9000/"


IP_LITERALS = [
    "http://127.0.0.1/",
    "http://0x7f.1/",
    "http://2130706433/",
    "http://127。0。0。1/",
    "http://0.0.0.0/",
    "http://10.1.2.3/",
    "http://100.100.100.200/",
    "http://169.254.169.254/",
    "http://168.63.129.16/",
    "http://192.0.0.192/",
    "http://192.168.1.1/",
    "http://224.0.0.1/",
    "http://255.255.255.255/",
    "http://8.8.8.8/",
    "http://[::1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::ffff:8.8.8.8]/",
    "http://[::a9fe:a9fe]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[64:ff9b::808:808]/",
    "http://[64:ff9b:1::1]/",
    "http://[2002:7f00:1::]/",
    "http://[2001::1]/",
    "http://[2001:db8::1]/",
    "http://[fc00::1]/",
    "http://[fe80::1]/",
    "http://[2606:4700::1111]/",
]


@pytest.mark.parametrize("url", IP_LITERALS)
def test_ip_literals_are_judged_as_the_fetcher_judges_them(url: str) -> None:
    """Sources and fetch are siblings and share no code: this keeps their address rules equal."""
    host = urlsplit(validate_url(url)).hostname
    assert host is not None
    assert is_public_url(url) == is_public_address(host)
