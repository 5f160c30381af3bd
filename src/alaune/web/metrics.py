"""Prometheus metrics of the site: `/metrics`, and the middleware that times every request.

`RequestMetrics` (the outermost middleware, so cached responses are timed too) observes each
HTTP request into `alaune_http_request_duration_seconds`, labelled by route name (the route
table's names, `api:<name>` inside the API, `unmatched` for a 404 that matched nothing), status
class and cache state. `/metrics` adds, at scrape time, what the database says (store.metrics:
polls and errors by kind, new and stored articles, feeds, stories, images, jobs, the last hour's
extraction, clustering and image times that the crawler or the workers wrote there, the broker's
queue depths as the scheduler last read them) and the state of this process's connection pool.
A database that cannot answer gives `alaune_database_up 0`, not a failed scrape. Under `alaune
serve --workers N` (PROMETHEUS_MULTIPROC_DIR set) the HTTP metrics of every worker are summed,
whichever worker answers the scrape.

Only loopback and the networks of the `metrics_allow` setting may read `/metrics` (403 for
everyone else); behind proxies listed in `trusted_proxies` the forwarded client is the one
checked, and a forwarded request whose client cannot be told is refused. The response says
`no-store`, so the page cache never keeps it. This module must not write to the database.
"""

from __future__ import annotations

import atexit
import functools
import ipaddress
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import QueuePool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alaune.errors import ConfigError
from alaune.moderation.networks import parse_address
from alaune.store.engine import Database
from alaune.store.metrics import Snapshot, snapshot
from alaune.store.timings import STAGES
from alaune.web.client import address
from alaune.web.i18n import LANGUAGES, prefix
from alaune.web.state import site

log = logging.getLogger(__name__)

MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
SNAPSHOT_TTL = 5.0  # seconds one database snapshot answers scrapes (several scrapers, one read)
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_PREFIXES = tuple(p + "/" for p in (prefix(lang) for lang in LANGUAGES) if p)
_FORWARDING = ("x-forwarded-for", "forwarded", "x-real-ip")
_ROUTE_MEMO = 4096

_REGISTRY = CollectorRegistry()
LATENCY = Histogram(
    "alaune_http_request_duration_seconds",
    "Time from a request's arrival to its last byte, by route name, status class and cache.",
    ["route", "status", "cache"],
    buckets=BUCKETS,
    registry=_REGISTRY,
)
PROCESS_REQUESTS = Gauge(
    "alaune_web_process_requests",
    "Requests this web process has answered (one series per live process under --workers).",
    registry=_REGISTRY,
    multiprocess_mode="liveall",
)
if MULTIPROCESS_DIR:
    atexit.register(multiprocess.mark_process_dead, os.getpid(), MULTIPROCESS_DIR)
else:
    ProcessCollector(registry=_REGISTRY)


class RequestMetrics:
    """ASGI middleware: times each HTTP request into LATENCY."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.names: OrderedDict[str, str] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        routes: Sequence[BaseRoute] = scope["app"].router.routes  # the site's, before any mount
        status, cache = 500, "none"

        async def watch(message: Message) -> None:
            nonlocal status, cache
            if message["type"] == "http.response.start":
                status, cache = message["status"], _cache_state(message.get("headers", []))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            self._observe(scope, routes, status, cache, time.perf_counter() - started)

    def _observe(
        self, scope: Scope, routes: Sequence[BaseRoute], status: int, cache: str, seconds: float
    ) -> None:
        try:
            LATENCY.labels(self._route(scope, routes), f"{status // 100}xx", cache).observe(seconds)
            PROCESS_REQUESTS.inc()
        except Exception:  # counting must never fail the request it counts
            log.exception("metrics: a request could not be counted")

    def _route(self, scope: Scope, routes: Sequence[BaseRoute]) -> str:
        """The route the router chose (it leaves it in the scope); for a cached response, which
        never reached the router, the name last seen for its path, or the table's match."""
        path = str(scope.get("alaune.path", scope["path"]))
        chosen = scope.get("route")
        if chosen is not None:
            name = str(getattr(chosen, "name", None) or "unnamed")
            top = scope.get("app_root_path", scope.get("root_path", ""))
            if not isinstance(chosen, Mount) and scope.get("root_path", "") != top:
                name = f"{route_name(routes, _unprefixed(path))}:{name}"  # inside a mount
        else:
            name = self.names.get(path) or route_name(routes, _unprefixed(path))
        self.names[path] = name
        self.names.move_to_end(path)
        if len(self.names) > _ROUTE_MEMO:
            self.names.popitem(last=False)
        return name


def _cache_state(headers: Sequence[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name.lower() == b"x-alaune-cache":
            return value.decode("latin-1")
    return "none"


def _unprefixed(path: str) -> str:
    for start in _PREFIXES:
        if path.startswith(start):
            return path[len(start) - 1 :]
    return path


def route_name(routes: Sequence[BaseRoute], path: str) -> str:
    """The name of the first route of the table that `path` matches, or `unmatched`."""
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    for route in routes:
        try:
            match, _child = route.matches(scope)
        except ValueError:  # a convertor refused the value: the router gives a 404 too
            continue
        if match != Match.NONE:
            return str(getattr(route, "name", None) or "unnamed")
    return "unmatched"


def metrics(request: Request) -> Response:
    """`/metrics`: the Prometheus text format, for loopback and `metrics_allow` only."""
    if not may_read(request):
        return PlainTextResponse(
            "Forbidden: /metrics is for loopback and the networks of `metrics_allow`.\n",
            status_code=403,
            headers={"cache-control": "no-store"},
        )
    body = generate_latest(_http_registry()) + generate_latest(_database_registry(request))
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"cache-control": "no-store"})


def _http_registry() -> CollectorRegistry:
    if not MULTIPROCESS_DIR:
        return _REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=MULTIPROCESS_DIR)  # type: ignore[no-untyped-call]
    return registry


def _database_registry(request: Request) -> CollectorRegistry:
    collector: DatabaseCollector | None = getattr(request.app.state, "alaune_metrics", None)
    if collector is None:
        collector = DatabaseCollector(site(request).db)
        request.app.state.alaune_metrics = collector
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    return registry


class DatabaseCollector(Collector):
    """Gauges read from the database (at most once per SNAPSHOT_TTL) and from its pool."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.taken: Snapshot | None = None
        self.taken_at = float("-inf")
        self.seconds = 0.0

    def collect(self) -> Iterator[Metric]:
        up = self._refresh()
        yield _gauge("alaune_database_up", "1 if the last database read succeeded.", up)
        yield _gauge("alaune_database_read_seconds", "Time the last read took.", self.seconds)
        yield from _pool_gauges(self.db)
        if up and self.taken is not None:
            yield from snapshot_gauges(self.taken)

    def _refresh(self) -> float:
        if time.monotonic() - self.taken_at < SNAPSHOT_TTL and self.taken is not None:
            return 1.0
        started = time.perf_counter()
        try:
            with self.db.read() as conn:
                self.taken = snapshot(conn, now=datetime.now(UTC))
        except SQLAlchemyError as exc:
            log.warning("metrics: the database did not answer: %s", exc)
            self.taken = None
            return 0.0
        finally:
            self.seconds = time.perf_counter() - started
        self.taken_at = time.monotonic()
        return 1.0


def _gauge(name: str, help_: str, value: float, **labels: str) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, help_, labels=list(labels))
    family.add_metric(list(labels.values()), value)
    return family


def _labelled(name: str, help_: str, label: str, values: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, help_, labels=[label])
    for key, value in sorted(values.items()):
        family.add_metric([key], value)
    return family


def _pool_gauges(db: Database) -> Iterator[Metric]:
    pool = db.engine.pool
    if isinstance(pool, QueuePool):
        busy, idle = pool.checkedout(), pool.checkedin()
        yield _gauge("alaune_db_pool_size", "Connections the pool keeps open.", pool.size())
        yield _gauge("alaune_db_pool_open", "Connections open now.", busy + idle)
        yield _gauge("alaune_db_pool_checked_out", "Connections in use now.", busy)


def snapshot_gauges(taken: Snapshot) -> Iterator[Metric]:
    """The database snapshot as metric families (names documented in docs/deploy.md)."""
    yield _gauge("alaune_articles", "Articles stored.", taken.articles)
    yield _gauge(
        "alaune_articles_last_hour",
        "Articles first seen in the last hour.",
        taken.articles_last_hour,
    )
    yield _gauge("alaune_outlets", "Outlets in the database.", taken.outlets)
    yield _labelled("alaune_stories", "Stories by status.", "status", taken.stories)
    yield _labelled("alaune_feeds", "Feeds by status.", "status", taken.feeds)
    yield _labelled(
        "alaune_feed_errors", "Feeds whose last poll failed, by kind.", "kind", taken.feed_errors
    )
    yield from _poll_gauges(taken)
    yield _labelled("alaune_images", "Images by download state.", "status", taken.images)
    yield _gauge(
        "alaune_images_awaiting_review",
        "Images in the moderation queue.",
        taken.images_awaiting_review,
    )
    yield _labelled("alaune_jobs", "Jobs for the worker, by status.", "status", taken.jobs)
    yield _gauge("alaune_dead_letters", "Tasks that failed for good.", taken.dead_letters)
    yield from _stage_gauges(taken)
    yield from _queue_gauges(taken)


def _poll_gauges(taken: Snapshot) -> Iterator[Metric]:
    labels = ["outcome", "kind"]
    polls = GaugeMetricFamily(
        "alaune_polls_last_hour",
        "Polls in the last hour, by outcome and error kind.",
        labels=labels,
    )
    seconds = GaugeMetricFamily(
        "alaune_poll_seconds_last_hour", "Their summed duration.", labels=labels
    )
    slowest = GaugeMetricFamily(
        "alaune_poll_slowest_seconds_last_hour", "The longest of them.", labels=labels
    )
    for count in taken.polls_last_hour:
        key = [count.outcome, count.error_kind]
        polls.add_metric(key, count.polls)
        seconds.add_metric(key, count.seconds)
        slowest.add_metric(key, count.slowest)
    yield from (polls, seconds, slowest)


def _stage_gauges(taken: Snapshot) -> Iterator[Metric]:
    """Every stage, 0 when it did nothing in the hour (so that a stalled stage reads 0)."""
    items = GaugeMetricFamily(
        "alaune_stage_items_last_hour",
        "Items each ingestion stage handled in the last hour (pages extracted, articles placed "
        "in stories, images).",
        labels=["stage"],
    )
    seconds = GaugeMetricFamily(
        "alaune_stage_seconds_last_hour", "The time they took, summed.", labels=["stage"]
    )
    slowest = GaugeMetricFamily(
        "alaune_stage_slowest_seconds_last_hour",
        "The longest item (for images, the longest round).",
        labels=["stage"],
    )
    for stage in sorted({*STAGES, *taken.stages_last_hour}):
        count = taken.stages_last_hour.get(stage)
        items.add_metric([stage], count.items if count else 0)
        seconds.add_metric([stage], count.seconds if count else 0.0)
        slowest.add_metric([stage], count.slowest if count else 0.0)
    yield from (items, seconds, slowest)


def _queue_gauges(taken: Snapshot) -> Iterator[Metric]:
    """The broker's queues (scale-out only): depth, and when the scheduler read it."""
    if not taken.queue_depths:
        return
    depth = GaugeMetricFamily(
        "alaune_queue_depth",
        "Tasks waiting in each broker queue, as the active scheduler last read it.",
        labels=["queue"],
    )
    read_at = GaugeMetricFamily(
        "alaune_queue_depth_read_timestamp_seconds",
        "When that reading was taken (Unix time): an old one means no scheduler is active.",
        labels=["queue"],
    )
    for reading in taken.queue_depths:
        depth.add_metric([reading.queue], reading.depth)
        read_at.add_metric([reading.queue], reading.read_at.timestamp())
    yield from (depth, read_at)


# Access -------------------------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=16)
def allowed_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The `metrics_allow` setting as networks; ConfigError names a bad entry."""
    parsed = []
    for entry in entries:
        try:
            parsed.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ConfigError(
                f"metrics_allow: {entry!r} is not an address or a network such as 10.0.0.0/8"
            ) from None
    return tuple(parsed)


def may_read(request: Request) -> bool:
    """Whether the client is loopback or in `metrics_allow`. The client is the one
    `web.client.address` finds across `trusted_proxies`; a request that names a forwarded
    client nobody vouches for (forwarding headers from an untrusted peer, or a chain that ends
    on a proxy) is refused, so that a proxy left out of `trusted_proxies` cannot make every
    reader look like loopback."""
    state = site(request)
    client = address(request)
    if client is None:
        return False
    if any(name in request.headers for name in _FORWARDING):
        peer = parse_address(request.client.host) if request.client else None
        proxies = state.trusted_proxies or ()
        if client == peer or any(client in network for network in proxies):
            return False
    allow = allowed_networks(tuple(state.settings.metrics_allow))
    return client.is_loopback or any(client in network for network in allow)
