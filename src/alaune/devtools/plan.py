"""The plan of a generated corpus: outlets, stories and articles, with every text drawn on demand.

Texts are the demo corpus's real French, Arabic and English reports, recombined: each generated
story takes one demo story as its topic (and category); each of its 1–8 articles is written by
an outlet in that outlet's language, with the title, lead, section and author of a corpus
article of that language (the topic's own when it has one, else one of the same category) and
3–6 paragraphs drawn from the reports of that language and category; every figure is redrawn,
so that titles and texts differ from one article to the next. Publication times spread over
`DAYS` days before `now`, the articles of a story within hours of its first.

The plan keeps four numbers per article (time, story, outlet, seed); `write` draws an article's
texts from its seed when it reaches it, so a million articles never sit in memory at once, and
drawing the same article twice gives the same text. Outlets beyond the 9 demo outlets are copies
of them ("Le Matin 2"), in turn, so that every language keeps its share. Pure: no I/O here.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from alaune.demo.corpus import Corpus, DemoArticle, DemoOutlet
from alaune.model import FeedRef, Outlet

DAYS = 120
STORY_SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
# Most stories are told once or twice; a few by most outlets.
STORY_WEIGHTS = (40, 20, 12, 9, 7, 5, 4, 3)
STORY_HOURS = 8  # the articles of a story appear within this many hours of its first
_FIGURE = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class PlannedArticle:
    published_at: datetime
    story: int  # index into Plan.topics
    outlet: int  # index into Plan.outlets
    seed: int


@dataclass(frozen=True, slots=True)
class Plan:
    outlets: list[DemoOutlet]  # the demo outlet each generated outlet copies
    registry: list[Outlet]
    topics: list[int]  # per story: index of its demo story
    articles: list[PlannedArticle]  # in publication order: their ids follow it


@dataclass(frozen=True, slots=True)
class Drawn:
    """One article's texts, drawn from its seed."""

    title: str
    lead: str
    paragraphs: list[str]
    author: str
    section: str
    slug: str
    language: str
    category: str


def outlets_for(corpus: Corpus, count: int | None) -> list[tuple[DemoOutlet, str, str]]:
    """`count` outlets (default: the demo's) as (model, id, name), languages taken in turn."""
    by_language: dict[str, list[DemoOutlet]] = defaultdict(list)
    for outlet in corpus.outlets:
        by_language[outlet.language].append(outlet)
    turns = [o for group in zip(*by_language.values(), strict=False) for o in group]
    turns += [o for o in corpus.outlets if o not in turns]
    wanted = len(turns) if count is None else count
    made = []
    for n in range(wanted):
        model, copy = turns[n % len(turns)], n // len(turns)
        suffix = f"-{copy + 1}" if copy else ""
        made.append((model, model.id + suffix, f"{model.name} {copy + 1}" if copy else model.name))
    return made


def registry_of(made: list[tuple[DemoOutlet, str, str]]) -> list[Outlet]:
    return [
        Outlet(
            id=outlet_id,
            name=name,
            homepage=f"https://{outlet_id}.demo.invalid/",
            languages=(model.language,),
            country=model.country,
            feeds=(FeedRef(f"https://{outlet_id}.demo.invalid/feed", model.feed),),
            policy=model.policy,
            agency=model.agency,
        )
        for model, outlet_id, name in made
    ]


def plan(corpus: Corpus, count: int, *, outlets: int | None, now: datetime, seed: int) -> Plan:
    """Stories of 1–8 articles until `count` articles, sorted by publication time."""
    rng = random.Random(seed)
    made = outlets_for(corpus, outlets)
    topics: list[int] = []
    planned: list[PlannedArticle] = []
    span = DAYS * 86_400
    while len(planned) < count:
        story = len(topics)
        topics.append(rng.randrange(len(corpus.stories)))
        size = min(rng.choices(STORY_SIZES, STORY_WEIGHTS)[0], count - len(planned))
        start = now - timedelta(seconds=rng.uniform(600, span))
        indexes = range(len(made))
        chosen = rng.sample(indexes, size) if size <= len(made) else rng.choices(indexes, k=size)
        offsets = sorted(rng.uniform(0, STORY_HOURS * 3600) for _ in range(size))
        for outlet, offset in zip(chosen, offsets, strict=True):
            published = min(
                start + timedelta(seconds=offset - offsets[0]), now - timedelta(minutes=1)
            )
            planned.append(
                PlannedArticle(published.replace(microsecond=0), story, outlet, rng.getrandbits(64))
            )
    planned.sort(key=lambda a: (a.published_at, a.story))
    return Plan([m for m, _, _ in made], registry_of(made), topics, planned)


class Drafter:
    """Draws the texts of planned articles (see the module's docstring)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.category = {key: story.category for story in corpus.stories for key in story.keys}
        self.pools: dict[tuple[str, str], list[DemoArticle]] = defaultdict(list)
        self.by_language: dict[str, list[DemoArticle]] = defaultdict(list)
        for article in corpus.articles:
            self.pools[(article.language, self.category[article.key])].append(article)
            self.by_language[article.language].append(article)

    def draw(self, topic: int, outlet: DemoOutlet, seed: int) -> Drawn:
        rng = random.Random(seed)
        story = self.corpus.stories[topic]
        lang = outlet.language
        own = [a for a in (self.corpus.article(k) for k in story.keys) if a.language == lang]
        pool = self.pools.get((lang, story.category)) or self.by_language[lang]
        model = rng.choice(own or pool)
        paragraphs = [p for a in rng.sample(pool, min(3, len(pool))) for p in a.paragraphs]
        body = rng.sample(paragraphs, min(len(paragraphs), rng.randint(3, 6)))
        return Drawn(
            title=refigure(model.title, rng),
            lead=refigure(model.lead, rng),
            paragraphs=[refigure(p, rng) for p in body],
            author=model.author,
            section=model.section,
            slug=model.slug,
            language=lang,
            category=story.category,
        )


def refigure(text: str, rng: random.Random) -> str:
    """The text with every figure redrawn (same number of digits, no leading zero)."""

    def draw(match: re.Match[str]) -> str:
        n = len(match.group())
        return str(rng.randint(10 ** (n - 1) if n > 1 else 0, 10**n - 1))

    return _FIGURE.sub(draw, text)
