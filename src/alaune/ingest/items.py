"""The articles of one listing: which items are new, fetching their pages, storing them.

`Articles.ingest(items, outlet, report)` applies the identity policy of `identity` (canonical
URL key, tombstones, moved GUIDs), then fetches, extracts and stores each fresh item in its own
short transaction (dates reconciled by `alaune.extract.dates`, the listing's kind telling a
feed's date from a news sitemap's; the pictures inside the body queued for the image worker
with the article), re-checking the tombstones inside it so that an article
removed meanwhile is not stored. It returns how many articles are new and whether every item
is now settled (stored, known, or failed for good): only then may the feed's validators be
saved (promise 1).
Robots.txt is asked before each page; the fetcher asks it again for each redirect hop (the
`RobotsCache` is its redirect check). What became of the listing's pages — tried, stored,
failed by error kind — is written once they are all done, as `pages`/`page_error` rows of
`polls` under the listing's feed (`store.polls.record_pages`), which health sums per outlet;
a crash before that loses only this tally.
When an outlet's site template crosses a re-extraction point (`reextract.due`), the outlet's
earlier articles are re-extracted with it in a worker thread.
Placing articles in stories is the crawler's, once a round of polls is stored.
It must not touch a feed's state or schedule (that is `pipeline`).
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from alaune.cluster.embeddings import limit_blas_threads
from alaune.errors import FetchError, ParseError
from alaune.extract import extract, templates
from alaune.fetch import Fetcher, RobotsCache
from alaune.ingest import identity, reextract
from alaune.ingest.assemble import assemble
from alaune.ingest.kinds import is_transient
from alaune.model import FeedItem, Outlet
from alaune.store import articles as article_store
from alaune.store import identity as identity_store
from alaune.store import images as image_store
from alaune.store import polls as poll_store
from alaune.store import search, tombstones
from alaune.store import templates as template_store
from alaune.store.engine import Database

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass
class CrawlReport:
    """What one crawl did, for the CLI's summary and for tests."""

    feeds: int = 0
    not_modified: int = 0
    items: int = 0
    added: int = 0
    known: int = 0
    moved: int = 0
    deferred: int = 0  # polls answered 429/503: asked to come back later
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (url, kind, message)


@dataclass(frozen=True, slots=True)
class _Page:
    """What became of one fresh item's page."""

    added: bool = False  # a new article was stored
    settled: bool = True  # stored, known, or failed for good (not worth another try)
    failure: str | None = None  # the error kind, when fetching or extracting it failed


def extraction_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool for `Articles(executor=…)`: one worker per core, one BLAS thread each."""
    return ProcessPoolExecutor(workers or os.cpu_count() or 1, initializer=limit_blas_threads)


class Articles:
    """Stores the new articles a listing points to."""

    def __init__(
        self,
        db: Database,
        fetcher: Fetcher,
        robots: RobotsCache,
        clock: Callable[[], datetime],
        *,
        executor: Executor | None = None,
    ) -> None:
        self._templates: dict[str, templates.Template] = {}
        # Where pages are extracted: None is the event loop's default thread pool. A process
        # pool (`extraction_pool`) pays off only when extraction, ~4 ms a page, outweighs its
        # start-up and pickling: measured slower than a thread on the demo's crawl on 2 cores.
        self.executor = executor
        self.db = db
        self.fetcher = fetcher
        self.robots = robots
        self.clock = clock

    async def ingest(
        self,
        items: Sequence[FeedItem],
        outlet: Outlet,
        report: CrawlReport,
        *,
        listing: str = "",
        feed_id: int | None = None,
    ) -> tuple[int, bool]:
        """(articles added, every item settled); `listing` is the listing's kind ("sitemap":
        the items' dates are a news sitemap's), `feed_id` the feed whose listing it is (the
        pages' tally goes under it; None: under the outlet's first feed)."""
        by_key, unusable = identity.keyed(items)
        with self.db.read() as conn:
            known = article_store.known_urls(conn, by_key) | tombstones.tombstoned(conn, by_key)
            guids = [item.guid for key, item in by_key.items() if key not in known and item.guid]
            matches = identity_store.by_guid(conn, outlet.id, guids) if guids else {}
        stored = {
            guid: identity.StoredArticle(m.id, m.canonical_url, m.title)
            for guid, m in matches.items()
        }
        listing = listing or _sole_kind(outlet)
        plan = identity.plan(by_key, known=known, by_guid=stored, unusable=unusable)
        report.known += plan.known
        self._move(plan.moves, report)
        started = self.clock()
        pages = await asyncio.gather(
            *(self._store_item(item, outlet, report, listing) for _, item in plan.fresh)
        )
        self._record_pages(pages, outlet_id=outlet.id, feed_id=feed_id, started=started)
        return sum(page.added for page in pages), all(page.settled for page in pages)

    def _record_pages(
        self, pages: Sequence[_Page], *, outlet_id: str, feed_id: int | None, started: datetime
    ) -> None:
        """Write what became of a listing's pages, for health (nothing when none was tried)."""
        if not pages:
            return
        failed = Counter(page.failure for page in pages if page.failure)
        tally = poll_store.PageTally(
            tried=len(pages), stored=sum(page.added for page in pages), failed=dict(failed)
        )
        elapsed = max(0, int((self.clock() - started).total_seconds() * 1000))
        with self.db.write() as conn:
            poll_store.record_pages(
                conn,
                outlet_id=outlet_id,
                feed_id=feed_id,
                at=started,
                tally=tally,
                duration_ms=elapsed,
            )

    def _template(self, outlet_id: str) -> templates.Template:
        """The outlet's site template: read from the database once, then kept in memory."""
        if outlet_id not in self._templates:
            with self.db.read() as conn:
                stored = template_store.load(conn, outlet_id)
            self._templates[outlet_id] = templates.load_template(stored)
        return self._templates[outlet_id]

    def _move(self, moves: Sequence[identity.Move], report: CrawlReport) -> None:
        for move in moves:
            with self.db.write() as conn:
                report.moved += identity_store.move_article(
                    conn,
                    move.article.id,
                    canonical_url=move.canonical_url,
                    url=move.url,
                    now=self.clock(),
                )

    async def _store_item(
        self, item: FeedItem, outlet: Outlet, report: CrawlReport, listing: str = ""
    ) -> _Page:
        """What became of one item's page."""
        try:
            await self.robots.check(item.url)  # its redirects: checked by the fetcher, per hop
            response = await self.fetcher.get(item.url, accept=PAGE_ACCEPT)
            hint = outlet.languages[0] if outlet.languages else ""
            found = await asyncio.get_running_loop().run_in_executor(
                self.executor, partial(extract, response.body, url=response.url, language_hint=hint)
            )
        except FetchError as exc:
            report.errors.append((item.url, exc.kind, str(exc)))
            return _Page(settled=not is_transient(exc), failure=exc.kind)
        except ParseError as exc:
            report.errors.append((item.url, "parse_error", str(exc)))
            return _Page(failure="parse_error")
        # Learn from the page as extracted, then clean it with what the outlet's pages share
        # (tickers, "lire aussi", report widgets): in the event loop's thread, so one outlet's
        # template is never updated by two pages at once.
        before = self._template(outlet.id)
        template = templates.learn(before, found.blocks, page=response.url)
        self._templates[outlet.id] = template
        page = templates.apply(template, found)
        article = assemble(
            outlet=outlet,
            item=item,
            page=page,
            final_url=response.url,
            raw_html=response.body,
            now=self.clock(),
            listing=listing,
        )
        with self.db.write() as conn:
            # The page's own canonical URL may differ from the item's; and an admin may have
            # removed the article while its page was being fetched.
            if tombstones.tombstoned(conn, [article.canonical_url]):
                report.known += 1
                return _Page()
            article_id = article_store.add_article(conn, article)
            template_store.save(
                conn, outlet.id, template, pages=template["pages"], now=self.clock()
            )
            if article_id is not None:  # searchable in the same transaction as it is stored
                search.index_article(conn, article_id)
                image_store.replace_inline(conn, article_id, page.inline_images, now=self.clock())
            added = article_id is not None
        report.added += added
        if reextract.due(before["pages"], template["pages"]):
            await self._reextract(outlet.id, template)
        return _Page(added=added)

    async def _reextract(self, outlet_id: str, template: templates.Template) -> None:
        """Clean the outlet's earlier articles with a template that now knows more: in a worker
        thread, in short write transactions, applying (never learning) `template`."""
        await asyncio.to_thread(
            reextract.reextract, self.db, now=self.clock(), outlet_id=outlet_id, template=template
        )


def _sole_kind(outlet: Outlet) -> str:
    """The kind of the outlet's listings when they are all of one kind (else ""): what an item
    came from when the caller does not say."""
    kinds = {feed.kind for feed in outlet.feeds}
    return kinds.pop() if len(kinds) == 1 else ""
