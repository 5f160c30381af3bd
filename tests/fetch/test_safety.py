"""URL validation and the address check, as pure functions (SECURITY A2, A3, A6)."""

from __future__ import annotations

import pytest

from alaune.errors import ConfigError, FetchError
from alaune.fetch import Allowlist, is_public_address, validate_url

# --- A6: what never passes input validation -------------------------------------------------

A6_BAD_URLS = {
    "file_url": ("file:///etc/passwd", "only http and https"),
    "bare_path": ("/etc/passwd", "not an absolute"),
    "relative": ("feed.xml", "not an absolute"),
    "ftp": ("ftp://ftp.example.org/feed.xml", "not ftp:"),
    "gopher": ("gopher://127.0.0.1:70/_GET", "not gopher:"),
    "data": ("data:text/html,<script>alert(1)</script>", "not data:"),
    "javascript": ("javascript:alert(1)", "not javascript:"),
    "userinfo": ("http://user:pass@example.com/", "credentials"),
    "user_only": ("http://user@example.com/", "credentials"),
    "backslash_userinfo": ("http://example.com\\@127.0.0.1/", "credentials"),
    "too_long": ("https://example.com/" + "a" * 2048, "longer than 2048"),
    "control_newline": ("http://example.com/\r\nX-Injected: 1", "control character"),
    "control_nul": ("http://example.com/\x00", "control character"),
    "control_c1": ("http://example.com/\x85", "control character"),
    "no_host": ("http:///feed", "no host"),
    "empty": ("", "not an absolute"),
    "port_zero": ("http://example.com:0/", "port 0"),
    "port_range": ("http://example.com:70000/", "cannot be parsed"),
    "bad_ipv6": ("http://[::1/", "cannot be parsed"),
    "zone_id": ("http://[fe80::1%25eth0]/", "zone"),
    "space_in_host": ("http://exa mple.com/", "invalid host name"),
    "bad_ipv4": ("http://256.1.1.1/", "invalid IPv4"),
    "five_part_ipv4": ("http://1.2.3.4.5/", "invalid IPv4"),
    "ends_in_number": ("http://example.123/", "invalid IPv4"),
}


@pytest.mark.parametrize(("url", "reason"), A6_BAD_URLS.values(), ids=A6_BAD_URLS.keys())
def test_a6_bad_urls_are_refused_with_a_message(url: str, reason: str) -> None:
    with pytest.raises(FetchError) as caught:
        validate_url(url)
    assert caught.value.kind == "bad_url"
    assert reason in str(caught.value)


NORMALISED = {
    "plain": ("https://example.com/feed.xml", "https://example.com/feed.xml"),
    "case_and_default_port": ("HTTP://Example.COM:80/a", "http://example.com/a"),
    "keeps_other_port": ("http://example.com:8080", "http://example.com:8080/"),
    "drops_fragment": ("https://example.com/a?b=1#top", "https://example.com/a?b=1"),
    "idn_host": ("https://اليوم.ma/", "https://xn--mgb2ddlj.ma/"),
    "arabic_path": ("https://a.ma/مقال", "https://a.ma/%D9%85%D9%82%D8%A7%D9%84"),
    "space_in_path": ("https://a.fr/a b?q=é", "https://a.fr/a%20b?q=%C3%A9"),
    "keeps_escapes": ("https://a.fr/a%20b", "https://a.fr/a%20b"),
    "ipv6": ("http://[0:0::1]:8080/", "http://[::1]:8080/"),
    # A2: the spellings a browser reads as 127.0.0.1 become 127.0.0.1 here too.
    "octal": ("http://0177.0.0.1/", "http://127.0.0.1/"),
    "hex_short": ("http://0x7f.1/", "http://127.0.0.1/"),
    "decimal": ("http://2130706433/", "http://127.0.0.1/"),
    "short": ("http://127.1/", "http://127.0.0.1/"),
    "ideographic_dots": ("http://127。0。0。1/", "http://127.0.0.1/"),
    "fullwidth_digits": ("http://１２７.０.０.１/", "http://127.0.0.1/"),
    "trailing_dot_name": ("http://localhost./", "http://localhost./"),
}


@pytest.mark.parametrize(("url", "expected"), NORMALISED.values(), ids=NORMALISED.keys())
def test_valid_urls_are_normalised(url: str, expected: str) -> None:
    assert validate_url(url) == expected


# --- A3: which resolved addresses may be connected to ---------------------------------------

REFUSED = {
    "loopback": "127.0.0.1",
    "loopback_other": "127.8.9.10",
    "this_network": "0.0.0.0",
    "this_network_other": "0.1.2.3",
    "private_10": "10.0.0.1",
    "private_172": "172.16.5.4",
    "private_192": "192.168.1.1",
    "cgnat": "100.64.0.1",
    "alibaba_metadata": "100.100.100.200",
    "link_local": "169.254.1.1",
    "aws_metadata": "169.254.169.254",
    "azure_wireserver": "168.63.129.16",
    "ietf_192_0_0": "192.0.0.192",
    "doc_1": "192.0.2.1",
    "doc_2": "198.51.100.7",
    "doc_3": "203.0.113.9",
    "benchmarking": "198.18.0.1",
    "benchmarking_upper": "198.19.255.254",
    "six_to_four_relay": "192.88.99.1",
    "multicast": "224.0.0.1",
    "reserved": "240.0.0.1",
    "broadcast": "255.255.255.255",
    "v6_loopback": "::1",
    "v6_unspecified": "::",
    "v4_mapped_loopback": "::ffff:127.0.0.1",
    "v4_mapped_metadata": "::ffff:169.254.169.254",
    "v4_compatible_metadata": "::a9fe:a9fe",
    "v4_compatible_public": "::8.8.8.8",
    "ula": "fd00::1",
    "ula_fc": "fc00::1",
    "aws_v6_metadata": "fd00:ec2::254",
    "link_local_v6": "fe80::1",
    "link_local_scoped": "fe80::1%eth0",
    "site_local": "fec0::1",
    "multicast_v6": "ff02::1",
    "nat64_metadata": "64:ff9b::a9fe:a9fe",
    "nat64_loopback": "64:ff9b::127.0.0.1",
    "nat64_local_use": "64:ff9b:1::a9fe:a9fe",
    "nat64_local_use_public": "64:ff9b:1::808:808",
    "six_to_four_metadata": "2002:a9fe:a9fe::",
    "six_to_four_private": "2002:c0a8:0101::1",
    "teredo": "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "teredo_loopback_client": "2001:0:4136:e378:8000:63bf:80ff:fffe",
    "benchmarking_v6": "2001:2::1",
    "doc_v6": "2001:db8::1",
    "doc_v6_new": "3fff::1",
    "discard_only": "100::1",
    "srv6_sid": "5f00::1",
    "not_an_address": "localhost",
    "empty": "",
}

PUBLIC = {
    "google_dns": "8.8.8.8",
    "cloudflare": "1.1.1.1",
    "an_outlet": "93.184.216.34",
    "v6_cloudflare": "2606:4700:4700::1111",
    "v4_mapped_public": "::ffff:8.8.8.8",
    "nat64_public": "64:ff9b::808:808",
    "six_to_four_public": "2002:808:808::1",
}


@pytest.mark.parametrize("address", REFUSED.values(), ids=REFUSED.keys())
def test_a3_non_public_addresses_are_refused(address: str) -> None:
    assert is_public_address(address) is False


@pytest.mark.parametrize("address", PUBLIC.values(), ids=PUBLIC.keys())
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(address) is True


# --- the allowlist --------------------------------------------------------------------------


def test_allowlist_matches_exact_address_and_port() -> None:
    allow = Allowlist.parse(["127.0.0.1:8081", "[::1]:8082"])
    assert allow.permits("127.0.0.1", 8081)
    assert allow.permits("0:0::1", 8082)  # same address, other spelling
    assert not allow.permits("127.0.0.1", 8082)
    assert not allow.permits("127.0.0.2", 8081)
    assert not allow.permits("::ffff:127.0.0.1", 8081)  # exact, not "equivalent"
    assert not allow.permits("not an ip", 8081)
    assert str(allow) == "127.0.0.1:8081, [::1]:8082"


@pytest.mark.parametrize(
    "entry", ["localhost:8081", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:x", "::1:8081", "[::1]"]
)
def test_allowlist_refuses_entries_that_are_not_address_port(entry: str) -> None:
    with pytest.raises(ConfigError, match="address:port"):
        Allowlist.parse([entry])
