"""Outlet health (issue 3, item 6): the store's per-outlet rows and the `health` command.

Outlets in every state are made by crawling a loopback site with a fake clock: healthy, one
failed poll, failing after repeated failures, deferred by a 503, paused, and never polled.
"""

from __future__ import annotations

import json
from datetime import timedelta

from click.testing import CliRunner
from feed_site import FeedSite, Page, article, rss
from ingest_support import Clock, crawler_for, outlet
from sqlalchemy import update

from alaune.cli.context import CliContext
from alaune.cli.sources_health import health
from alaune.ingest.schedule import Bounds
from alaune.store.engine import Database
from alaune.store.health import OutletHealth, outlet_health
from alaune.store.polls import PageTally
from alaune.store.schema import outlets as outlets_table


async def crawl_every_state(db: Database, site: FeedSite, clock: Clock) -> None:
    site.routes["/ok.xml"] = rss(
        (site.url("/a"), "a", "Le barrage"), (site.url("/b"), "b", "Le port")
    )
    site.routes["/a"] = article("Le barrage")
    site.routes["/b"] = article("Le port")
    site.routes["/html.xml"] = article("Accueil")
    site.routes["/busy.xml"] = Page(b"busy", "text/plain", 503, (("Retry-After", "120"),))
    registry = [
        outlet(name, site.url(f"/{path}"))
        for name, path in [
            ("healthy", "ok.xml"),
            ("broken", "html.xml"),
            ("failing", "gone.xml"),
            ("busy", "busy.xml"),
            ("paused", "ok.xml?paused"),
        ]
    ] + [outlet("fresh", site.url("/later.xml"))]
    async with crawler_for(db, clock, site.addr, bounds=Bounds(failing_after=3)) as crawler:
        crawler.register(registry)
        with db.write() as conn:
            conn.execute(
                update(outlets_table).where(outlets_table.c.id == "paused").values(paused=True)
            )
            conn.execute(
                update(outlets_table).where(outlets_table.c.id == "fresh").values(paused=True)
            )
        for _ in range(3):
            await crawler.crawl_once(outlet_ids={"failing"})
            clock.advance(60)
        await crawler.crawl_once()
        with db.write() as conn:  # "fresh" joins late: never polled yet
            conn.execute(
                update(outlets_table).where(outlets_table.c.id == "fresh").values(paused=False)
            )


async def test_health_rows_for_every_state(db: Database, site: FeedSite, clock: Clock) -> None:
    await crawl_every_state(db, site, clock)
    with db.read() as conn:
        rows = {row.outlet_id: row for row in outlet_health(conn, now=clock.now)}
    assert {k: r.status for k, r in rows.items()} == {
        "healthy": "ok",
        "broken": "error",
        "failing": "failing",
        "busy": "deferred",
        "paused": "paused",
        "fresh": "new",
    }
    healthy = rows["healthy"]
    assert healthy == OutletHealth(
        outlet_id="healthy",
        name="Healthy",
        status="ok",
        feeds=1,
        last_attempt=clock.now,
        last_success=clock.now,
        last_new=clock.now,
        error_kind=None,
        error=None,
        failures=0,
        items_per_day=round(2 / 7, 1),
        next_poll=clock.now + timedelta(seconds=900),
        errors={},
        pages=PageTally(tried=2, stored=2),
    )
    failing = rows["failing"]
    assert (failing.error_kind, failing.failures, failing.last_success) == ("http_status", 4, None)
    assert failing.errors == {"http_status": 4}
    assert failing.error == "HTTP 404 Not Found"
    assert (rows["broken"].error_kind, rows["broken"].failures) == ("not_a_feed", 1)
    busy = rows["busy"]
    assert (busy.error_kind, busy.failures, busy.errors) == ("http_status", 0, {"http_status": 1})
    assert rows["fresh"].last_attempt is None


async def test_health_command_prints_the_table_and_json(
    sqlite_db: Database, site: FeedSite, clock: Clock
) -> None:
    await crawl_every_state(sqlite_db, site, clock)
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    context = CliContext(config_file=None, overrides={"database_url": url})
    runner = CliRunner()
    table = runner.invoke(health, [], obj=context)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split() == [
        "outlet", "status", "last", "attempt", "last", "success", "last", "new", "error",
        "items/day", "pages", "images",
    ]  # fmt: skip
    by_outlet = {line.split()[0]: line for line in lines[1:]}
    assert by_outlet["failing"].split()[1] == "failing"
    assert "http_status ×4" in by_outlet["failing"]
    assert "not_a_feed ×1" in by_outlet["broken"]
    assert by_outlet["fresh"].split()[1:3] == ["new", "never"]
    assert "failing: http_status: HTTP 404 Not Found" in table.stderr

    as_json = runner.invoke(health, ["--json", "--days", "1"], obj=context)
    records = {r["outlet"]: r for r in map(json.loads, as_json.stdout.splitlines())}
    assert records["busy"]["status"] == "deferred"
    assert records["healthy"]["items_per_day"] == 2.0
    assert records["failing"]["errors"] == {"http_status": 4}


def test_health_command_on_an_empty_database(sqlite_db: Database) -> None:
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    context = CliContext(config_file=None, overrides={"database_url": url})
    result = CliRunner().invoke(health, [], obj=context)
    assert result.exit_code == 0
    assert "No outlets yet" in result.output
