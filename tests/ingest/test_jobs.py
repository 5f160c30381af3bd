"""The crawler runs the discovery jobs the admin area queues: a homepage becomes an outlet with
its feeds, through the safe fetcher; failures are written back with their reason."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from feed_site import FeedSite, Page

from alaune.fetch import Fetcher, FetchPolicy
from alaune.fetch.safety import Allowlist
from alaune.ingest.jobs import run_jobs
from alaune.store import jobs, outlets
from alaune.store.engine import Database

RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
HOME = (
    '<html lang="fr"><head><title>Le Courrier de Tanger</title>'
    '<link rel="alternate" type="application/rss+xml" href="/rss"></head></html>'
)


def _run(db: Database, allow: tuple[str, ...]) -> int:
    async def go() -> int:
        async with Fetcher(FetchPolicy(allow=Allowlist.parse(allow))) as fetcher:
            return await run_jobs(db, fetcher, allow=allow, clock=lambda: datetime.now(UTC))

    return asyncio.run(go())


def _queue(db: Database, homepage: str) -> int:
    with db.write() as conn:
        return jobs.enqueue(
            conn,
            jobs.DISCOVER,
            {"homepage": homepage},
            requested_by="editor",
            now=datetime.now(UTC),
        )


def test_a_discovery_job_adds_the_outlet_with_its_feeds(
    sqlite_db: Database, site: FeedSite
) -> None:
    address = site.addr
    site.routes.update(
        {"/": Page(HOME.encode()), "/rss": Page(RSS.encode(), "application/rss+xml")}
    )
    job_id = _queue(sqlite_db, f"http://{address}/")
    assert _run(sqlite_db, (address,)) == 1
    with sqlite_db.read() as conn:
        done = jobs.recent(conn)[0]
        added = [
            o for o in outlets.list_registry(conn) if o.homepage.startswith(f"http://{address}")
        ]
    assert (done.id, done.status) == (job_id, "done")
    assert "Le Courrier de Tanger" in done.result
    assert len(added) == 1
    assert [f.url for f in added[0].feeds] == [f"http://{address}/rss"]
    assert added[0].languages == ("fr",)
    assert _run(sqlite_db, (address,)) == 0  # nothing left to do


def test_a_failing_job_records_why_and_the_next_one_still_runs(
    sqlite_db: Database, site: FeedSite
) -> None:
    address = site.addr
    site.routes.update(
        {"/": Page(HOME.encode()), "/rss": Page(RSS.encode(), "application/rss+xml")}
    )
    _queue(sqlite_db, f"http://{address}/")
    # Not in the allow list: refused by the fetcher before any request.
    _queue(sqlite_db, "http://127.0.0.2:9/")
    assert _run(sqlite_db, (address,)) == 2
    with sqlite_db.read() as conn:
        by_status = {job.payload["homepage"]: (job.status, job.result) for job in jobs.recent(conn)}
    assert by_status[f"http://{address}/"][0] == "done"
    status, result = by_status["http://127.0.0.2:9/"]
    assert status == "failed"
    assert "refused_address" in result or "not a public address" in result


def test_the_scale_out_image_task_runs_queued_discovery_jobs(
    tmp_path: object, site: FeedSite
) -> None:
    from pathlib import Path

    from alaune.config import load_settings
    from alaune.store import migrate
    from alaune.store.engine import open_database
    from alaune.workers import tasks
    from alaune.workers.runtime import Runtime

    address = site.addr
    site.routes.update(
        {"/": Page(HOME.encode()), "/rss": Page(RSS.encode(), "application/rss+xml")}
    )
    url = f"sqlite:///{Path(str(tmp_path)) / 'jobs.db'}"
    db = open_database(url)
    migrate.upgrade(db)
    _queue(db, f"http://{address}/")
    runtime = Runtime(
        load_settings(env={}, overrides={"database_url": url, "fetch_allow": [address]})
    )
    try:
        tasks.fetch_images(runtime)
    finally:
        runtime.close()
    with db.read() as conn:
        assert [job.status for job in jobs.recent(conn)] == ["done"]
    db.dispose()
