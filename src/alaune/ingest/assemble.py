"""Turn a feed item and its extracted page into an article to store. Pure: `now` is an argument.

Dates: `alaune.extract.dates.reconcile` weighs the listing's date (a feed's, or a news
sitemap's when the listing was one), the page's own statements (JSON-LD, meta tags, `<time>`),
a date in the URL and the time first seen; never in the future; the winning source is stored
in `articles.date_source`.
Canonical URL: the page's `<link rel=canonical>` only when it stays on the fetched page's host
(a page must not claim another site's article), else the URL it was fetched from.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from alaune.categorize import categorize
from alaune.extract import DateEvidence, Extraction, TrustedDate, reconcile
from alaune.model import FeedItem, Outlet
from alaune.store.articles import NewArticle
from alaune.text.html import html_to_text
from alaune.text.urls import canonical_url

MAX_LEAD = 1000
SITEMAP_KINDS = frozenset({"sitemap"})


def choose_canonical(item_url: str, final_url: str, claimed: str) -> str:
    """The canonical URL to key the article on."""
    if claimed and urlsplit(claimed).hostname == urlsplit(final_url).hostname:
        return canonical_url(claimed)
    return canonical_url(final_url or item_url)


def trusted_date(
    *,
    listed: datetime | None,
    page: Extraction,
    url: str,
    first_seen: datetime,
    now: datetime,
    listing: str = "",
) -> TrustedDate:
    """The publication time to trust and its source; `listed` is the listing's date for the
    item, a news sitemap's when `listing` is "sitemap", else a feed's."""
    sitemap = listing in SITEMAP_KINDS
    evidence = DateEvidence(
        first_seen=first_seen,
        feed=None if sitemap else listed,
        sitemap=listed if sitemap else None,
        page=page.page_dates,
        page_modified=page.updated,
        url=url,
    )
    return reconcile(evidence, now=now)


def assemble(
    *,
    outlet: Outlet,
    item: FeedItem,
    page: Extraction,
    final_url: str,
    raw_html: bytes,
    now: datetime,
    listing: str = "",
) -> NewArticle:
    """The article to store; `listing` is the kind of listing the item came from."""
    url = final_url or item.url
    date = trusted_date(
        listed=item.published, page=page, url=url, first_seen=now, now=now, listing=listing
    )
    lead = html_to_text(item.summary) or page.lead
    title = page.title or html_to_text(item.title)
    return NewArticle(
        outlet_id=outlet.id,
        canonical_url=choose_canonical(item.url, final_url, page.canonical_url),
        url=url,
        guid=item.guid,
        title=title,
        lead=lead[:MAX_LEAD],
        text=page.text,
        author=page.author or item.author,
        language=page.language or (outlet.languages[0] if outlet.languages else ""),
        section=item.section,
        category=categorize(outlet, item.section, url, title, page.text),
        published_at=date.published,
        date_source=date.source,
        first_seen_at=now,
        image_url=page.image_url or item.image_url,
        raw_html=raw_html,
    )
