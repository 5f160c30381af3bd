"""A fresh database of N generated articles, realistic enough for the site's benchmark.

Texts are the demo corpus's real French, Arabic and English reports, recombined: each generated
story takes one demo story as its topic (and category); each of its 1–8 articles is written by
a demo outlet in that outlet's language, with the title, lead, section and author of a corpus
article of that language (the topic's own when it has one, else one of the same category) and
3–6 paragraphs drawn from the reports of that language and category; every figure is redrawn,
so that titles and texts differ from one article to the next. Publication times spread over
`DAYS` days before `now`, the articles of a story within hours of its first; ids follow
publication order, as ingestion gives them. Story facts (title, summary, languages, counts,
first report, hotness as `cluster.rank` scores it, open or closed) are filled; no images, no
wire copies, no embeddings.

Everything goes in with bulk SQLAlchemy Core inserts in one transaction per table, and the
search index rows with `search_text`, computed once per distinct paragraph (the normalization
works word by word, so a text's terms are its paragraphs' terms, joined; checked on a sample).

    .venv/bin/python -m bench.generate sqlite:///tmp/alaune-100k.db 100000
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import text as sql

from alaune.cluster.rank import hotness
from alaune.demo.corpus import Corpus, DemoArticle, load_corpus
from alaune.model import FeedRef, Outlet
from alaune.store import migrate
from alaune.store.engine import open_database
from alaune.store.outlets import sync_outlets
from alaune.store.schema import articles, stories
from alaune.text.normalize import search_text

DAYS = 120
STORY_SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
# Most stories are told once or twice; a few by most outlets.
STORY_WEIGHTS = (40, 20, 12, 9, 7, 5, 4, 3)
OPEN_HOURS = 24  # stories updated within this many hours are open, older ones closed
_BATCH = 5_000
_FIGURE = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Generated:
    articles: int
    stories: int
    seconds: dict[str, float]


def _registry(corpus: Corpus) -> list[Outlet]:
    return [
        Outlet(
            id=o.id,
            name=o.name,
            homepage=f"https://{o.id}.demo.invalid/",
            languages=(o.language,),
            country=o.country,
            feeds=(FeedRef(f"https://{o.id}.demo.invalid/feed", o.feed),),
            policy=o.policy,
            agency=o.agency,
        )
        for o in corpus.outlets
    ]


def _refigure(text: str, rng: random.Random) -> str:
    """The text with every figure redrawn (same number of digits, no leading zero)."""

    def draw(match: re.Match[str]) -> str:
        n = len(match.group())
        return str(rng.randint(10 ** (n - 1) if n > 1 else 0, 10**n - 1))

    return _FIGURE.sub(draw, text)


class _Texts:
    """Search text per distinct paragraph, so that each is normalized once."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def of(self, parts: list[str]) -> str:
        out = []
        for part in parts:
            found = self.cache.get(part)
            if found is None:
                found = self.cache[part] = search_text(part)
            if found:
                out.append(found)
        return " ".join(out)


def _plan(
    corpus: Corpus, count: int, now: datetime, rng: random.Random
) -> Iterator[list[dict[str, Any]]]:
    """Stories as lists of article dicts (no ids yet), until `count` articles are planned."""
    category_of = {
        a.key: s.category for s in corpus.stories for a in (corpus.article(k) for k in s.keys)
    }
    by_lang_cat: dict[tuple[str, str], list[DemoArticle]] = defaultdict(list)
    by_lang: dict[str, list[DemoArticle]] = defaultdict(list)
    for a in corpus.articles:
        by_lang_cat[(a.language, category_of[a.key])].append(a)
        by_lang[a.language].append(a)
    outlets = list(corpus.outlets)
    planned = 0
    span = DAYS * 86_400
    while planned < count:
        topic = rng.choice(corpus.stories)
        size = min(rng.choices(STORY_SIZES, STORY_WEIGHTS)[0], count - planned)
        start = now - timedelta(seconds=rng.uniform(600, span))
        members = [corpus.article(k) for k in topic.keys]
        chosen = rng.sample(outlets, size) if size <= len(outlets) else rng.choices(outlets, k=size)
        offsets = sorted(rng.uniform(0, 8 * 3600) for _ in range(size))
        offsets = [o - offsets[0] for o in offsets]
        story: list[dict[str, Any]] = []
        for outlet, offset in zip(chosen, offsets, strict=True):
            lang = outlet.language
            own = [a for a in members if a.language == lang]
            pool = by_lang_cat.get((lang, topic.category)) or by_lang[lang]
            model = rng.choice(own or pool)
            paragraphs = [p for a in rng.sample(pool, min(3, len(pool))) for p in a.paragraphs]
            body = rng.sample(paragraphs, min(len(paragraphs), rng.randint(3, 6)))
            published = min(start + timedelta(seconds=offset), now - timedelta(minutes=1))
            story.append(
                {
                    "outlet_id": outlet.id,
                    "title": _refigure(model.title, rng),
                    "lead": _refigure(model.lead, rng),
                    "paragraphs": [_refigure(p, rng) for p in body],
                    "author": model.author,
                    "language": lang,
                    "section": model.section,
                    "category": topic.category,
                    "published_at": published.replace(microsecond=0),
                    "slug": model.slug,
                }
            )
        planned += size
        yield story


def generate(db_url: str, count: int, *, seed: int = 6, now: datetime | None = None) -> Generated:
    """Fill the fresh database at `db_url` (migrated here) with `count` generated articles."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    rng = random.Random(seed)
    corpus = load_corpus()
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    planned = list(_plan(corpus, count, now, rng))
    # Ids in publication order: stories by their first report, articles by their own time.
    planned.sort(key=lambda s: min(a["published_at"] for a in s))
    flat = sorted(
        ((a["published_at"], si, a) for si, s in enumerate(planned) for a in s),
        key=lambda t: (t[0], t[1]),
    )
    texts = _Texts()
    article_rows: list[dict[str, object]] = []
    index_rows: list[dict[str, object]] = []
    for article_id, (published, si, a) in enumerate(flat, start=1):
        story_id = si + 1
        a["id"] = article_id
        text = "\n\n".join(a["paragraphs"])
        url = f"https://{a['outlet_id']}.demo.invalid/{published:%Y/%m/%d}/{a['slug']}-{article_id}"
        article_rows.append(
            {
                "id": article_id,
                "outlet_id": a["outlet_id"],
                "canonical_url": url,
                "url": url,
                "guid": url,
                "title": a["title"],
                "lead": a["lead"],
                "text": text,
                "author": a["author"],
                "language": a["language"],
                "section": a["section"],
                "category": a["category"],
                "word_count": len(text.split()),
                "published_at": published,
                "date_source": "feed",
                "first_seen_at": published + timedelta(seconds=rng.randint(30, 900)),
                "updated_at": published,
                "story_id": story_id,
                "content_hash": hashlib.blake2b(text.encode(), digest_size=16).hexdigest(),
            }
        )
        index_rows.append(
            {
                "id": article_id,
                "title": texts.of([a["title"]]),
                "body": texts.of([a["lead"], *a["paragraphs"]]),
            }
        )
    _check_texts(article_rows, index_rows, rng)
    story_rows = [_story_row(i + 1, s, now) for i, s in enumerate(planned)]
    seconds["plan"] = time.perf_counter() - clock

    clock = time.perf_counter()
    db = open_database(db_url)
    try:
        migrate.upgrade(db)
        with db.write() as conn:
            sync_outlets(conn, _registry(corpus), now=now - timedelta(days=DAYS + 1))
            for start in range(0, len(story_rows), _BATCH):
                conn.execute(stories.insert(), story_rows[start : start + _BATCH])
            for start in range(0, len(article_rows), _BATCH):
                conn.execute(articles.insert(), article_rows[start : start + _BATCH])
        seconds["insert"] = time.perf_counter() - clock
        clock = time.perf_counter()
        with db.write() as conn:
            _index(conn, index_rows)
        seconds["index"] = time.perf_counter() - clock
        clock = time.perf_counter()
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        seconds["analyze"] = time.perf_counter() - clock
    finally:
        db.dispose()
    return Generated(articles=len(article_rows), stories=len(story_rows), seconds=seconds)


def _story_row(story_id: int, members: list[dict[str, Any]], now: datetime) -> dict[str, object]:
    ordered = sorted(members, key=lambda a: (a["published_at"], a["id"]))
    head, last = ordered[0], ordered[-1]
    languages = list(dict.fromkeys(a["language"] for a in ordered))
    outlet_count = len({a["outlet_id"] for a in ordered})
    return {
        "id": story_id,
        "title": head["title"],
        "summary": head["lead"],
        "language": head["language"],
        "languages": ",".join(languages),
        "created_at": head["published_at"],
        "updated_at": last["published_at"],
        "article_count": len(ordered),
        "report_count": len(ordered),
        "outlet_count": outlet_count,
        "first_article_id": head["id"],
        "first_outlet_id": head["outlet_id"],
        "first_at": head["published_at"],
        "hotness": hotness(
            outlets=outlet_count,
            languages=len(languages),
            articles=len(ordered),
            last_at=last["published_at"],
        ),
        "status": "open" if now - last["published_at"] < timedelta(hours=OPEN_HOURS) else "closed",
    }


def _check_texts(
    rows: list[dict[str, object]], index: list[dict[str, object]], rng: random.Random
) -> None:
    """The per-paragraph search text equals `search_text` of the whole (on a sample)."""
    for i in rng.sample(range(len(rows)), min(200, len(rows))):
        whole = search_text(f"{rows[i]['lead']}\n{rows[i]['text']}")
        if whole != index[i]["body"] or search_text(str(rows[i]["title"])) != index[i]["title"]:
            raise AssertionError(f"article {rows[i]['id']}: per-paragraph search text differs")


def _index(conn: Connection, rows: list[dict[str, object]]) -> None:
    if conn.dialect.name == "sqlite":
        statement = sql("INSERT INTO search_index (rowid, title, body) VALUES (:id, :title, :body)")
        for start in range(0, len(rows), _BATCH):
            conn.execute(statement, rows[start : start + _BATCH])
        conn.exec_driver_sql("INSERT INTO search_index (search_index) VALUES ('optimize')")
        return
    from alaune.store.search import reindex_all

    reindex_all(conn)


def main(argv: list[str]) -> None:
    db_url = argv[0] if argv else "sqlite:////tmp/alaune-bench.db"
    count = int(argv[1]) if len(argv) > 1 else 100_000
    done = generate(db_url, count)
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in done.seconds.items())
    print(f"{done.articles:,} articles in {done.stories:,} stories into {db_url} ({timings})")


if __name__ == "__main__":
    main(sys.argv[1:])
