"""The scale-out mode on RabbitMQ: the broker chosen by URL, the same crawl as on Redis.

`broker_url = amqp://…` must be all it takes: a scheduler and a worker crawl the demo outlets
into PostgreSQL through the RabbitMQ server on 127.0.0.1:5672 (guest/guest, as Debian's package
starts it), every article stored, deduplicated and placed once, and the active scheduler reads
the four queues' lengths from RabbitMQ for `/metrics`. Each run's queues are named with its own
`broker_prefix` and deleted at the end. Outside CI a missing RabbitMQ skips the test; with
CI=true it fails, as a missing Redis or PostgreSQL does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import kombu
import pytest
from workers_support import ScaleOut, counts, register_demo, wait_until

from alaune.demo.corpus import load_corpus
from alaune.demo.server import DemoOutlets
from alaune.store import queue_depths
from alaune.store.engine import Database
from alaune.workers.queues import ALL, Names

RABBITMQ_URL = os.environ.get("ALAUNE_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672//")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def rabbitmq(scale: ScaleOut) -> Iterator[str]:
    try:
        with kombu.Connection(RABBITMQ_URL, connect_timeout=5) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:  # kombu raises the transport's own errors
        message = f"RabbitMQ at {RABBITMQ_URL} is unreachable ({exc}); test skipped"
        if IN_CI:
            pytest.fail(message.replace("skipped", "required under CI=true"))
        pytest.skip(message)
    scale.broker_url = RABBITMQ_URL
    yield RABBITMQ_URL
    scale.close()
    with kombu.Connection(RABBITMQ_URL, connect_timeout=5) as connection:
        channel = connection.channel()
        for name in Names(scale.prefix).queues(ALL):
            channel.queue_delete(name)


@pytest.mark.postgres
def test_a_worker_on_rabbitmq_crawls_the_demo(
    scale: ScaleOut, rabbitmq: str, pg: Database, demo: DemoOutlets
) -> None:
    total = len(load_corpus().articles)
    register_demo(pg, demo, scale)
    worker = scale.worker("worker", "poll,pages,images,cluster")
    scheduler = scale.scheduler()
    wait_until(lambda: counts(pg) == (total, total, total), timeout=180, what="the crawl")

    with pg.read() as conn:
        read = {reading.queue for reading in queue_depths.latest(conn)}
    assert read == set(ALL)  # the scheduler read each queue's length from RabbitMQ
    with kombu.Connection(rabbitmq, connect_timeout=5) as connection:
        channel = connection.channel()
        for name in Names(scale.prefix).queues(ALL):  # the work went through RabbitMQ's queues
            channel.queue_declare(name, passive=True)
    assert scheduler.stop() == 0, scheduler.output()
    assert worker.stop() == 0, worker.output()
