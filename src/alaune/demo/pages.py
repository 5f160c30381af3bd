"""HTML pages of a demo outlet: its home page, section listings, article pages and 404 page.

Builds each page's context from an `Edition` and renders the Jinja2 templates of
`demo/templates` with autoescaping on. The boilerplate around an article (header, navigation,
headline ticker, cookie banner, image-report widget, "read also" inserts, share buttons,
newsletter box, comments, related grid, footer) differs with the outlet's style and speaks its
language. Must not read the clock or do I/O beyond loading the package's templates.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from alaune.demo import parts
from alaune.demo.entries import Edition, Entry
from alaune.demo.strings import UI, format_date, local_time
from alaune.demo.urls import FEED_PATHS, section_path, slugify

_TICKER_SIZE = 8
_RELATED_SIZE = 4
_FEED_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "jsonfeed": "application/feed+json",
}


def render_home(edition: Edition) -> str:
    """The home page: the newest article as the lead story, then the others."""
    cards = parts.others(edition, None, len(edition.entries))
    return _render(
        "listing.html",
        _site(edition),
        heading=UI[edition.outlet.language]["top"],
        cards=cards,
        is_home=True,
    )


def render_section(edition: Edition, section: str) -> str:
    """A section's listing page."""
    entries = [e for e in edition.entries if e.article.section == section]
    cards = [parts.card(edition, e) for e in entries]
    return _render("listing.html", _site(edition), heading=section, cards=cards, is_home=False)


def render_article(edition: Edition, entry: Entry) -> str:
    """An article page in the outlet's style."""
    context = _site(edition) | _article(edition, entry)
    return _render(f"article_{edition.outlet.style}.html", context)


def render_not_found(edition: Edition) -> str:
    return _render("not_found.html", _site(edition))


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("alaune.demo", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(template: str, context: dict[str, Any], **extra: Any) -> str:
    return _environment().get_template(template).render(context | extra)


def _site(edition: Edition) -> dict[str, Any]:
    """What every page of the outlet shows: header, navigation, ticker, footer."""
    outlet = edition.outlet
    started = local_time(edition.started_at, outlet.country)
    feed_type = _FEED_TYPES.get(outlet.feed)
    return {
        "outlet": outlet,
        "lang": outlet.language,
        "dir": "rtl" if outlet.language == "ar" else "ltr",
        "t": UI[outlet.language],
        "layout": f"layout_{outlet.style}.html",
        "nav": [{"name": s, "path": section_path(s)} for s in edition.sections()],
        "ticker": parts.others(edition, None, _TICKER_SIZE),
        "feed": {"type": feed_type, "url": edition.base_url + FEED_PATHS[outlet.feed]}
        if feed_type
        else None,
        "today": format_date(started, outlet.language),
        "year": started.year,
    }


def _article(edition: Edition, entry: Entry) -> dict[str, Any]:
    article = entry.article
    card = parts.card(edition, entry)
    links = parts.read_also(edition, entry)
    return {
        "article": article,
        "card": card,
        "image": entry.image,
        "image_url": entry.image_url,
        "canonical": entry.url,
        "credit": (entry.source or edition.outlet).name,
        "source": entry.source.name if entry.source else "",
        "author_path": f"/auteurs/{slugify(article.author)}/" if article.author else "",
        "reading_time": UI[article.language]["reading_time"].format(
            n=parts.reading_minutes(article.paragraphs)
        ),
        "blocks": parts.body(article.paragraphs, links, edition.outlet.style, entry.figure),
        "read_also": links,
        "ticker": parts.others(edition, entry, _TICKER_SIZE),
        "related": _related(edition, entry),
        "comments": parts.comments(edition, entry),
        "share": parts.share_links(entry.url, article.title),
        "ld": parts.json_ld(edition, entry, card.iso),
        "section_path": card.section_path,
    }


def _related(edition: Edition, entry: Entry) -> list[parts.Card]:
    """Same section first, then the newest others."""
    rest = [e for e in edition.entries if e is not entry]
    section = entry.article.section
    same = [e for e in rest if e.article.section == section]
    chosen = (same + [e for e in rest if e.article.section != section])[:_RELATED_SIZE]
    return [parts.card(edition, e) for e in chosen]
