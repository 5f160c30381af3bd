"""`alaune parse-feed`: one JSON line per input, in order, errors included, exit status 0."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from alaune.cli.main import cli

GOLDEN = Path(__file__).parent / "golden"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, list[dict]]:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["parse-feed", *args], input=stdin)
    lines = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    return result.exit_code, lines


def test_one_line_per_input_in_input_order(tmp_path: Path) -> None:
    missing = tmp_path / "missing.xml"
    not_a_feed = tmp_path / "page.txt"
    not_a_feed.write_text("404 not found", encoding="utf-8")
    paths = [
        str(GOLDEN / "rss20.xml"),
        str(missing),
        str(not_a_feed),
        str(GOLDEN / "jsonfeed11.json"),
    ]
    code, lines = run(*paths, "--json")
    assert code == 0
    assert [line["path"] for line in lines] == paths
    assert [line["format"] for line in lines] == ["rss", None, None, "jsonfeed"]
    assert lines[0]["error"] is None
    assert lines[1]["error"]["kind"] == "io_error"
    assert lines[2]["error"] == {
        "kind": "not_a_feed",
        "message": "not a feed: no feed elements found",
    }


def test_the_record_has_the_documented_shape() -> None:
    _, (line,) = run(str(GOLDEN / "atom10.xml"), "--json")
    assert set(line) == {"path", "format", "title", "link", "items", "error"}
    item = line["items"][0]
    assert set(item) == {
        "title",
        "link",
        "guid",
        "published",
        "updated",
        "author",
        "summary",
        "content",
        "categories",
        "image",
    }
    assert item["published"] == "2026-11-28T07:00:00Z"
    assert isinstance(item["categories"], list)
    assert isinstance(item["author"], str)


def test_url_is_the_base_for_relative_links(tmp_path: Path) -> None:
    feed = tmp_path / "f.xml"
    feed.write_bytes(
        b'<rss version="2.0"><channel><title>T</title><item><title>x</title>'
        b"<link>/a/1</link></item></channel></rss>"
    )
    _, (line,) = run(str(feed), "--url", "https://outlet.example/rss", "--json")
    assert line["items"][0]["link"] == "https://outlet.example/a/1"


def test_standard_input_is_read_with_a_dash() -> None:
    _, (line,) = run("-", "--json", stdin=(GOLDEN / "rss092.xml").read_bytes())
    assert line["path"] == "-"
    assert len(line["items"]) == 2


def test_without_json_a_summary_is_printed() -> None:
    result = CliRunner().invoke(cli, ["parse-feed", str(GOLDEN / "rss091.xml")])
    assert result.exit_code == 0
    assert "rss, 2 items, 'La Vigie de Tanger'" in result.output


def test_rejected_items_are_reported_as_an_encoding_error() -> None:
    _, (line,) = run(str(GOLDEN / "enc-mixed-utf8-and-cp1252.xml"), "--json")
    assert line["error"]["kind"] == "encoding_error"
    assert len(line["items"]) == 2
