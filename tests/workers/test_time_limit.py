"""A task that runs past `task_time_limit` is stopped and written to the dead letters.

A demo outlet drips its feed one byte every half second, so its poll outlasts a 2-second
limit; Celery's main process stops the pool process and reports the task, which must end in
`dead_letters` with its arguments, while the worker goes on and stops gracefully.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from workers_support import ScaleOut, dispatch, register_demo, wait_until

from alaune.demo.server import DemoOutlets
from alaune.store import dead_letters
from alaune.store.engine import Database
from alaune.store.schema import feeds
from alaune.workers.queues import TASKS


@pytest.mark.postgres
def test_a_task_over_its_time_limit_becomes_a_dead_letter(scale: ScaleOut, pg: Database) -> None:
    with DemoOutlets(faults={"amp": {"slow": 0.5}}) as slow:
        register_demo(pg, slow, scale)
        scale.settings["ALAUNE_TASK_TIME_LIMIT"] = "2"
        worker = scale.worker("worker", "poll")
        with pg.read() as conn:
            feed_id = conn.execute(select(feeds.c.id).where(feeds.c.outlet_id == "amp")).scalar()
        dispatch(scale).poll(feed_id, "amp")

        def buried() -> list[dead_letters.DeadLetter]:
            with pg.read() as conn:
                return dead_letters.recent(conn)

        wait_until(lambda: buried() != [], timeout=60, what="the dead letter", alive=worker)
        (letter,) = buried()
        assert letter.task == TASKS["poll"]
        assert letter.payload["args"] == [feed_id, "amp"]
        assert letter.error.startswith("TimeLimitExceeded")
        assert worker.stop() == 0, worker.output()
        assert len(buried()) == 1  # recorded once, though Celery reports a timeout twice
