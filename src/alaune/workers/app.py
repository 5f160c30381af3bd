"""The Celery app of the scale-out mode, built from alaune's settings.

`make_app(settings)` configures the broker (`broker_url`: Redis by default, RabbitMQ by URL),
the four queues of `queues` (named with `broker_prefix`; on Redis every key is prefixed too),
JSON only, and at-least-once delivery: a message is acknowledged only after its task returns
(`acks_late`), handed to another worker when its worker dies (`reject_on_worker_lost`; on Redis
after `broker_visibility_timeout`), and each worker process reserves one message at a time. It
registers the tasks of `tasks` with the same policy for all: a failure is retried with
exponential backoff and jitter, and after `task_retries` retries it is written to the
`dead_letters` table and acknowledged (a task stopped by `task_time_limit` is written there at
once). A task that finds its lease taken (`leases.Busy`) is sent again a few seconds later.
A task whose worker died under it more than `task_deliveries_max` times in a row (it kills the
process: a crash, memory) is buried too instead of delivered again (store.deliveries).

`Dispatch` is the one way to send work, typed. This module must not do the work itself.
"""

from __future__ import annotations

import logging
import random
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from celery import Celery, signals
from celery.exceptions import TimeLimitExceeded

from alaune.config import Settings
from alaune.ingest.pipeline import CrawlReport
from alaune.store import dead_letters, deliveries
from alaune.store.engine import open_database
from alaune.workers import tasks
from alaune.workers.leases import Busy, utcnow
from alaune.workers.queues import ALL, CLUSTER, IMAGES, PAGES, POLL, TASKS, Names
from alaune.workers.runtime import Runtime

log = logging.getLogger(__name__)

BACKOFF_BASE, BACKOFF_MAX = 2.0, 600.0  # seconds: 2, 4, 8, … up to 10 minutes
BUSY_AGAIN = 5.0  # seconds before a task that found its lease taken is tried again


class Dispatch:
    """Sends tasks to their queues (routing by name is in the app's configuration)."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    def poll(self, feed_id: int, outlet_id: str) -> None:
        self._send(POLL, [feed_id, outlet_id])

    def pages(self, payload: dict[str, Any]) -> None:
        self._send(PAGES, [payload])

    def place_stories(self, *, countdown: float | None = None) -> None:
        self._send(CLUSTER, [], countdown=countdown)

    def images(self, *, countdown: float | None = None) -> None:
        self._send(IMAGES, [], countdown=countdown)

    def _send(self, queue: str, args: list[Any], *, countdown: float | None = None) -> None:
        self.app.send_task(TASKS[queue], args=args, countdown=countdown)


def make_app(settings: Settings) -> Celery:
    app = Celery("alaune", set_as_current=False)
    app.conf.update(celery_config(settings))
    _register(app, settings, Dispatch(app))
    return app


def celery_config(settings: Settings) -> dict[str, Any]:
    names = Names.from_settings(settings)
    return {
        "broker_url": settings.broker_url,
        "broker_transport_options": transport_options(settings),
        "broker_connection_retry_on_startup": True,
        # Celery declares each routed queue (and its exchange) on first use.
        "task_create_missing_queues": True,
        "task_routes": {
            TASKS[short]: {"queue": names.queue(short), "routing_key": names.queue(short)}
            for short in ALL
        },
        "task_default_queue": names.queue(POLL),
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_acks_on_failure_or_timeout": True,
        "task_time_limit": settings.task_time_limit,
        "worker_prefetch_multiplier": 1,
        # With late acknowledgement a task cut off from the broker is delivered again anyway:
        # stopping it avoids running it twice at once.
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,  # the command's own messages stay on stdout
        "enable_utc": True,
        "timezone": "UTC",
    }


def transport_options(settings: Settings) -> dict[str, Any]:
    """Redis: the key prefix, and how soon a vanished worker's tasks are handed over."""
    if not settings.broker_url.startswith(("redis://", "rediss://", "redis+socket://")):
        return {}
    timeout = settings.broker_visibility_timeout
    return {
        "global_keyprefix": f"{settings.broker_prefix}:" if settings.broker_prefix else "",
        "visibility_timeout": timeout,
        # Look for tasks to hand over at a tenth of the timeout (kombu's default: 100 s).
        "unacked_restore_interval": max(1.0, min(60.0, timeout / 10)),
        "unacked_restore_throttle": 1,
    }


def backoff(retries: int) -> float:
    """Seconds before retry number `retries` + 1: doubling from 2 s, at most 10 min, jittered."""
    ceiling = min(BACKOFF_MAX, BACKOFF_BASE * 2**retries)
    return random.uniform(ceiling / 2, ceiling)


def _register(app: Celery, settings: Settings, dispatch: Dispatch) -> None:
    def runtime() -> Runtime:
        return Runtime.current(settings)

    def poll_feed(feed_id: int, outlet_id: str) -> str:
        return _summary(tasks.poll_feed(runtime(), feed_id, outlet_id, dispatch.pages))

    def store_pages(payload: dict[str, Any]) -> str:
        return _summary(tasks.store_pages(runtime(), payload))

    def place_stories() -> str:
        return f"{tasks.place_stories(runtime())} articles placed"

    def fetch_images() -> str:
        return f"{tasks.fetch_images(runtime())} images dealt with"

    bodies: dict[str, Callable[..., str]] = {
        POLL: poll_feed,
        PAGES: store_pages,
        CLUSTER: place_stories,
        IMAGES: fetch_images,
    }
    for short, body in bodies.items():
        app.task(name=TASKS[short], bind=True, max_retries=None)(
            _reliable(TASKS[short], body, settings)
        )


def _summary(report: CrawlReport) -> str:
    return (
        f"{report.added} new articles, {report.known} known, {report.not_modified} not "
        f"modified, {len(report.errors)} errors"
    )


def _reliable(name: str, body: Callable[..., str], settings: Settings) -> Callable[..., None]:
    """The task as Celery runs it: the body, its retries and its dead letter."""

    def run(task: Any, *args: Any) -> None:
        task_id = str(task.request.id or "")
        try:
            if task_id and _delivered(settings, task_id, name) > settings.task_deliveries_max:
                died = settings.task_deliveries_max
                lost = WorkerLost(f"its worker died while running it {died} times in a row")
                _bury(task, name, args, lost, died, settings)
                _finished(settings, task_id)
                return
            summary = body(*args)
        except Busy as exc:
            _finished(settings, task_id)
            log.info("%s: %s; sending it again in %.0f s", name, exc, BUSY_AGAIN)
            task.apply_async(args=args, countdown=BUSY_AGAIN)
        except Exception as exc:
            _finished(settings, task_id)
            retries = int(task.request.retries)
            if retries < settings.task_retries:
                raise task.retry(exc=exc, countdown=backoff(retries)) from exc
            _bury(task, name, args, exc, retries + 1, settings)
        else:
            _finished(settings, task_id)
            log.info("%s: %s", name, summary)

    run.__name__ = run.__qualname__ = name.rsplit(".", 1)[-1]
    return run


class WorkerLost(Exception):
    """What a dead letter says of a task whose worker kept dying under it."""


def _delivered(settings: Settings, task_id: str, name: str) -> int:
    """Count this delivery (store.deliveries); only deliveries cut short by a dying worker
    are still counted at the next one."""
    with Runtime.current(settings).database.write() as conn:
        return deliveries.begin(conn, task_id, task=name, now=utcnow())


def _finished(settings: Settings, task_id: str) -> None:
    if not task_id:
        return
    try:
        with Runtime.current(settings).database.write() as conn:
            deliveries.finish(conn, task_id)
    except Exception:  # the count is a guard, not the work: a later success clears it
        log.warning("could not clear the delivery count of task %s", task_id, exc_info=True)


def _bury(
    task: Any, name: str, args: tuple[Any, ...], exc: Exception, attempts: int, settings: Settings
) -> None:
    """Write the dead letter; if even that fails (the database is down), retry later instead of
    losing the task."""
    log.error("%s failed %d times; recorded as a dead letter: %r", name, attempts, exc)
    try:
        with Runtime.current(settings).database.write() as conn:
            dead_letters.record(
                conn,
                task=name,
                payload={"args": list(args), "task_id": task.request.id},
                error=f"{type(exc).__name__}: {exc}",
                attempts=attempts,
                now=utcnow(),
            )
    except Exception as again:
        log.exception("could not record the dead letter of %s", name)
        raise task.retry(exc=again, countdown=BACKOFF_MAX) from again


def broker_reachable(app: Celery) -> str | None:
    """None when the broker answers, else why not (for the commands' messages)."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=5)
    except Exception as exc:  # kombu raises the transport's own errors
        return f"{type(exc).__name__}: {exc}"
    return None


def broker_shown(url: str) -> str:
    """A broker URL with its password masked, for messages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def run_worker(
    app: Celery, settings: Settings, queues: Sequence[str], *, concurrency: int, hostname: str
) -> int:
    """Run a Celery worker in this process until it stops; returns its exit code.

    SIGTERM or Ctrl-C is Celery's warm shutdown: no new task is taken, the tasks in progress
    finish, and unacknowledged messages stay with the broker for another worker.
    """
    signals.worker_process_shutdown.connect(_close_runtime, weak=False)
    signals.task_failure.connect(_timeout_recorder(settings), weak=False)
    worker = app.Worker(
        hostname=hostname,
        pool_cls="prefork",
        concurrency=concurrency,
        queues=Names.from_settings(settings).queues(queues),
        loglevel=settings.log_level.upper(),
        without_gossip=True,
        without_mingle=True,
        quiet=True,
    )
    worker.start()
    return int(worker.exitcode or 0)


def _close_runtime(**_: Any) -> None:
    Runtime.close_current()


def _timeout_recorder(settings: Settings) -> Callable[..., None]:
    """A task stopped by `task_time_limit` never returns to `_reliable`: Celery's main process
    reports it, and it goes straight to the dead letters (it would likely run over again)."""

    recorded: deque[str] = deque(maxlen=1000)  # Celery reports a timeout twice

    def on_failure(
        sender: Any = None,
        task_id: str | None = None,
        exception: Any = None,
        args: Any = None,
        **_: Any,
    ) -> None:
        if not isinstance(exception, TimeLimitExceeded) or task_id in recorded:
            return  # every other failure is handled inside the task
        recorded.append(str(task_id))
        # A database of its own, closed at once: the main process forks new pool processes,
        # which must not inherit its connections.
        database = open_database(settings.database_url, pool_size=1, max_overflow=0)
        try:
            with database.write() as conn:
                dead_letters.record(
                    conn,
                    task=str(getattr(sender, "name", "?")),
                    payload={"args": list(args or ()), "task_id": task_id},
                    error=f"TimeLimitExceeded: over {settings.task_time_limit:g} s",
                    attempts=1,
                    now=utcnow(),
                )
                deliveries.finish(conn, str(task_id))  # buried: its count is done with
        except Exception:
            log.exception("could not record the dead letter of a task over its time limit")
        finally:
            database.dispose()

    return on_failure
