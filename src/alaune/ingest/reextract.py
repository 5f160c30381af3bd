"""Re-extraction: stored articles read again from their raw pages with the current site template.

The first pages of an outlet are extracted before its template has seen enough pages to know
the furniture (three must agree), so their texts keep some of it. `reextract` reads each stored
page again, applies the outlet's template as it is now (apply only: learning the same pages
twice would inflate the counts) and stores what changed — title, lead, text, author, word count,
publication date and its source — with the article's search entry, in short write transactions
of `BATCH` articles. Extraction runs outside any transaction. The crawl calls it for one outlet
when its template crosses a page count of `due` (3, 10, 30, then every 100).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from alaune.errors import ParseError
from alaune.extract import Extraction, extract, templates
from alaune.ingest.assemble import MAX_LEAD, trusted_date
from alaune.store import articles as article_store
from alaune.store import outlets as outlet_store
from alaune.store import search
from alaune.store import templates as template_store
from alaune.store.articles import StoredPage
from alaune.store.engine import Database

BATCH = 20
THRESHOLDS = (3, 10, 30)
EVERY = 100
LISTED_SOURCES = frozenset({"feed", "sitemap"})

Progress = Callable[[int, int], None]  # (articles done, articles in all)


@dataclass(frozen=True, slots=True)
class Reextracted:
    """What one re-extraction did."""

    articles: int = 0
    outlets: int = 0
    changed: int = 0


@dataclass(frozen=True, slots=True)
class _Fields:
    """What re-extraction may change in a stored article."""

    title: str
    lead: str
    text: str
    author: str
    published_at: datetime
    date_source: str


def due(before: int, after: int) -> bool:
    """Whether a template going from `before` to `after` pages crossed a re-extraction point."""
    points = [*THRESHOLDS, *range(EVERY, after + 1, EVERY)]
    return any(before < point <= after for point in points)


def reextract(
    db: Database,
    *,
    now: datetime,
    outlet_id: str | None = None,
    since: datetime | None = None,
    template: templates.Template | None = None,
    progress: Progress | None = None,
) -> Reextracted:
    """Re-extract the stored articles (of one outlet, first seen since `since`).

    `template`, with `outlet_id`, is the outlet's template to apply (the crawl passes the one it
    holds); otherwise each outlet's stored template is read.
    """
    with db.read() as conn:
        todo = article_store.pages_to_reextract(conn, outlet_id=outlet_id, since=since)
        outlet_ids = sorted({o for _, o in todo})
        known = {
            o: (
                template
                if template is not None and o == outlet_id
                else templates.load_template(template_store.load(conn, o))
            )
            for o in outlet_ids
        }
        hints = {o: _hint(conn, o) for o in outlet_ids}
    changed = done = 0
    for start in range(0, len(todo), BATCH):
        ids = [i for i, _ in todo[start : start + BATCH]]
        with db.read() as conn:
            pages = article_store.stored_pages(conn, ids)
        updates = [
            fresh
            for page in pages
            if (fresh := _again(page, known[page.outlet_id], hints[page.outlet_id], now))
        ]
        if updates:
            with db.write() as conn:
                for article_id, f in updates:
                    if article_store.update_extraction(
                        conn,
                        article_id,
                        title=f.title,
                        lead=f.lead,
                        text=f.text,
                        author=f.author,
                        published_at=f.published_at,
                        date_source=f.date_source,
                    ):
                        search.index_article(conn, article_id)
                        changed += 1
        done += len(ids)
        if progress is not None:
            progress(done, len(todo))
    return Reextracted(articles=len(todo), outlets=len(outlet_ids), changed=changed)


def _hint(conn: Connection, outlet_id: str) -> str:
    """The outlet's first language: the language detector's hint for short texts."""
    outlet = outlet_store.get_outlet(conn, outlet_id)
    return outlet.languages[0] if outlet is not None and outlet.languages else ""


def _again(
    page: StoredPage, template: templates.Template, hint: str, now: datetime
) -> tuple[int, _Fields] | None:
    """(id, new values) when extracting `page` again changes what is stored, else None."""
    try:
        found = templates.apply(template, extract(page.raw_html, url=page.url, language_hint=hint))
    except ParseError:
        return None
    fields = _fields(page, found, now)
    current = _Fields(*(getattr(page, name) for name in _Fields.__slots__))
    return (page.id, fields) if fields != current else None


def _fields(page: StoredPage, found: Extraction, now: datetime) -> _Fields:
    # The listing's date is not stored apart: when it won, it is the stored date.
    listed = page.published_at if page.date_source in LISTED_SOURCES else None
    date = trusted_date(
        listed=listed,
        page=found,
        url=page.url,
        first_seen=page.first_seen_at,
        now=now,
        listing=page.date_source,
    )
    return _Fields(
        title=found.title or page.title,
        lead=page.lead or found.lead[:MAX_LEAD],  # a feed's summary, when it gave one, stays
        text=found.text,
        author=found.author or page.author,
        published_at=date.published,
        date_source=date.source,
    )
