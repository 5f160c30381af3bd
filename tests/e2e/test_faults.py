"""Issue 3's "done when": the demo outlets crawled once with some of them switched to faults.

Every good article is ingested exactly once, each fault is recorded as the right error kind on
the right outlet, and the health table shows it. Also SECURITY B1–B5 through the outlets' fault
switches (the fetcher-level cases with counters are in tests/fetch/test_transport_dos.py), the
entity bomb of C1, and the same scenario through the `alaune crawl --once --demo --fault` command.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fault_support import (
    crawl_faulty,
    expected_urls,
    fault_settings,
    faulty_demo,
    feed_of,
    free_port_range,
    stored_by_outlet,
)

from alaune.cli.context import CliContext
from alaune.cli.main import cli
from alaune.cli.sources_health import health
from alaune.demo.corpus import Corpus
from alaune.store import polls
from alaune.store.engine import Database
from alaune.store.health import outlet_health

#: (switches, expected error kind, expected health status), assigned to outlets in corpus order
MIXED = [
    ({"status": 503, "retry_after": "86400"}, "http_status", "deferred"),  # B5
    ({"gzip_bomb": True}, "too_large", "error"),  # B1
    ({"html_feed": True}, "not_a_feed", "error"),  # C3
    ({"redirect_loop": True}, "too_many_redirects", "error"),  # B4
    ({"robots": "disallow"}, "robots", "error"),  # RFC 9309
]
TRANSPORT = [
    ({"huge": 64}, "too_large", "error"),  # B2: 64 MiB, no Content-Length, 1 MiB cap
    ({"slow": 0.5}, "timeout", "error"),  # B3: one byte per 0.5 s, 1.5 s deadline
    ({"status": 500}, "http_status", "error"),  # a 5xx without Retry-After is a hard error
    ({"robots": "error"}, "http_status", "deferred"),  # robots.txt 503: all disallowed for now
]


def check_faults(
    db: Database,
    corpus: Corpus,
    table: list[tuple[dict[str, object], str, str]],
    *,
    with_good: bool = True,
    **settings: float,
) -> None:
    """Switch the first outlets to the table's faults, crawl, and check kinds, health and
    (`with_good`) that every article of the other outlets is stored once."""
    ids = [outlet.id for outlet in corpus.outlets]
    faults = {outlet_id: switches for outlet_id, (switches, _, _) in zip(ids, table, strict=False)}
    if not with_good:
        ids = ids[: len(table)]
    with faulty_demo(corpus, faults) as demo:
        settings_ = fault_settings(demo, **settings)
        report = crawl_faulty(db, demo, settings_, only=set(ids), rand=lambda: 0.0)
        good = [outlet_id for outlet_id in ids if outlet_id not in faults]
        stored = stored_by_outlet(db)
        for outlet_id in good:
            assert sorted(stored[outlet_id]) == expected_urls(corpus, demo, outlet_id), outlet_id
        assert set(stored) == set(good)  # nothing half-stored from a faulty outlet
    kinds = {url: kind for url, kind, _ in report.errors}
    assert len(kinds) == len(report.errors) == len(faults)  # one error per faulty feed, no page
    for outlet_id, (_, kind, _) in zip(ids, table, strict=False):
        feed = feed_of(db, outlet_id)
        assert kinds[feed.url] == kind, outlet_id
    with db.read() as conn:
        health = {row.outlet_id: row for row in outlet_health(conn, now=feed.last_polled_at)}
    for outlet_id, (_, kind, status) in zip(ids, table, strict=False):
        assert (health[outlet_id].status, health[outlet_id].error_kind) == (status, kind)
    for outlet_id in good:
        assert (health[outlet_id].status, health[outlet_id].error_kind) == ("ok", None)


def test_done_when_faulty_outlets_are_recorded_and_good_ones_ingested_once(
    db: Database, corpus: Corpus
) -> None:
    check_faults(db, corpus, MIXED)
    deferred = feed_of(db, corpus.outlets[0].id)
    assert deferred.error_count == 0  # B5: not counted as a hard error
    assert deferred.status == "ok"
    assert deferred.last_polled_at is not None
    assert deferred.next_poll_at == deferred.last_polled_at + timedelta(seconds=21600)
    hard = feed_of(db, corpus.outlets[1].id)
    assert (hard.error_count, hard.next_poll_at is not None) == (1, True)


def test_b2_b3_and_5xx_through_the_demo_outlets(sqlite_db: Database, corpus: Corpus) -> None:
    check_faults(sqlite_db, corpus, TRANSPORT, with_good=False, fetch_timeout=1.5)


#: SECURITY B5 — Retry-After as sent → delay of the next poll with no jitter (u = 0)
RETRY_AFTER = {
    "86400_clamped_to_retry_after_max": ("86400", 21600.0),
    "http_date_in_1990_waits_the_minimum": ("Mon, 01 Jan 1990 00:00:00 GMT", 300.0),
    "minus_5_waits_the_interval": ("-5", 900.0),
    "garbage_waits_the_interval": ("bientôt, peut-être", 900.0),
}


def test_b5_retry_after_is_clamped_and_never_a_hard_error(
    sqlite_db: Database, corpus: Corpus
) -> None:
    ids = [outlet.id for outlet in corpus.outlets]
    faults = {
        outlet_id: {"status": 429 if i % 2 else 503, "retry_after": sent}
        for i, (outlet_id, (sent, _)) in enumerate(zip(ids, RETRY_AFTER.values(), strict=False))
    }
    with faulty_demo(corpus, faults) as demo:
        settings = fault_settings(demo)
        report = crawl_faulty(sqlite_db, demo, settings, only=set(faults), rand=lambda: 0.0)
    assert report.deferred == len(RETRY_AFTER)
    for outlet_id, (name, (_, delay)) in zip(ids, RETRY_AFTER.items(), strict=False):
        feed = feed_of(sqlite_db, outlet_id)
        assert feed.last_polled_at is not None
        assert feed.next_poll_at == feed.last_polled_at + timedelta(seconds=delay), name
        assert (feed.error_count, feed.status, feed.last_error_kind) == (0, "ok", "http_status")
        with sqlite_db.read() as conn:
            (poll,) = polls.recent_polls(conn, feed.id)
        assert (poll.outcome, poll.http_status) == ("deferred", faults[outlet_id]["status"])


def test_c1_entity_bomb_feed_costs_bounded_work_and_stores_nothing(
    sqlite_db: Database, corpus: Corpus
) -> None:
    """Either a parse error or an empty, salvaged listing: never an expansion, never a hang."""
    bombed = corpus.outlets[0].id
    with faulty_demo(corpus, {bombed: {"entity_bomb": True}}) as demo:
        report = crawl_faulty(sqlite_db, demo, fault_settings(demo), only={bombed})
    feed = feed_of(sqlite_db, bombed)
    assert feed.last_polled_at is not None
    assert feed.last_error_kind in (None, "parse_error")
    assert bombed not in stored_by_outlet(sqlite_db)
    assert all(kind == "parse_error" for _, kind, _ in report.errors)


def test_the_crawl_command_with_faults_then_health(tmp_path: Path, corpus: Corpus) -> None:
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'faults.db'}"
    assert runner.invoke(cli, ["--database", database, "db", "upgrade"]).exit_code == 0
    first, second = corpus.outlets[0].id, corpus.outlets[1].id
    port = str(free_port_range(len(corpus.outlets)))
    args = ["--database", database, "crawl", "--once", "--demo", "--outlet-port", port]
    faults = ["--fault", f"{first}=status:503", "--fault", f"{first}=retry_after:120"]
    faults += ["--fault", f"{second}=html_feed"]
    result = runner.invoke(cli, [*args, *faults])
    assert result.exit_code == 0, result.output
    assert "1 asked us to wait" in result.stdout
    assert "2 errors" in result.stdout
    assert f"not_a_feed: http://127.0.0.1:{int(port) + 1}/" in result.stderr

    context = CliContext(config_file=None, overrides={"database_url": database})
    rows = runner.invoke(health, ["--json"], obj=context).stdout.splitlines()
    statuses = {r["outlet"]: (r["status"], r["error_kind"]) for r in map(json.loads, rows)}
    assert statuses[first] == ("deferred", "http_status")
    assert statuses[second] == ("error", "not_a_feed")
    assert {s for o, s in statuses.items() if o not in (first, second)} == {("ok", None)}


#: name → (arguments, what the error says)
BAD_FAULTS = {
    "without_demo": (["--fault", "amp=status:503"], "--fault only applies to the demo outlets"),
    "unknown_switch": (["--demo", "--fault", "amp=explode"], "OUTLET=SWITCH[:ARG]"),
    "missing_argument": (["--demo", "--fault", "amp=status"], "needs an argument"),
    "bad_argument": (["--demo", "--fault", "amp=status:soon"], "bad argument for status"),
    "unknown_outlet": (["--demo", "--fault", "nowhere=gzip_bomb"], "unknown outlet 'nowhere'"),
}


@pytest.mark.parametrize(("args", "message"), BAD_FAULTS.values(), ids=BAD_FAULTS.keys())
def test_bad_fault_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    database = f"sqlite:///{tmp_path / 'bad.db'}"
    runner = CliRunner()
    runner.invoke(cli, ["--database", database, "db", "upgrade"])
    port = str(free_port_range(12))
    result = runner.invoke(
        cli, ["--database", database, "crawl", "--once", "--outlet-port", port, *args]
    )
    assert result.exit_code == 2, result.output
    assert message in result.output
