"""The crawler's side of the jobs the admin area queues (store.jobs): the network work the web
process may not do itself.

`discover`: read a homepage, probe its feeds (ingest.discovery) and add the outlet to the
database (verified, since its feeds just answered from this machine), or record why not. A
`poll` job is not needed: the admin area makes an outlet's feeds due and the next pass polls
them. Each job's outcome is written back for the admin to read; one failing job never stops the
others or the crawl.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from alaune.errors import AlauneError
from alaune.fetch import Fetcher
from alaune.ingest.discovery import DiscoveryError, build_outlet, discover_site, drop_known
from alaune.model import Outlet
from alaune.sources.entries import suggest_id
from alaune.sources.registry import feed_key
from alaune.store import jobs, outlets
from alaune.store.engine import Database

log = logging.getLogger(__name__)


async def run_jobs(
    db: Database, fetcher: Fetcher, *, allow: tuple[str, ...], clock: Callable[[], datetime]
) -> int:
    """Run the queued jobs; returns how many ran."""
    with db.write() as conn:
        taken = jobs.take(conn, now=clock())
    for job in taken:
        try:
            ok, result = await _run(db, fetcher, job, allow, clock)
        except Exception as exc:  # a job's bug must not end the crawl loop
            log.exception("job %s failed", job.id)
            ok, result = False, f"unexpected error: {type(exc).__name__}"
        with db.write() as conn:
            jobs.finish(conn, job.id, ok=ok, result=result, now=clock())
    return len(taken)


async def _run(
    db: Database,
    fetcher: Fetcher,
    job: jobs.Job,
    allow: tuple[str, ...],
    clock: Callable[[], datetime],
) -> tuple[bool, str]:
    if job.kind != jobs.DISCOVER:
        return False, f"unknown job kind {job.kind!r}"
    homepage = str(job.payload.get("homepage") or "")
    language = str(job.payload.get("language") or "") or None
    try:
        found = await discover_site(fetcher, homepage, allow)
    except (DiscoveryError, AlauneError) as exc:
        return False, str(exc)
    with db.read() as conn:
        registry = outlets.list_registry(conn, include_paused=True)
    drop_known(found, {feed_key(f.url): o.id for o in registry for f in o.feeds})
    if not found.feeds:
        skipped = "; ".join(found.skipped[:3])
        return False, f"no new feed or news sitemap answered on this site ({skipped})"
    taken = {outlet.id for outlet in registry}
    try:
        outlet = build_outlet(found, suggest_id(found.homepage, taken), language, None, None)
    except DiscoveryError as exc:
        return False, f"{exc}: choose the language when adding it"
    _add(db, outlet, clock())
    return True, f"added {outlet.id!r} ({outlet.name}) with {len(outlet.feeds)} feed(s)"


def _add(db: Database, outlet: Outlet, now: datetime) -> None:
    with db.write() as conn:
        outlets.sync_outlets(conn, [outlet], now=now)
