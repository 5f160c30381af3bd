"""The demo outlets' fault switches as answers: pure cases over `faults.apply` and the parsing
of `--fault OUTLET=SWITCH[:ARG]`. Crawling faulty outlets end to end is test_faults.py."""

from __future__ import annotations

import zlib

import pytest

from alaune.demo.faults import (
    SWITCHES,
    apply,
    entity_bomb,
    gzip_bomb,
    merge_faults,
    parse_fault,
)
from alaune.demo.responses import Response

FEED = "/rss.xml"
PAGE = Response(
    200,
    (("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "23"), ("ETag", '"x"')),
    "<p>مرحبا بالجميع</p>".encode(),
)
ROBOTS = Response(200, (("Content-Type", "text/plain"),), b"User-agent: *\nAllow: /\n")


def header(response: Response, name: str) -> str | None:
    return dict((k.lower(), v) for k, v in response.headers).get(name.lower())


#: name → (spec, (outlet, switch, value))
SPECS = {
    "int": ("amp=status:503", ("amp", "status", 503)),
    "float": ("amp=slow:0.5", ("amp", "slow", 0.5)),
    "flag": ("amp=gzip_bomb", ("amp", "gzip_bomb", True)),
    "flag_off": ("amp=gzip_bomb:no", ("amp", "gzip_bomb", False)),
    "http_date_keeps_its_colons": (
        "amp=retry_after:Mon, 01 Jan 1990 00:00:00 GMT",
        ("amp", "retry_after", "Mon, 01 Jan 1990 00:00:00 GMT"),
    ),
}


@pytest.mark.parametrize(("spec", "parsed"), SPECS.values(), ids=SPECS.keys())
def test_parse_fault(spec: str, parsed: tuple[str, str, object]) -> None:
    assert parse_fault(spec) == parsed


def test_faults_merge_per_outlet() -> None:
    merged = merge_faults(["amp=status:503", "amp=retry_after:60", "echo=html_feed"])
    assert merged == {"amp": {"status": 503, "retry_after": "60"}, "echo": {"html_feed": True}}


def test_every_switch_is_documented() -> None:
    assert all(SWITCHES.values())


def test_robots_txt_is_left_alone_by_every_switch_but_robots() -> None:
    everything = {"status": 500, "gzip_bomb": True, "redirect_loop": True, "slow": 1.0}
    assert apply(ROBOTS, everything, target="/robots.txt", feed_path=FEED) == ROBOTS
    disallowed = apply(ROBOTS, {"robots": "disallow"}, target="/robots.txt", feed_path=FEED)
    assert disallowed.body == b"User-agent: *\nDisallow: /\n"
    delayed = apply(ROBOTS, {"robots": "10"}, target="/robots.txt", feed_path=FEED)
    assert b"Crawl-delay: 10" in delayed.body
    assert apply(ROBOTS, {"robots": "error"}, target="/robots.txt", feed_path=FEED).status == 503


def test_status_with_retry_after() -> None:
    answer = apply(PAGE, {"status": 429, "retry_after": "-5"}, target="/a", feed_path=FEED)
    assert (answer.status, header(answer, "Retry-After")) == (429, "-5")
    assert header(answer, "ETag") is None


def test_redirect_loop_goes_back_and_forth() -> None:
    there = apply(PAGE, {"redirect_loop": True}, target="/a", feed_path=FEED)
    back = apply(PAGE, {"redirect_loop": True}, target="/a?loop=1", feed_path=FEED)
    assert (there.status, header(there, "Location")) == (302, "/a?loop=1")
    assert (back.status, header(back, "Location")) == (302, "/a")


def test_gzip_bomb_is_small_and_inflates_far_past_any_cap() -> None:
    answer = apply(PAGE, {"gzip_bomb": True}, target="/a", feed_path=FEED)
    assert header(answer, "Content-Encoding") == "gzip"
    assert header(answer, "Content-Length") == str(len(answer.body)) == str(len(gzip_bomb()))
    assert len(answer.body) < 200 * 1024
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert len(inflater.decompress(answer.body, 11 * 1024 * 1024)) == 11 * 1024 * 1024


def test_lying_encoding_keeps_the_utf8_label() -> None:
    answer = apply(PAGE, {"encoding": "cp1256"}, target="/a", feed_path=FEED)
    assert header(answer, "Content-Type") == "text/html; charset=utf-8"
    assert answer.body == "<p>مرحبا بالجميع</p>".encode("cp1256")
    assert header(answer, "Content-Length") == str(len(answer.body))


def test_feed_only_switches_touch_only_the_feed() -> None:
    html = apply(PAGE, {"html_feed": True}, target=FEED, feed_path=FEED)
    assert html.body.startswith(b"<!doctype html>")
    bomb = apply(PAGE, {"entity_bomb": True}, target=FEED, feed_path=FEED)
    assert bomb.body == entity_bomb()
    assert b"<!ENTITY lol9" in bomb.body
    for switches in ({"html_feed": True}, {"entity_bomb": True}):
        assert apply(PAGE, switches, target="/a", feed_path=FEED) == PAGE


def test_slow_and_huge_are_left_to_the_server() -> None:
    answer = apply(PAGE, {"slow": 0.5, "huge": 3}, target="/a", feed_path=FEED)
    assert (answer.drip, answer.stream) == (0.5, 3 * 1024 * 1024)
    assert header(answer, "Content-Length") is None
    assert header(answer, "Connection") == "close"


def test_no_switch_no_change() -> None:
    assert apply(PAGE, {}, target="/a", feed_path=FEED) is PAGE
