"""Turn a feed item and its extracted page into an article to store. Pure: `now` is an argument.

Dates: the feed's date first, then the page's own, then the time first seen; never in the future.
Canonical URL: the page's `<link rel=canonical>` only when it stays on the fetched page's host
(a page must not claim another site's article), else the URL it was fetched from.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from alaune.categorize import categorize
from alaune.model import Extracted, FeedItem, Outlet
from alaune.store.articles import NewArticle
from alaune.text.html import html_to_text
from alaune.text.urls import canonical_url

MAX_LEAD = 1000


def choose_canonical(item_url: str, final_url: str, claimed: str) -> str:
    """The canonical URL to key the article on."""
    if claimed and urlsplit(claimed).hostname == urlsplit(final_url).hostname:
        return canonical_url(claimed)
    return canonical_url(final_url or item_url)


def choose_date(item: FeedItem, page: Extracted, *, now: datetime) -> tuple[datetime, str]:
    """(publication time, where it came from), never later than `now`."""
    for value, source in ((item.published, "feed"), (page.published, "page")):
        if value is not None:
            return min(value, now), source
    return now, "first_seen"


def assemble(
    *,
    outlet: Outlet,
    item: FeedItem,
    page: Extracted,
    final_url: str,
    raw_html: bytes,
    now: datetime,
) -> NewArticle:
    published, date_source = choose_date(item, page, now=now)
    lead = html_to_text(item.summary) or page.lead
    title = page.title or html_to_text(item.title)
    url = final_url or item.url
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
        published_at=published,
        date_source=date_source,
        first_seen_at=now,
        image_url=page.image_url or item.image_url,
        raw_html=raw_html,
    )
