"""Re-extraction: stored articles read again from their raw pages with the current site template.

The first pages of an outlet are extracted before its template has seen enough pages to know
the furniture (three must agree), so their texts keep some of it. `reextract` reads each stored
page again, applies the outlet's template as it is now (apply only: learning the same pages
twice would inflate the counts) and stores what changed — title, lead, text, author, word count,
publication date and its source, the pictures inside the body — with the article's search entry
and, when the text changed, its dedupe fingerprint (`alaune.dedupe.keys`, as placement computes
it; an article not yet placed keeps none), in short write transactions of `BATCH` articles.
Extraction runs outside any transaction. The crawl calls it for one outlet when its template
crosses a page count of `due` (3, 10, 30, then every 100). It must not move an article between
stories: placement is `alaune.ingest.stories`'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection

from alaune.dedupe.keys import fingerprint
from alaune.errors import ParseError
from alaune.extract import Extraction, extract, templates
from alaune.ingest.assemble import MAX_LEAD, trusted_date
from alaune.store import articles as article_store
from alaune.store import images as image_store
from alaune.store import outlets as outlet_store
from alaune.store import search
from alaune.store import templates as template_store
from alaune.store.articles import StoredPage
from alaune.store.engine import Database

BATCH = 20
THRESHOLDS = (3, 10, 30)
EVERY = 100
LISTED_SOURCES = frozenset({"feed", "sitemap"})
_FIELDS = ("title", "lead", "text", "author", "published_at", "date_source")  # of `StoredPage`

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
    images: tuple[str, ...] = ()  # the inline images' URLs, in body order


@dataclass(frozen=True, slots=True)
class _Change:
    """One article's stored values and those extracted again."""

    article_id: int
    old: _Fields
    new: _Fields


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
        changes = _extract_again(db, ids, known, hints, now)
        if changes:
            with db.write() as conn:
                changed += sum(_store(conn, change, now) for change in changes)
        done += len(ids)
        if progress is not None:
            progress(done, len(todo))
    return Reextracted(articles=len(todo), outlets=len(outlet_ids), changed=changed)


def _extract_again(
    db: Database,
    ids: list[int],
    known: dict[str, templates.Template],
    hints: dict[str, str],
    now: datetime,
) -> list[_Change]:
    """The articles among `ids` whose extraction changed (read in one short transaction,
    extracted outside it)."""
    with db.read() as conn:
        pages = article_store.stored_pages(conn, ids)
        inline = image_store.inline_urls(conn, ids)
        leads = article_store.lead_image_urls(conn, ids)
    changes = []
    for page in pages:
        stored = replace(_stored(page), images=inline.get(page.id, ()))
        fresh = _again(page, known[page.outlet_id], hints[page.outlet_id], now, leads.get(page.id))
        if fresh is not None and fresh != stored:
            changes.append(_Change(page.id, stored, fresh))
    return changes


def _store(conn: Connection, change: _Change, now: datetime) -> bool:
    """Write what changed of one article; False when it is gone."""
    old, new = change.old, change.new
    if replace(old, images=()) != replace(new, images=()):
        if not article_store.update_extraction(
            conn,
            change.article_id,
            title=new.title,
            lead=new.lead,
            text=new.text,
            author=new.author,
            published_at=new.published_at,
            date_source=new.date_source,
        ):
            return False
        search.index_article(conn, change.article_id)
    if (old.text, old.lead) != (new.text, new.lead):
        fp = fingerprint(new.text, lead=new.lead)
        article_store.refresh_fingerprint(
            conn, change.article_id, content_hash=fp.content_hash, minhash=fp.to_bytes()
        )
    if old.images != new.images:
        image_store.replace_inline(conn, change.article_id, new.images, now=now)
    return True


def _hint(conn: Connection, outlet_id: str) -> str:
    """The outlet's first language: the language detector's hint for short texts."""
    outlet = outlet_store.get_outlet(conn, outlet_id)
    return outlet.languages[0] if outlet is not None and outlet.languages else ""


def _again(
    page: StoredPage, template: templates.Template, hint: str, now: datetime, lead: str | None
) -> _Fields | None:
    """What extracting `page` again gives (None when it no longer can); `lead` is the URL of
    the article's lead image, never one of its inline images."""
    try:
        found = templates.apply(template, extract(page.raw_html, url=page.url, language_hint=hint))
    except ParseError:
        return None
    images = tuple(url for url in found.inline_images if url != lead)[: image_store.MAX_INLINE]
    return replace(_fields(page, found, now), images=images)


def _stored(page: StoredPage) -> _Fields:
    return _Fields(*(getattr(page, name) for name in _FIELDS))


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
