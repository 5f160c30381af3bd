"""A task whose worker dies under it again and again is buried, not delivered forever.

The test plays the task that kills its own process: a demo outlet drips its feed one byte every
half second, so each poll of it is still running when the test SIGKILLs the worker (and its
pool). Redis hands the unacknowledged task back after the visibility timeout and a new worker
takes it. With `task_deliveries_max = 2`, the third delivery must not run the poll again: it
is recorded in `dead_letters` as lost with its workers, its delivery count is dropped, and the
worker goes on serving other tasks.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from workers_support import ScaleOut, dispatch, register_demo, wait_until

from alaune.demo.server import DemoOutlets
from alaune.store import dead_letters
from alaune.store.engine import Database
from alaune.store.schema import feeds, polls, task_deliveries
from alaune.workers.queues import TASKS


def _deliveries(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(task_deliveries.c.deliveries)).scalar() or 0)


@pytest.mark.postgres
def test_a_task_that_keeps_killing_its_worker_becomes_a_dead_letter(
    scale: ScaleOut, pg: Database
) -> None:
    with DemoOutlets(faults={"amp": {"slow": 0.5}}) as slow:
        register_demo(pg, slow, scale)
        scale.settings["ALAUNE_BROKER_VISIBILITY_TIMEOUT"] = "4"
        scale.settings["ALAUNE_TASK_DELIVERIES_MAX"] = "2"
        with pg.read() as conn:
            feed_id = conn.execute(select(feeds.c.id).where(feeds.c.outlet_id == "amp")).scalar()
        dispatch(scale).poll(feed_id, "amp")

        for delivery in (1, 2):  # each delivery starts the poll; its worker is killed under it
            worker = scale.worker(f"worker-{delivery}", "poll")
            wait_until(
                lambda n=delivery: _deliveries(pg) == n,
                timeout=90,
                what=f"delivery {delivery}",
                alive=worker,
            )
            worker.kill()

        last = scale.worker("worker-3", "poll")

        def buried() -> list[dead_letters.DeadLetter]:
            with pg.read() as conn:
                return dead_letters.recent(conn)

        wait_until(lambda: buried() != [], timeout=90, what="the dead letter", alive=last)
        (letter,) = buried()
        assert letter.task == TASKS["poll"]
        assert letter.payload["args"] == [feed_id, "amp"]
        assert letter.error.startswith("WorkerLost")
        assert letter.attempts == 2
        assert _deliveries(pg) == 0
        with pg.read() as conn:  # the third delivery never polled the feed
            assert conn.execute(select(polls.c.id)).first() is None
        assert last.stop() == 0, last.output()
