"""The pieces an article page is assembled from, chosen deterministically for each article.

Cards (a title, link, date and picture), the "read also" picks and where a style inserts them
between paragraphs (and the inline figure), the fictional reader comments, the share links and
the JSON-LD block. Every choice is seeded from the article key, so a page is the same on every
request and every run.
Pure: no markup (templates do that), no clock, no I/O.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from alaune.demo.entries import FIGURE_AFTER, Edition, Entry
from alaune.demo.images import LeadImage
from alaune.demo.strings import COMMENTS, format_date, local_time
from alaune.demo.urls import section_path

_WORDS_PER_MINUTE = 200


@dataclass(frozen=True, slots=True)
class Card:
    """An article as a listing, ticker or box shows it."""

    title: str
    path: str
    lead: str
    section: str
    section_path: str
    iso: str  # local time, ISO 8601 with offset, for <time datetime>
    when: str  # the same moment as the language writes it
    clock: str  # "14:05"
    image_path: str


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of an article body: a paragraph, a "read also" insert, or a figure."""

    kind: str  # "p" | "read_also_box" | "read_also_line" | "figure"
    text: str = ""
    links: tuple[Card, ...] = ()
    image: LeadImage | None = None  # of a figure


@dataclass(frozen=True, slots=True)
class Comment:
    name: str
    text: str
    iso: str
    when: str
    likes: int


@dataclass(frozen=True, slots=True)
class ShareLink:
    id: str
    label: str
    url: str


def card(edition: Edition, entry: Entry) -> Card:
    local = local_time(entry.published, edition.outlet.country)
    return Card(
        title=entry.article.title,
        path=entry.path,
        lead=entry.article.lead,
        section=entry.article.section,
        section_path=section_path(entry.article.section),
        iso=local.isoformat(),
        when=format_date(local, edition.outlet.language),
        clock=f"{local.hour:02d}:{local.minute:02d}",
        image_path=entry.image.path,
    )


def others(edition: Edition, entry: Entry | None, limit: int) -> list[Card]:
    """The outlet's newest articles other than `entry`: the ticker, the related grid."""
    return [card(edition, e) for e in edition.entries if e is not entry][:limit]


def read_also(edition: Edition, entry: Entry) -> list[Card]:
    """Two or three other articles of the outlet, picked by the article's seed."""
    pool = [e for e in edition.entries if e is not entry]
    rng = _rng(entry.article.key, "read-also")
    picks = rng.sample(pool, k=min(len(pool), rng.randint(2, 3)))
    return [card(edition, e) for e in picks]


def body(
    paragraphs: tuple[str, ...], links: list[Card], style: str, figure: LeadImage | None = None
) -> list[Block]:
    """The article body with "read also" inserted as the style does it, and `figure` after
    `FIGURE_AFTER` paragraphs.

    classic: one box after the second paragraph; magazine: single-link lines after the first and
    third paragraphs (as a <p>, the hardest case for extractors); agency: nothing inline.
    """
    inserts: dict[int, Block] = {}
    if style == "classic" and links:
        inserts[min(2, len(paragraphs))] = Block("read_also_box", links=tuple(links))
    elif style == "magazine":
        for after, link in zip((1, 3), links, strict=False):
            if after < len(paragraphs):
                inserts[after] = Block("read_also_line", links=(link,))
    blocks: list[Block] = []
    for i, paragraph in enumerate(paragraphs, start=1):
        blocks.append(Block("p", text=paragraph))
        if i in inserts:
            blocks.append(inserts[i])
        if figure is not None and i == FIGURE_AFTER:
            blocks.append(Block("figure", image=figure))
    return blocks


def comments(edition: Edition, entry: Entry) -> list[Comment]:
    """Two or three reader comments, posted after the article and before the server started."""
    rng = _rng(entry.article.key, "comments")
    pool = COMMENTS[edition.outlet.language]
    picked = rng.sample(pool, k=rng.randint(2, 3))
    times = sorted(
        min(entry.published + timedelta(minutes=rng.randint(4, 600)), edition.started_at).replace(
            second=0, microsecond=0
        )
        for _ in picked
    )
    return [
        _comment(edition, name, text, at, rng.randint(0, 40))
        for (name, text), at in zip(picked, times, strict=True)
    ]


def share_links(url: str, title: str) -> list[ShareLink]:
    u, t = quote(url, safe=""), quote(title, safe="")
    return [
        ShareLink("facebook", "Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ShareLink("x", "X", f"https://twitter.com/intent/tweet?url={u}&text={t}"),
        ShareLink("whatsapp", "WhatsApp", f"https://api.whatsapp.com/send?text={t}%20{u}"),
        ShareLink(
            "linkedin", "LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={u}"
        ),
        ShareLink("email", "E-mail", f"mailto:?subject={t}&body={u}"),
    ]


def reading_minutes(paragraphs: tuple[str, ...]) -> int:
    words = sum(len(p.split()) for p in paragraphs)
    return max(1, math.ceil(words / _WORDS_PER_MINUTE))


def json_ld(edition: Edition, entry: Entry, published_iso: str) -> dict[str, Any]:
    """schema.org NewsArticle, as publishers embed it for search engines."""
    article = entry.article
    author: dict[str, str] = (
        {"@type": "Person", "name": article.author}
        if article.author
        else {"@type": "Organization", "name": (entry.source or edition.outlet).name}
    )
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": entry.url},
        "headline": article.title,
        "description": article.lead,
        "image": [entry.image_url],
        "datePublished": published_iso,
        "dateModified": published_iso,
        "author": [author],
        "publisher": {
            "@type": "Organization",
            "name": edition.outlet.name,
            "url": edition.base_url + "/",
        },
        "articleSection": article.section,
        "inLanguage": article.language,
    }


def _comment(edition: Edition, name: str, text: str, at: datetime, likes: int) -> Comment:
    local = local_time(at, edition.outlet.country)
    return Comment(
        name=name,
        text=text,
        iso=local.isoformat(),
        when=format_date(local, edition.outlet.language),
        likes=likes,
    )


def _rng(key: str, purpose: str) -> random.Random:
    digest = hashlib.sha256(f"{purpose}:{key}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))
