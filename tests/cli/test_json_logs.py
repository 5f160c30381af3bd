"""Logs as the settings say: JSON lines with the ids a message is bound to, or text."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from alaune import logs
from alaune.cli.main import cli


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root, ours = logging.getLogger(), logging.getLogger("alaune")
    handlers, levels = list(root.handlers), (root.level, ours.level)
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(levels[0])
    ours.setLevel(levels[1])


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.usefixtures("restore_logging")
def test_json_lines_carry_the_bound_ids() -> None:
    stream = io.StringIO()
    logs.configure(level="info", fmt="json", stream=stream)
    log = logging.getLogger("alaune.ingest.pipeline")
    with logs.bind(outlet_id="lematin", feed_id=3):
        log.info("polled")
        with logs.bind(article_id=42):
            log.warning("extraction fell back to readability")
        log.warning("explicit ids win", extra={"feed_id": 4})
    log.info("outside")
    logging.getLogger("some.library").info("library chatter stays out")
    first, second, third, fourth = _lines(stream)
    assert first["message"] == "polled"
    assert first["level"] == "info"
    assert first["logger"] == "alaune.ingest.pipeline"
    assert (first["outlet_id"], first["feed_id"]) == ("lematin", 3)
    assert "article_id" not in first
    assert (second["outlet_id"], second["article_id"]) == ("lematin", 42)
    assert third["feed_id"] == 4
    assert "outlet_id" not in fourth


@pytest.mark.usefixtures("restore_logging")
def test_ids_stay_with_their_thread() -> None:
    stream = io.StringIO()
    logs.configure(fmt="json", stream=stream)
    log = logging.getLogger("alaune.workers")

    def poll(outlet: str) -> None:
        with logs.bind(outlet_id=outlet):
            log.warning("done")

    threads = [threading.Thread(target=poll, args=(f"o{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(str(line["outlet_id"]) for line in _lines(stream)) == [f"o{n}" for n in range(8)]


@pytest.mark.usefixtures("restore_logging")
def test_text_lines_name_the_ids_and_errors_are_json_too() -> None:
    stream = io.StringIO()
    logs.configure(fmt="text", stream=stream)
    with logs.bind(outlet_id="hespress"):
        logging.getLogger("alaune.x").warning("slow")
    assert stream.getvalue() == "WARNING alaune.x: slow [outlet_id=hespress]\n"
    stream = io.StringIO()
    logs.configure(fmt="json", stream=stream)
    try:
        raise ValueError("bad page")
    except ValueError:
        logging.getLogger("alaune.x").exception("failed")
    (line,) = _lines(stream)
    assert "ValueError: bad page" in str(line["error"])


@pytest.mark.usefixtures("restore_logging")
def test_the_cli_configures_logs_from_the_settings(capsys: pytest.CaptureFixture[str]) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["config"], env={"ALAUNE_LOG_FORMAT": "json"})
    assert result.exit_code == 0, result.output
    with logs.bind(article_id=7):
        logging.getLogger("alaune.test").warning("after the command")
    (line,) = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    assert (line["message"], line["article_id"]) == ("after the command", 7)


@pytest.mark.usefixtures("restore_logging")
def test_a_bad_log_format_is_named() -> None:
    result = CliRunner().invoke(cli, ["config"], env={"ALAUNE_LOG_FORMAT": "xml"})
    assert result.exit_code != 0
    assert "log_format 'xml' is not one of: text, json" in result.output
