"""`alaune eval`: score story clustering and wire-copy detection on labelled JSONL or the demo.

Records are {id, lang, title, text, published, source, story_id} (and `copy_group` for dedupe):
`published` may be null (file order is then time order), `title` may be missing, and a record
without its gold label is placed but not scored. Records go through the same dedupe and
clustering code as ingestion (`ingest.replay`). A thin command: no scoring logic here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
import numpy as np

from alaune.demo.gold import demo_records
from alaune.ingest import replay
from alaune.ingest.replay import Outcome, Record, RecordError

Scorer = Callable[[Sequence[Record], Sequence[Outcome]], dict[str, Any]]
_ROWS = (
    ("B-cubed", "bcubed"),
    ("pairwise", "pairwise"),
    ("B-cubed, cross-language", "bcubed_cross_language"),
    ("pairwise, cross-language", "pairwise_cross_language"),
)


@click.group(name="eval")
def eval_() -> None:
    """Score clustering and dedupe against gold labels (JSONL or the demo corpus)."""


def _options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")(
        command
    )
    command = click.option(
        "--assignments",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write one JSON line per record, in input order, with what was predicted.",
    )(command)
    command = click.option(
        "--demo", is_flag=True, help="Use the demo corpus (train and held-out stories)."
    )(command)
    return click.argument(
        "path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
    )(command)


@eval_.command()
@_options
def clustering(path: Path | None, demo: bool, assignments: Path | None, as_json: bool) -> None:
    """B-cubed and pairwise P/R/F1 of story clustering, overall and across languages."""
    _run(path, demo, assignments, as_json, replay.clustering_scores, "story_id")


@eval_.command()
@_options
def dedupe(path: Path | None, demo: bool, assignments: Path | None, as_json: bool) -> None:
    """Pairwise and B-cubed P/R/F1 of wire-copy groups (gold: each record's copy_group)."""
    _run(path, demo, assignments, as_json, replay.dedupe_scores, "copy_of")


def _run(
    path: Path | None,
    demo: bool,
    assignments: Path | None,
    as_json: bool,
    scorer: Scorer,
    field: str,
) -> None:
    if demo == (path is not None):
        raise click.UsageError("give a JSONL file or --demo, not both")
    try:
        records = demo_records() if demo else replay.read_jsonl(path)  # type: ignore[arg-type]
    except RecordError as exc:
        raise click.ClickException(str(exc)) from None
    vectors = replay.embed_all(records)
    outcomes = replay.replay(records, vectors=vectors)
    report = scorer(records, outcomes)
    if demo:
        report["splits"] = {
            split: _split_report(records, vectors, split, scorer) for split in ("train", "heldout")
        }
    if assignments is not None:
        _write_assignments(assignments, outcomes, field)
    click.echo(json.dumps(report, sort_keys=True) if as_json else _text(report))


def _split_report(
    records: list[Record], vectors: np.ndarray, split: str, scorer: Scorer
) -> dict[str, Any]:
    """A split replayed alone, so that its score owes nothing to the other split's stories."""
    positions = [i for i, r in enumerate(records) if r.split == split]
    chosen = [records[i] for i in positions]
    return scorer(chosen, replay.replay(chosen, vectors=vectors[positions]))


def _write_assignments(path: Path, outcomes: Sequence[Outcome], field: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        for outcome in outcomes:
            value = outcome.story_id if field == "story_id" else outcome.copy_of
            out.write(json.dumps({"id": outcome.id, field: value}, ensure_ascii=False) + "\n")


def _text(report: dict[str, Any], title: str = "") -> str:
    lines = [f"{title}{report['records']} records, {report['scored']} scored"]
    lines.append(f"  {'':26} {'precision':>9} {'recall':>7} {'F1':>7}")
    for label, key in _ROWS:
        if key in report:
            s = report[key]
            lines.append(f"  {label:26} {s['precision']:>9.4f} {s['recall']:>7.4f} {s['f1']:>7.4f}")
    for split, sub in report.get("splits", {}).items():
        lines.append("")
        lines.append(_text(sub, f"{split}: "))
    return "\n".join(lines)
