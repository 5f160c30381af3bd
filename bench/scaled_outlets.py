"""The demo outlets scaled up for bench.e2e: many origins and feeds that keep publishing.

Each shard of outlets is its own process (`python -m bench.scaled_outlets …`), so that serving
never shares the crawler's GIL: an asyncio HTTP/1.1 server (keep-alive, conditional GET)
listening on one loopback port per outlet. The articles are `alaune.devtools` plans and texts:
`plan` (stories of 1–8 reports over `origins` outlets in fr, ar and en, copies of the 9 demo
outlets) gives the order, story, outlet and seed of each article, `Drafter.draw` its title, lead
and 3–6 recombined paragraphs with every figure redrawn. Article n enters feed
`seed % feeds_per_origin` of its outlet at `t0 + n / rate` (a story's reports stay close, since
the plan orders them by time) and is served as a page in the outlet's demo style
(`alaune.demo.pages`), rendered when requested, with the outlet's newest articles in its ticker
and boxes; each feed, in the outlet's own kind (RSS, Atom, JSON Feed or news sitemap,
`alaune.demo.feeds`), lists its newest `FEED_SIZE` items. Lead pictures are drawn by
`alaune.demo.images` from the 247 demo pictures (cached), each at a URL of the article's own.

The dates feeds and pages show are, by default (`--dates plan`), the plan's: 120 days of news
compressed into the run, ending when it starts, so that clustering meets many distinct events.
The plan draws its stories from only 62 demo topics: dated "now" (`--dates now`), all reports
of a topic within minutes fold into one ever-growing story. Feeds and pages say
`Cache-Control: max-age=10` (the demo's 60 s would floor every poll interval at 60 s).

Protocol with the parent: the process prints "<origin index>\\t<port>" per outlet it serves,
then "READY" (after drawing the pictures, unless `--no-images`: pictures then answer 404,
so that the crawler's image stage is only a failed download); it then reads
"START <epoch seconds>" on stdin and publishes from that time on,
appending "<url>\\t<epoch seconds it entered its feed>\\t<story>\\t<language>" to
`<dir>/published-<shard>.tsv` (flushed every second). Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import TextIO

from alaune.demo import feeds, pages
from alaune.demo.corpus import Corpus, DemoArticle, DemoOutlet, load_corpus
from alaune.demo.entries import Edition, Entry
from alaune.demo.images import COPY_VARIANTS, LeadImage, image_bytes, lead_image
from alaune.demo.responses import Resource, answer, resource
from alaune.demo.urls import FEED_PATHS, article_path
from alaune.devtools.plan import Drafter, Plan, plan
from alaune.model import FeedRef, Outlet

HOST = "127.0.0.1"
FEED_SIZE = 20
HTML = "text/html; charset=utf-8"
ROBOTS = b"User-agent: *\nDisallow: /search\nAllow: /\n"


PLAN_NOW = datetime(2026, 1, 1, tzinfo=UTC)


def make_plan(count: int, origins: int, seed: int, corpus: Corpus | None = None) -> Plan:
    """The whole run's articles, in publication order (the same in every shard)."""
    corpus = corpus or load_corpus()
    return plan(corpus, count, outlets=origins, now=PLAN_NOW, seed=seed)


def feed_path(feed: int, kind: str) -> str:
    return f"/f{feed}{FEED_PATHS[kind]}"


def registry(planned: Plan, ports: dict[int, int], feeds_per_origin: int) -> list[Outlet]:
    """The running outlets as registry entries: each with its `feeds_per_origin` feeds."""
    entries = []
    for index, port in sorted(ports.items()):
        model, base = planned.outlets[index], planned.registry[index]
        origin = f"http://{HOST}:{port}"
        entries.append(
            dataclasses.replace(
                base,
                homepage=origin + "/",
                feeds=tuple(
                    FeedRef(origin + feed_path(f, model.feed), model.feed)
                    for f in range(feeds_per_origin)
                ),
            )
        )
    return entries


@dataclass
class _Feed:
    entries: deque[Entry]
    cached: Resource | None = None


class OutletServer:
    """One outlet: its feeds, its published articles, and the answer to each request."""

    def __init__(self, model: DemoOutlet, outlet_id: str, name: str, feeds_per_origin: int) -> None:
        self.outlet = dataclasses.replace(model, id=outlet_id, name=name)
        self.feeds = [_Feed(deque(maxlen=FEED_SIZE)) for _ in range(feeds_per_origin)]
        self.newest: deque[Entry] = deque(maxlen=FEED_SIZE)  # for tickers and boxes
        self.pages: dict[str, Entry] = {}
        self.images: dict[str, LeadImage] = {}
        self.base_url = ""
        # The demo's max-age=60 would be a 60 s floor under every poll interval (freshness).
        self.cache_control = "public, max-age=10"
        self.serve_images = True  # False: pictures answer 404 (the image stage left out)
        self.started = datetime.now(UTC).replace(microsecond=0)

    def publish(self, entry: Entry, feed: int) -> None:
        self.feeds[feed].entries.appendleft(entry)
        self.feeds[feed].cached = None
        self.newest.appendleft(entry)
        self.pages[entry.path] = entry
        self.images[entry.image.path] = entry.image

    def edition(self, entries: tuple[Entry, ...], base_url: str | None = None) -> Edition:
        return Edition(self.outlet, base_url or self.base_url, self.started, entries)

    def respond(
        self, path: str, headers: dict[str, str]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        path = path.split("?", 1)[0]
        if path == "/robots.txt":
            return 200, [("Content-Type", "text/plain")], ROBOTS
        if path in self.pages:
            entry = self.pages[path]
            others = tuple(e for e in self.newest if e is not entry)
            html = pages.render_article(self.edition(others), entry)
            found = resource(html.encode("utf-8"), HTML, entry.published)
        elif path in self.images and self.serve_images:
            image = self.images[path]
            found = resource(image_bytes(image), image.media_type, self.started)
        else:
            found = self._feed(path)
            if found is None:
                return 404, [("Content-Type", "text/plain")], b"not found\n"
        reply = answer(found, headers)
        out = [(k, v) for k, v in reply.headers if k != "Cache-Control"]
        return reply.status, [*out, ("Cache-Control", self.cache_control)], reply.body

    def _feed(self, path: str) -> Resource | None:
        head, _, rest = path[2:].partition("/")
        if not path.startswith("/f") or not head.isdigit() or int(head) >= len(self.feeds):
            return None
        if "/" + rest != FEED_PATHS[self.outlet.feed]:
            return None
        feed = self.feeds[int(head)]
        if feed.cached is None:
            edition = self.edition(tuple(feed.entries), f"{self.base_url}/f{head}")
            modified = feed.entries[0].published if feed.entries else self.started
            body = feeds.render_feed(edition)
            feed.cached = resource(body, feeds.CONTENT_TYPES[self.outlet.feed], modified)
        return feed.cached


async def _serve(
    outlet: OutletServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            status, reply, body = outlet.respond(target, headers)
            if "content-length" not in {name.lower() for name, _ in reply}:
                reply.append(("Content-Length", str(len(body))))
            out = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}"]
            out += [f"{name}: {value}" for name, value in reply]
            writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1"))
            if method != "HEAD":
                writer.write(body)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except ConnectionError:
        return
    finally:
        writer.close()


def _variant(key: str) -> int:
    """Which of `COPY_VARIANTS` a key other than its picture's group is served in."""
    image = lead_image(key, "")
    return COPY_VARIANTS.index((image.format, image.width, image.height))


class Shard:
    """The outlets of one process and their share of the plan."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.corpus = load_corpus()
        self.plan = make_plan(args.count, args.origins, args.seed, self.corpus)
        self.drafter = Drafter(self.corpus)
        self.outlets: dict[int, OutletServer] = {}
        for index in range(args.origins):
            if index % args.shards == args.shard:
                base = self.plan.registry[index]
                self.outlets[index] = OutletServer(
                    self.plan.outlets[index], base.id, base.name, args.feeds_per_origin
                )

    def entry(self, n: int, outlet: OutletServer, at: datetime) -> Entry:
        planned = self.plan.articles[n]
        drawn = self.drafter.draw(
            self.plan.topics[planned.story], self.plan.outlets[planned.outlet], planned.seed
        )
        slug = f"{drawn.slug}-{n}"
        key = f"{outlet.outlet.id}/{slug}"
        article = DemoArticle(
            key=key,
            outlet=outlet.outlet.id,
            slug=slug,
            section=drawn.section,
            minutes_ago=0,
            author=drawn.author,
            title=drawn.title,
            lead=drawn.lead,
            paragraphs=tuple(drawn.paragraphs),
            story_id=str(planned.story),
            category=drawn.category,
            copy_of=None,
            language=drawn.language,
        )
        model = self.corpus.articles[planned.seed % len(self.corpus.articles)]
        image = lead_image(key, self.corpus.image_group(model.key))
        path = article_path(article)
        return Entry(
            article=article,
            published=at.replace(microsecond=0),
            path=path,
            url=outlet.base_url + path,
            image=image,
            image_url=outlet.base_url + image.path,
            source=None,
        )

    async def publish(self, t0: float, log: TextIO) -> None:
        mine = [
            n
            for n, a in enumerate(self.plan.articles)
            if a.outlet % self.args.shards == self.args.shard
        ]
        rate = self.args.rate
        last_flush = time.monotonic()
        for n in mine:
            due = t0 + n / rate
            wait = due - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
            planned = self.plan.articles[n]
            outlet = self.outlets[planned.outlet]
            now = time.time()
            entry = self.entry(n, outlet, datetime.fromtimestamp(now, UTC))
            if self.args.dates == "plan":  # the plan's calendar, ending when the run started
                dated = planned.published_at + (datetime.fromtimestamp(t0, UTC) - PLAN_NOW)
                entry = dataclasses.replace(entry, published=dated)
            outlet.publish(entry, planned.seed % self.args.feeds_per_origin)
            log.write(f"{entry.url}\t{now:.3f}\t{planned.story}\t{entry.article.language}\n")
            if time.monotonic() - last_flush > 1:
                log.flush()
                last_flush = time.monotonic()
        log.flush()

    def warm(self) -> None:
        if self.args.no_images:
            for outlet in self.outlets.values():
                outlet.serve_images = False
            return
        """Draw every picture in each size a page may serve (~20 ms each), before publishing."""
        for group in {self.corpus.image_group(a.key) for a in self.corpus.articles}:
            for variant in range(len(COPY_VARIANTS)):
                key = next(k for k in (f"{group}#{i}" for i in range(64)) if _variant(k) == variant)
                image_bytes(lead_image(key, group))

    async def run(self) -> None:
        self.warm()
        servers = []
        for index, outlet in self.outlets.items():
            server = await asyncio.start_server(
                lambda r, w, o=outlet: _serve(o, r, w), HOST, 0, limit=1 << 20
            )
            port = server.sockets[0].getsockname()[1]
            outlet.base_url = f"http://{HOST}:{port}"
            servers.append(server)
            print(f"{index}\t{port}", flush=True)
        print("READY", flush=True)
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line.startswith("START "):
            return
        t0 = float(line.split()[1])
        path = Path(self.args.dir) / f"published-{self.args.shard}.tsv"
        with path.open("w", encoding="utf-8") as log:
            publisher = asyncio.create_task(self.publish(t0, log))
            # Serve until stdin closes (the parent is done or gone).
            await asyncio.to_thread(sys.stdin.read)
            publisher.cancel()
            log.flush()
        for server in servers:
            server.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scaled_outlets")
    parser.add_argument("--shard", type=int, default=0)
    parser.add_argument("--shards", type=int, default=1)
    parser.add_argument("--origins", type=int, default=200)
    parser.add_argument("--feeds-per-origin", type=int, default=10)
    parser.add_argument("--rate", type=float, default=80.0, help="articles per second, in all")
    parser.add_argument("--count", type=int, default=40_000, help="articles planned")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--dir", default=".")
    parser.add_argument("--no-images", action="store_true", help="answer 404 for pictures")
    parser.add_argument(
        "--dates",
        choices=("plan", "now"),
        default="plan",
        help="publication dates shown: the plan's (120 days of news compressed into the run, "
        "ending at its start) or the moment of publication",
    )
    args = parser.parse_args(argv)
    asyncio.run(Shard(args).run())


if __name__ == "__main__":
    main()
