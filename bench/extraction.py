"""Extraction quality and speed: alaune's extractor beside plain trafilatura, in the same run.

    .venv/bin/python -m bench.extraction [--rounds 3]

Corpora, each scored with bag-of-tokens precision/recall/F1 (`alaune.extract.scoring`), macro
averaged over pages:
- demo: every article page of the demo outlets, rendered in-process by the demo package's page
  builder (no server), against `Corpus.expected_text`;
- readability-testpages and newspaper4k-testdata from ../shared/data, when present, as their
  SOURCE.md says: `expected.html` with its tags stripped, or `txt/NAME.txt`. Nothing from them
  is copied into the repository.

Systems: alaune (`extract` + the outlet's site template learned and applied page by page, as
the crawler does; metadata, sanitizing and language detection included), trafilatura 2.x with
`fast=True` and trafilatura with its defaults, each `trafilatura.extract(html)` to text. alaune
keeps the title and the lead apart from the text; where the body opened with the lead and alaune
dropped it as a repeat, the lead is scored with the text when the corpus's gold has it (readers
see both); the demo's gold leaves the lead out.

Time is CPU time of this process (`time.process_time`), the systems interleaved page by page
in an order that rotates from page to page (whichever runs first on a page pays for caches the
next one finds warm), the median of `--rounds` rounds, so that other load on a shared machine
distorts it less.
DESIGN.md's target: F1 ≥ trafilatura `fast`'s, at ≤ 1.3× its time.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import trafilatura

from alaune.demo.corpus import load_corpus
from alaune.demo.entries import build_edition
from alaune.demo.site import OutletSite
from alaune.errors import ParseError
from alaune.extract import templates
from alaune.extract.article import extract
from alaune.extract.scoring import Score, mean, token_score

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Page:
    site: str  # the outlet, for site templates
    url: str
    html: bytes
    gold: str
    lead_in_gold: bool = True  # the demo's gold leaves the lead (standfirst) out


def demo_pages() -> list[Page]:
    corpus = load_corpus()
    pages = []
    for outlet in corpus.outlets:
        base = f"https://{outlet.id}.example"
        edition = build_edition(corpus, outlet.id, base_url=base, started_at=NOW)
        site = OutletSite(edition)
        for entry in edition.entries:
            body = site.respond(entry.path, {}).body
            gold = corpus.expected_text(entry.article.key)
            pages.append(Page(outlet.id, entry.url, body, gold, lead_in_gold=False))
    return pages


def readability_pages() -> list[Page]:
    root = DATA / "readability-testpages"
    pages = []
    for folder in sorted(p for p in root.glob("*") if (p / "expected.html").exists()):
        gold = lxml.html.fromstring((folder / "expected.html").read_bytes()).text_content()
        url = f"https://{folder.name}.example/article"
        pages.append(Page(folder.name, url, (folder / "source.html").read_bytes(), gold))
    return pages


def newspaper4k_pages() -> list[Page]:
    root = DATA / "newspaper4k-testdata"
    pages = []
    for source in sorted((root / "html").glob("*.html")):
        gold = root / "txt" / f"{source.stem}.txt"
        if gold.exists():
            url = f"https://{source.stem}.example/article"
            pages.append(Page(source.stem, url, source.read_bytes(), gold.read_text("utf-8")))
    return pages


class Alaune:
    """alaune as the crawler runs it: extract, learn the site's template, apply it."""

    def __init__(self) -> None:
        self.learned: dict[str, templates.Template] = {}
        self.readability = 0

    def __call__(self, page: Page) -> str:
        try:
            found = extract(page.html, url=page.url)
        except ParseError:
            return ""
        template = templates.learn(
            self.learned.get(page.site, templates.new_template()), found.blocks, page=page.url
        )
        self.learned[page.site] = template
        found = templates.apply(template, found)
        self.readability += found.extractor == "readability"
        if found.lead_in_body and page.lead_in_gold:
            return f"{found.lead}\n\n{found.text}"
        return found.text


def trafilatura_fast(page: Page) -> str:
    return trafilatura.extract(page.html, fast=True) or ""


def trafilatura_default(page: Page) -> str:
    return trafilatura.extract(page.html) or ""


@dataclass
class Result:
    name: str
    score: Score
    ms_per_page: float


def compare(pages: list[Page], rounds: int) -> tuple[list[Result], int]:
    """Each system over every page, interleaved; (results, pages alaune sent to readability)."""
    names = ("alaune", "trafilatura fast", "trafilatura default")
    times: dict[str, list[float]] = {name: [] for name in names}
    scores: dict[str, list[Score]] = {name: [] for name in names}
    readability = 0
    for round_number in range(rounds):
        ours = Alaune()  # a fresh crawler each round: templates learned from scratch
        systems: dict[str, Callable[[Page], str]] = dict(
            zip(names, (ours, trafilatura_fast, trafilatura_default), strict=True)
        )
        spent = dict.fromkeys(names, 0.0)
        order = list(systems.items())
        for number, page in enumerate(pages):
            shift = number % len(order)
            for name, system in order[shift:] + order[:shift]:
                started = time.process_time()
                text = system(page)
                spent[name] += time.process_time() - started
                if round_number == 0:
                    scores[name].append(token_score(text, page.gold))
        for name in names:
            times[name].append(spent[name] * 1000 / len(pages))
        readability = ours.readability
    results = [Result(n, mean(scores[n]), statistics.median(times[n])) for n in names]
    return results, readability


def run(rounds: int = 3) -> Iterator[str]:
    logging.disable(logging.WARNING)  # trafilatura logs every page it discards
    corpora = [("demo outlets", demo_pages())]
    for name, loader in (
        ("readability-testpages", readability_pages),
        ("newspaper4k-testdata", newspaper4k_pages),
    ):
        if (DATA / name).exists():
            corpora.append((name, loader()))
        else:
            yield f"{name}: not found under {DATA}, skipped"
    yield "| corpus (pages) | system | precision | recall | F1 | ms/page (CPU) | × tf. fast |"
    yield "|---|---|---|---|---|---|---|"
    for corpus, pages in corpora:
        results, readability = compare(pages, rounds)
        fast = next(r for r in results if r.name == "trafilatura fast").ms_per_page
        for result in results:
            s = result.score
            yield (
                f"| {corpus} ({len(pages)}) | {result.name} | {s.precision:.3f} | {s.recall:.3f}"
                f" | **{s.f1:.3f}** | {result.ms_per_page:.1f} | {result.ms_per_page / fast:.2f} |"
            )
        yield f"| {corpus} | alaune pages read by readability (fallback) | {readability} | | | | |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    for line in run(parser.parse_args().rounds):
        print(line)


if __name__ == "__main__":
    main()
