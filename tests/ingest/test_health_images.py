"""Outlet health shows what became of each outlet's images (issue 4): stored out of all its
articles named, lead and inline, and the rejected ones by kind, in the store's rows and in
`alaune sources health` (table and JSON)."""

from __future__ import annotations

import json
from datetime import timedelta

from click.testing import CliRunner
from feed_site import FeedSite, Page, article, illustrated, picture, rss
from ingest_support import Clock, crawler_for, outlet

from alaune.cli.context import CliContext
from alaune.cli.sources_health import health
from alaune.store.engine import Database
from alaune.store.health import ImageHealth, outlet_health


async def crawl_with_images(db: Database, site: FeedSite, clock: Clock) -> None:
    """Outlet "pictures": a stored lead image, an inline one that is a web page in disguise, an
    inline one that is gone; outlet "plain": no image at all."""
    site.routes["/pictures.xml"] = rss((site.url("/a"), "a", "Le port"))
    site.routes["/a"] = illustrated("Le port", "/img/fake.png", "/img/gone.jpg")
    site.routes["/img/lead.jpg"] = picture("JPEG", (200, 40, 40))
    site.routes["/img/fake.png"] = Page(b"<html><script>alert(1)</script></html>", "image/png")
    site.routes["/plain.xml"] = rss((site.url("/b"), "b", "Le barrage"))
    site.routes["/b"] = article("Le barrage")
    async with crawler_for(db, clock, site.addr) as crawler:
        crawler.register(
            [outlet("pictures", site.url("/pictures.xml")), outlet("plain", site.url("/plain.xml"))]
        )
        await crawler.crawl_once()


async def test_health_counts_images_by_outcome(db: Database, site: FeedSite, clock: Clock) -> None:
    await crawl_with_images(db, site, clock)
    with db.read() as conn:
        rows = {row.outlet_id: row for row in outlet_health(conn, now=clock.now)}
        later = outlet_health(conn, now=clock.now + timedelta(days=8))
    assert rows["pictures"].images == ImageHealth(
        stored=1, pending=0, rejected={"http_status": 1, "not_an_image": 1}
    )
    assert rows["pictures"].images.total == 3
    assert rows["plain"].images == ImageHealth()
    # Like the other counts, over the window: images first seen before it are left out.
    assert all(row.images == ImageHealth() for row in later)


async def test_health_command_shows_images_and_their_rejections(
    sqlite_db: Database, site: FeedSite, clock: Clock
) -> None:
    await crawl_with_images(sqlite_db, site, clock)
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    context = CliContext(config_file=None, overrides={"database_url": url})
    runner = CliRunner()
    table = runner.invoke(health, ["--days", "365"], obj=context)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split()[-1] == "images"
    by_outlet = {line.split()[0]: line.split() for line in lines[1:] if line.strip()}
    assert by_outlet["pictures"][-1] == "1/3"
    assert by_outlet["plain"][-1] == "-"
    assert "Images rejected:" in lines
    assert "  pictures: http_status ×1, not_an_image ×1" in lines

    as_json = runner.invoke(health, ["--json", "--days", "365"], obj=context)
    records = {r["outlet"]: r for r in map(json.loads, as_json.stdout.splitlines())}
    assert records["pictures"]["images"] == {
        "stored": 1,
        "pending": 0,
        "rejected": {"http_status": 1, "not_an_image": 1},
    }
    assert records["plain"]["images"] == {"stored": 0, "pending": 0, "rejected": {}}
