"""Keep the garbage collector's full passes short in long-running processes.

CPython's full (generation 2) collection walks every tracked object. A web process holds ~150,000
of them after startup (modules, functions, types, templates, the app), nearly all of which live
as long as the process; on this project's reference machine one full pass over them took 75–95 ms,
and it stopped every request in flight: the eight concurrent searches of bench/web.py all waited
~100 ms at once, which alone made their p99 (docs/benchmarks.md). `gc.freeze()` moves the objects
that exist at that moment out of the collector's reach, so later full passes walk only what was
made since (Instagram's fix for the same pauses, and the Python documentation's advice for
servers). Nothing is lost: frozen objects are still freed by reference counting; only cycles
among them would stay, and startup objects are not garbage.

Call `freeze_startup_heap` once, after the application is built and before serving. This module
must not change collection thresholds or disable the collector.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect what startup left over, then freeze the rest; returns how many objects froze."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
