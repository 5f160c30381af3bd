"""Pages for the extraction tests, rendered in-process: no server, no socket.

`demo_pages` renders every article page of the demo outlets with the demo package's own page
builder (`build_edition` + `OutletSite.respond`), each with its gold text and metadata.
`portal_pages` wraps the same articles in the furniture of an aggregator portal, put *inside*
the article's container where no extractor can tell it from the text: a rotating ticker of
headlines, a report widget's thank-you line, an inline "read also" line, a comment teaser, a
"read it at the source" link and a copyright line (the kinds of leaks that
../shared/reference/portal-article-page.txt shows; the wording here is written for alaune).
`measure` runs extraction over pages with or without a site template learned from them.
"""

from __future__ import annotations

import html
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from alaune.demo.corpus import Corpus, load_corpus
from alaune.demo.entries import Entry, build_edition
from alaune.demo.site import OutletSite
from alaune.extract import templates
from alaune.extract.article import extract
from alaune.extract.result import Extraction
from alaune.extract.scoring import Score, leaked, mean, token_score

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Page:
    outlet: str
    url: str
    body: bytes
    gold: tuple[str, ...]  # the article's paragraphs
    entry: Entry | None = None  # the demo's record of it, for the metadata checks


@dataclass(frozen=True)
class Measured:
    score: Score
    leaked: list[str]  # boilerplate paragraphs left in the texts
    extractions: list[Extraction]


def demo_pages(corpus: Corpus | None = None) -> list[Page]:
    corpus = corpus or load_corpus()
    pages = []
    for outlet in corpus.outlets:
        edition = build_edition(
            corpus, outlet.id, base_url=f"https://{outlet.id}.example", started_at=NOW
        )
        site = OutletSite(edition)
        for entry in edition.entries:
            body = site.respond(entry.path, {}).body
            gold = tuple(corpus.expected_text(entry.article.key).split("\n\n"))
            pages.append(Page(outlet.id, entry.url, body, gold, entry))
    return pages


_FURNITURE = {
    "fr": ("Dernières infos", "Merci, votre signalement a bien été transmis à la rédaction.",
           "À lire également :", "{n} réactions", "Lire l'article complet sur le site de la source",
           "Tous droits réservés © 2026 Portail Actu. Reproduction interdite."),
    "ar": ("آخر الأخبار", "شكرا، تم إرسال تبليغك إلى هيئة التحرير.", "اقرأ كذلك:", "{n} تعليقات",
           "اقرأ المقال كاملا على موقع المصدر", "جميع الحقوق محفوظة © 2026 بوابة الأخبار."),
    "en": ("Latest", "Thanks, your report has been sent to the newsroom.", "Also read:",
           "{n} comments", "Read the full article on the source's website",
           "All rights reserved © 2026 News Portal. Do not reproduce."),
}  # fmt: skip


def portal_pages(corpus: Corpus | None = None) -> list[Page]:
    """Every demo article as an aggregator portal would republish it."""
    corpus = corpus or load_corpus()
    articles = sorted(corpus.articles, key=lambda a: a.key)
    pages = []
    for i, article in enumerate(articles):
        rng = random.Random(article.key)
        others = [a for a in articles if a.language == article.language and a is not article]
        ticker = rng.sample(others, 6)
        read_also = rng.choice(others)
        label, thanks, also, teaser, source, rights = _FURNITURE[article.language]
        paragraphs = [f"<p>{html.escape(p)}</p>" for p in article.paragraphs]
        paragraphs.insert(
            min(2, len(paragraphs)),
            f'<p><strong>{also}</strong> <a href="/a/{read_also.slug}">'
            f"{html.escape(read_also.title)}</a></p>",
        )
        links = " ".join(f'<a href="/a/{a.slug}">{html.escape(a.title)}</a>' for a in ticker)
        url = f"https://portail.example/{article.language}/{i}/{article.slug}.html"
        body = f"""<!DOCTYPE html><html lang="{article.language}"><head><meta charset="utf-8">
<title>{html.escape(article.title)}</title></head><body>
<div class="entry"><h1>{html.escape(article.title)}</h1>
<div class="entry-content">
<p class="ticker"><b>{label}</b> {links}</p>
{"".join(paragraphs)}
<div class="report"><button>⚑</button><p>{thanks}</p></div>
<p><a href="#comments">{teaser.format(n=rng.randint(0, 9))}</a></p>
<p><a href="https://{article.outlet}.example/">{source}</a></p>
<p class="rights">{rights}</p>
</div></div></body></html>"""
        pages.append(Page("portal-" + article.language, url, body.encode(), article.paragraphs))
    return pages


def extract_all(pages: Iterable[Page]) -> list[tuple[Page, Extraction]]:
    return [(page, extract(page.body, url=page.url)) for page in pages]


def measure(extracted: list[tuple[Page, Extraction]], *, with_templates: bool) -> Measured:
    """Score extractions; with templates, learn each outlet's from all its pages, then apply."""
    if with_templates:
        learned: dict[str, templates.Template] = {}
        for page, found in extracted:
            start = learned.get(page.outlet, templates.new_template())
            learned[page.outlet] = templates.learn(start, found.blocks, page=page.url)
        extracted = [(p, templates.apply(learned[p.outlet], x)) for p, x in extracted]
    return _scored(extracted)


def measure_online(extracted: list[tuple[Page, Extraction]]) -> Measured:
    """As the crawler sees pages: each one learned, then its outlet's template applied to it."""
    learned: dict[str, templates.Template] = {}
    cleaned = []
    for page, found in extracted:
        start = learned.get(page.outlet, templates.new_template())
        learned[page.outlet] = templates.learn(start, found.blocks, page=page.url)
        cleaned.append((page, templates.apply(learned[page.outlet], found)))
    return _scored(cleaned)


def _scored(extracted: list[tuple[Page, Extraction]]) -> Measured:
    scores = [token_score(x.text, "\n\n".join(p.gold)) for p, x in extracted]
    leaks = [line for p, x in extracted for line in leaked(x.paragraphs, p.gold)]
    return Measured(mean(scores), leaks, [x for _, x in extracted])
