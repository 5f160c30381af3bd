"""How many tasks wait in each broker queue, read by the active scheduler for `/metrics`.

`BrokerDepths(app)()` asks the broker, through the app's kombu connection, for the length of each
of the four queues (`queues.ALL`, named as the app routes them, so with `broker_prefix`). On
Redis, a queue is one list per priority step (`alaune.poll`, then the same name with kombu's
separator and 3, 6, 9 appended), under the key prefix `alaune:`: their LLENs are summed
(kombu's own passive declaration checks them with EXISTS, which its prefixing client leaves
unprefixed, so it never finds them). On RabbitMQ it is the message count of a passive
declaration; a queue never declared has 0 tasks waiting. Tasks a worker has taken (running, or
held for a countdown) are not counted. Reads only.
"""

from __future__ import annotations

import contextlib
from typing import Any

from celery import Celery

from alaune.workers.queues import ALL, TASKS

TIMEOUT = 5.0  # seconds to reach the broker


class BrokerDepths:
    """Reads the queues' lengths from the broker of `app` (short queue name → tasks waiting)."""

    def __init__(self, app: Celery) -> None:
        self.app = app
        routes = app.conf.task_routes or {}
        self.queues = {short: str(routes[TASKS[short]]["queue"]) for short in ALL}

    @classmethod
    def of(cls, sender: object) -> BrokerDepths | None:
        """A reader for a sender that sends through a Celery app (`app.Dispatch`), else None."""
        app = getattr(sender, "app", None)
        return cls(app) if isinstance(app, Celery) else None

    def __call__(self) -> dict[str, int]:
        with self.app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT)
            return {short: _depth(conn, name) for short, name in self.queues.items()}


def _depth(conn: Any, name: str) -> int:
    # A channel per queue: on RabbitMQ, asking for an unknown queue closes the channel.
    channel = conn.channel()
    try:
        if conn.transport.driver_type == "redis":
            return _redis_depth(channel, name)
        return int(channel.queue_declare(queue=name, passive=True).message_count)
    except conn.channel_errors:
        return 0
    finally:
        with contextlib.suppress(*conn.channel_errors, *conn.connection_errors):
            channel.close()


def _redis_depth(channel: Any, name: str) -> int:
    """The queue's lists summed, through the channel's client (which adds the key prefix)."""
    keys = [name, *(f"{name}{channel.sep}{step}" for step in channel.priority_steps if step)]
    with channel.client.pipeline() as pipe:
        for key in keys:
            pipe.llen(key)
        return sum(int(length) for length in pipe.execute())
