"""`alaune eval`: any JSONL in the documented format, scores printed, assignments in input order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from alaune.cli.main import cli

QUAKE_FR = (
    "Une secousse de magnitude 4,9 a été enregistrée mardi dans la province d'Al Haouz, sans "
    "faire de victimes, selon l'Institut national de géophysique. L'épicentre a été localisé "
    "dans la commune d'Ighil, à une profondeur de 9 kilomètres."
)
RECORDS = [
    # Published times out of file order: placing follows time, assignments follow the file.
    {"id": "q2", "lang": "ar", "title": "هزة أرضية بقوة 4.9 درجات تضرب إقليم الحوز",
     "text": "سجل المعهد الوطني للجيوفيزياء هزة أرضية بقوة 4.9 درجات بإقليم الحوز.",
     "published": "2026-11-03T13:30:00Z", "source": "sada", "story_id": "quake"},
    {"id": "q1", "lang": "fr", "title": "Séisme de magnitude 4,9 dans la province d'Al Haouz",
     "text": QUAKE_FR, "published": "2026-11-03T13:00:00+00:00", "source": "echo",
     "story_id": "quake", "copy_group": "g1"},
    {"id": "q3", "lang": "fr", "text": "Tanger - " + QUAKE_FR,
     "published": "2026-11-03T14:00:00Z", "source": "courrier", "story_id": "quake",
     "copy_group": "g1"},
    {"id": "d1", "lang": "en", "title": "Raja beat Wydad 2-1 in the Casablanca derby",
     "text": "Raja Casablanca beat Wydad 2-1 at the Mohammed V stadium on Sunday.",
     "published": "2026-11-01T18:00:00Z", "source": "herald", "story_id": "derby"},
    {"id": "x1", "lang": "en", "title": "Unlabelled", "text": "A record without a gold story.",
     "published": None, "source": "herald"},
]  # fmt: skip


def write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    return path


def test_clustering_scores_a_file_and_writes_assignments_in_input_order(tmp_path: Path) -> None:
    data = write(tmp_path / "in.jsonl", RECORDS)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["eval", "clustering", str(data), "--assignments", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"bcubed", "pairwise", "bcubed_cross_language", "pairwise_cross_language"} <= set(report)
    assert (report["records"], report["scored"]) == (5, 4)
    assert report["bcubed"]["f1"] == 1.0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["q2", "q1", "q3", "d1", "x1"]
    stories = {r["id"]: r["story_id"] for r in rows}
    assert stories["q1"] == stories["q2"] == stories["q3"] != stories["d1"]


def test_dedupe_names_the_original_of_each_copy(tmp_path: Path) -> None:
    data = write(tmp_path / "in.jsonl", RECORDS)
    out = tmp_path / "copies.jsonl"
    result = CliRunner().invoke(cli, ["eval", "dedupe", str(data), "--assignments", str(out)])
    assert result.exit_code == 0, result.output
    assert "pairwise" in result.output
    rows = {r["id"]: r["copy_of"] for r in map(json.loads, out.read_text().splitlines())}
    assert rows == {"q2": None, "q1": None, "q3": "q1", "d1": None, "x1": None}


def test_without_times_file_order_is_time_order(tmp_path: Path) -> None:
    untimed = [{**r, "published": None} for r in RECORDS]
    data = write(tmp_path / "in.jsonl", untimed)
    result = CliRunner().invoke(cli, ["eval", "clustering", str(data), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["bcubed"]["f1"] == 1.0


@pytest.mark.parametrize(
    ("case", "args", "message"),
    [
        ("neither a file nor --demo", ["eval", "clustering"], "give a JSONL file or --demo"),
        ("a line that is not JSON", ["eval", "clustering", "BAD"], "not JSON"),
    ],
)
def test_bad_input_is_explained(tmp_path: Path, case: str, args: list[str], message: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    args = [str(bad) if a == "BAD" else a for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0, case
    assert message in result.output, case


def test_the_demo_run_reports_train_and_heldout_apart() -> None:
    result = CliRunner().invoke(cli, ["eval", "clustering", "--demo", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["splits"]) == {"train", "heldout"}
    assert report["splits"]["heldout"]["scored"] > 0
