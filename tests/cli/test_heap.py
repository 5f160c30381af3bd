"""A web process freezes what startup built, so the collector's full passes skip it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from alaune.cli.heap import freeze_startup_heap
from alaune.cli.serve import app_from_environment
from alaune.store import migrate
from alaune.store.engine import open_database


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    try:
        yield
    finally:
        gc.unfreeze()  # the test process's objects go back to the collector


def _collectable(obj: object) -> bool:
    # gc.get_objects() lists the collector's generations, not the frozen (permanent) one.
    return any(found is obj for found in gc.get_objects())


@pytest.mark.usefixtures("unfrozen")
def test_a_serving_process_freezes_its_startup_heap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'alaune.db'}"
    database = open_database(url)
    migrate.upgrade(database)
    database.dispose()
    monkeypatch.setenv("ALAUNE_DATABASE_URL", url)
    assert gc.get_freeze_count() == 0
    app = app_from_environment()
    assert gc.get_freeze_count() > 10_000  # modules, functions, the app
    assert not _collectable(app)
    made_after = {"a": [1]}
    assert _collectable(made_after)  # what requests make is still collected
    app.state.site.db.dispose()


@pytest.mark.usefixtures("unfrozen")
def test_freezing_collects_startup_garbage_first() -> None:
    class Cycle:
        pass

    cycle = Cycle()
    cycle.me = cycle  # type: ignore[attr-defined]
    gone = weakref.ref(cycle)
    del cycle
    assert gone() is not None  # a cycle: reference counting alone never frees it
    freeze_startup_heap()
    assert gone() is None  # freed, not frozen forever
