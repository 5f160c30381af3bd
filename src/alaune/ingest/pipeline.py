"""One crawl: poll every feed, fetch the pages of new items, extract and store them.

Promise 1 (SECURITY.md): each article is stored in its own short transaction, keyed on its
canonical URL, and a feed's validators (ETag, Last-Modified) are saved only after every item the
response listed is stored or has failed for good. A crawl killed at any point therefore neither
loses nor duplicates an article: the next crawl re-reads the feed and skips what is stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from alaune.errors import AlauneError, FetchError, ParseError
from alaune.extract import extract_article
from alaune.fetch import Fetcher
from alaune.ingest.assemble import assemble
from alaune.model import FeedItem, Outlet
from alaune.parse import parse_listing
from alaune.store import articles as article_store
from alaune.store import feeds as feed_store
from alaune.store import outlets as outlet_store
from alaune.store.engine import Database
from alaune.text.urls import canonical_url

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
# Kinds after which a later poll may succeed: the feed is re-read until these items are stored.
TRANSIENT_KINDS = frozenset({"dns", "connect", "timeout", "tls", "protocol"})


def is_transient(exc: FetchError) -> bool:
    """Whether a later attempt may succeed (RFC 9110 15.6: 5xx; 429 asks to come back later)."""
    if exc.kind == "http_status":
        return exc.status is None or exc.status >= 500 or exc.status == 429
    return exc.kind in TRANSIENT_KINDS


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class CrawlReport:
    """What one crawl did, for the CLI's summary and for tests."""

    feeds: int = 0
    not_modified: int = 0
    items: int = 0
    added: int = 0
    known: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (url, kind, message)


ProgressFn = Callable[[int, int], None]


class Crawler:
    """Polls the feeds of the outlets in the database, through one `Fetcher`."""

    def __init__(
        self,
        db: Database,
        fetcher: Fetcher,
        *,
        clock: Callable[[], datetime] = utcnow,
        progress: ProgressFn | None = None,
    ) -> None:
        self.db = db
        self.fetcher = fetcher
        self.clock = clock
        self.progress = progress or (lambda done, total: None)

    def register(self, registry: Sequence[Outlet]) -> int:
        """Make the database agree with `registry`; returns how many outlets are new."""
        with self.db.write() as conn:
            return outlet_store.sync_outlets(conn, registry, now=self.clock())

    async def crawl_once(self, *, outlet_ids: set[str] | None = None) -> CrawlReport:
        with self.db.read() as conn:
            feeds = feed_store.list_feeds(conn, outlet_ids=outlet_ids)
            outlets = {o.id: o for o in outlet_store.list_outlets(conn)}
        report = CrawlReport(feeds=len(feeds))
        done = 0
        self.progress(done, len(feeds))

        async def one(feed: feed_store.FeedState) -> None:
            nonlocal done
            row = outlets[feed.outlet_id]
            outlet = Outlet(
                id=row.id,
                name=row.name,
                homepage=row.homepage,
                languages=row.languages,
                policy=row.policy,
                agency=row.agency,
            )
            await self._poll(feed, outlet, report)
            done += 1
            self.progress(done, len(feeds))

        await asyncio.gather(*(one(feed) for feed in feeds))
        return report

    async def _poll(self, feed: feed_store.FeedState, outlet: Outlet, report: CrawlReport) -> None:
        started = self.clock()
        try:
            response = await self.fetcher.get(
                feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT
            )
            if response.status == 304:
                with self.db.write() as conn:
                    feed_store.record_not_modified(conn, feed.id, at=started)
                report.not_modified += 1
                return
            items = parse_listing(response.body, kind=feed.kind, base_url=response.url, now=started)
        except (FetchError, ParseError) as exc:
            self._feed_failed(feed, exc, report, at=started)
            return
        report.items += len(items)
        complete = await self._store_items(items, outlet, report)
        with self.db.write() as conn:
            if complete:
                feed_store.record_success(
                    conn,
                    feed.id,
                    etag=response.etag,
                    last_modified=response.last_modified,
                    at=started,
                )
            else:  # keep the old validators: the next poll must list the missing items again
                feed_store.record_success(
                    conn, feed.id, etag=feed.etag, last_modified=feed.last_modified, at=started
                )

    def _feed_failed(
        self, feed: feed_store.FeedState, exc: AlauneError, report: CrawlReport, *, at: datetime
    ) -> None:
        kind = exc.kind if isinstance(exc, FetchError) else "parse_error"
        report.errors.append((feed.url, kind, str(exc)))
        with self.db.write() as conn:
            feed_store.record_error(conn, feed.id, kind=kind, message=str(exc), at=at)

    async def _store_items(
        self, items: Sequence[FeedItem], outlet: Outlet, report: CrawlReport
    ) -> bool:
        """Fetch and store the items not yet stored; False if one may succeed later."""
        by_key: dict[str, FeedItem] = {}
        for item in items:
            try:
                by_key.setdefault(canonical_url(item.url), item)
            except ValueError:
                continue
        with self.db.read() as conn:
            known = article_store.known_urls(conn, by_key)
        report.known += len(known)
        fresh = [item for key, item in by_key.items() if key not in known]
        outcomes = await asyncio.gather(*(self._store_item(item, outlet, report) for item in fresh))
        return all(outcomes)

    async def _store_item(self, item: FeedItem, outlet: Outlet, report: CrawlReport) -> bool:
        try:
            response = await self.fetcher.get(item.url, accept=PAGE_ACCEPT)
            hint = outlet.languages[0] if outlet.languages else ""
            page = await asyncio.to_thread(
                extract_article, response.body, url=response.url, language_hint=hint
            )
        except FetchError as exc:
            report.errors.append((item.url, exc.kind, str(exc)))
            return not is_transient(exc)
        except ParseError as exc:
            report.errors.append((item.url, "parse_error", str(exc)))
            return True
        article = assemble(
            outlet=outlet,
            item=item,
            page=page,
            final_url=response.url,
            raw_html=response.body,
            now=self.clock(),
        )
        with self.db.write() as conn:
            added = article_store.add_article(conn, article)
        if added is not None:
            report.added += 1
        return True
