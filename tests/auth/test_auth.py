"""Pure pieces of admin authentication and report counting: passwords, tokens, origins,
redirects, client addresses and their units, keyed hashes, and the report policy."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta

import pytest

from alaune.auth import passwords, tokens
from alaune.auth.origin import safe_next, same_origin
from alaune.moderation import keys
from alaune.moderation.networks import (
    client_address,
    network_unit,
    parse_networks,
    reporter_unit,
)
from alaune.moderation.policy import Decision, ReportCounts, Thresholds, decide

TRUSTED = parse_networks(["10.0.0.0/8", "127.0.0.1"])


def test_passwords_are_argon2id_and_verify_alike_for_unknown_accounts() -> None:
    hashed = passwords.hash_password("a long enough secret")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify(hashed, "a long enough secret")
    assert not passwords.verify(hashed, "another secret!!")
    assert not passwords.verify(None, "a long enough secret")
    assert not passwords.verify("not a hash", "x")
    with pytest.raises(passwords.WeakPassword):
        passwords.hash_password("short")


def test_form_tokens_are_bound_to_purpose_and_time() -> None:
    key, now = b"k" * 32, 1_800_000_000.0
    token = tokens.sign_form(key, "report:1", now)
    assert tokens.check_form(key, "report:1", token, now=now + 10, max_age=60).issued == int(now)
    for purpose, when, used_key in (
        ("report:2", now, key),
        ("report:1", now + 61, key),
        ("report:1", now, b"x" * 32),
    ):
        with pytest.raises(tokens.BadToken):
            tokens.check_form(used_key, purpose, token, now=when, max_age=60)


@pytest.mark.parametrize(
    ("fetch_site", "origin", "ok"),
    [
        ("same-origin", None, True),
        ("same-site", "https://alaune.ma", False),
        ("cross-site", "https://alaune.ma", False),
        ("none", None, False),
        (None, "https://alaune.ma", True),
        (None, "https://ALAUNE.ma/", True),
        (None, "https://evil.example", False),
        (None, "null", False),
        (None, None, False),
    ],
)
def test_same_origin(fetch_site: str | None, origin: str | None, ok: bool) -> None:
    assert same_origin(fetch_site, origin, {"https://alaune.ma"}) is ok


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/admin/audit?before=5", "/admin/audit?before=5"),
        ("/ar/admin", "/ar/admin"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("https:evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("%2F%2Fevil.example", "/"),
        ("/%2F/evil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
        ("", "/"),
    ],
)
def test_safe_next_keeps_only_local_paths(value: str, expected: str) -> None:
    assert safe_next(value) == expected


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.5", ["1.2.3.4"], "203.0.113.5"),  # untrusted peer: the header is ignored
        ("127.0.0.1", ["1.2.3.4"], "1.2.3.4"),
        ("127.0.0.1", ["6.6.6.6, 1.2.3.4"], "1.2.3.4"),  # the client wrote the left part
        ("127.0.0.1", ["1.2.3.4, 10.1.1.1"], "1.2.3.4"),  # two proxies of ours
        ("127.0.0.1", ["1.2.3.4", "5.6.7.8"], "5.6.7.8"),  # several headers: one list
        ("127.0.0.1", [], "127.0.0.1"),
        ("127.0.0.1", ["garbage"], "127.0.0.1"),
        ("127.0.0.1", ["[2001:db8::1]:443"], "2001:db8::1"),
        ("::ffff:198.51.100.1", [], "198.51.100.1"),
    ],
)
def test_client_address_believes_only_trusted_hops(
    peer: str, forwarded: list[str], expected: str
) -> None:
    assert str(client_address(peer, forwarded, TRUSTED)) == expected


def test_units_group_addresses_into_reporters_and_networks() -> None:
    v4 = ipaddress.ip_address("203.0.113.77")
    v6 = ipaddress.ip_address("2001:db8:aa:bb:cc::1")
    assert reporter_unit(v4) == "203.0.113.77/32"
    assert network_unit(v4) == "203.0.113.0/24"
    assert reporter_unit(v6) == "2001:db8:aa:bb::/64"
    assert network_unit(v6) == "2001:db8:aa::/48"


def test_keyed_hashes_differ_per_image_and_key_and_windows_are_fixed() -> None:
    a = keys.keyed(b"1" * 32, "reporter", 1, "203.0.113.77/32")
    assert a != keys.keyed(b"1" * 32, "reporter", 2, "203.0.113.77/32")
    assert a != keys.keyed(b"2" * 32, "reporter", 1, "203.0.113.77/32")
    assert len(a) == 64
    start = datetime(2026, 11, 29, tzinfo=UTC)
    window = keys.window_of(start, 7)
    assert keys.window_of(start + timedelta(seconds=1), 7) in (window, window + 1)
    assert keys.window_of(start + timedelta(days=7), 7) == window + 1


@pytest.mark.parametrize(
    ("counts", "decision"),
    [
        (ReportCounts(2, 2, False, False, 0, 0), Decision.COUNTED),
        (ReportCounts(3, 1, False, False, 0, 0), Decision.COUNTED),
        (ReportCounts(3, 2, False, False, 0, 0), Decision.HIDE),
        (ReportCounts(3, 2, True, False, 0, 0), Decision.REVIEW_IMMUNE),
        (ReportCounts(3, 2, False, False, 10, 0), Decision.REVIEW_BREAKER),
        (ReportCounts(3, 2, False, False, 0, 5), Decision.REVIEW_BREAKER),
        (ReportCounts(9, 9, False, True, 0, 0), Decision.ALREADY_HIDDEN),
    ],
)
def test_the_policy(counts: ReportCounts, decision: Decision) -> None:
    assert decide(counts, Thresholds()) is decision
