"""Logging: text for a terminal or one JSON object per line, with the ids a message is about.

`configure(level=…, fmt=…)` installs one handler on the root logger (replacing the one it
installed before, never anyone else's): alaune's own loggers log at `level` (the `log_level`
setting), other libraries at warning and above, as before. `fmt` is the `log_format` setting:
`text` keeps the terminal format, `json` writes `{"time", "level", "logger", "message", …}`.

`bind(outlet_id=…, feed_id=…, article_id=…)` is a context manager: every record logged inside
it, in this task or thread, carries those ids (a context variable, so concurrent polls keep their
own). Ids passed with `extra={"article_id": …}` are kept too. A crawler loop binds the outlet
and feed it polls, then the article it stores, and its warnings say which ones they were about.

This module sits beside `config` at the bottom of the layers: it reads no setting itself and
imports nothing from alaune but `errors`.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TextIO

from alaune.errors import ConfigError

FORMATS = ("text", "json")
LEVELS = ("debug", "info", "warning", "error")
TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"
BOUND_KEYS = ("outlet_id", "feed_id", "article_id", "image_id", "story_id", "job_id", "task")

_bound: contextvars.ContextVar[dict[str, object]] = contextvars.ContextVar("alaune_log_ids")


@contextmanager
def bind(**ids: object) -> Iterator[None]:
    """Attach `ids` to every record logged inside the block (nested blocks add to them)."""
    unknown = set(ids) - set(BOUND_KEYS)
    if unknown:
        raise ValueError(f"unknown log ids {sorted(unknown)}; known: {', '.join(BOUND_KEYS)}")
    token = _bound.set({**_bound.get({}), **{k: v for k, v in ids.items() if v is not None}})
    try:
        yield
    finally:
        _bound.reset(token)


def bound() -> dict[str, object]:
    """The ids bound in the current context."""
    return dict(_bound.get({}))


class BoundIds(logging.Filter):
    """Copies the bound ids onto each record (explicit `extra=` ids win)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _bound.get({}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, ids, error."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for key in BOUND_KEYS:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The terminal format, with the bound ids appended as `key=value`."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = [f"{k}={getattr(record, k)}" for k in BOUND_KEYS if getattr(record, k, None)]
        return f"{line} [{' '.join(ids)}]" if ids else line


class _Handler(logging.StreamHandler[TextIO]):
    """The handler this module installs (so `configure` replaces only it). Without a stream
    of its own it writes to whatever `sys.stderr` is when a record comes, so a test runner's
    swapped and closed streams never keep it."""

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__(stream or sys.stderr)
        self.follow_stderr = stream is None

    def emit(self, record: logging.LogRecord) -> None:
        if self.follow_stderr:
            self.stream = sys.stderr
        super().emit(record)


def configure(*, level: str = "info", fmt: str = "text", stream: TextIO | None = None) -> None:
    """Install the handler for `fmt` at `level` (see the module's docstring)."""
    if fmt not in FORMATS:
        raise ConfigError(f"log_format {fmt!r} is not one of: {', '.join(FORMATS)}")
    if level.lower() not in LEVELS:
        raise ConfigError(f"log_level {level!r} is not one of: {', '.join(LEVELS)}")
    handler = _Handler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(BoundIds())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("alaune").setLevel(level.upper())
