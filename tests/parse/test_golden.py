"""Golden parser tests: every document under golden/ against its NAME.expected.json.

The documents are written by the project (see golden/README.md). Each is parsed exactly as
`alaune parse-feed FILE --json` would, with every installed backend: RSS and Atom must read the
same whichever engine parses them. To review a change of output, regenerate the expected files
with `ALAUNE_GOLDEN_WRITE=1 .venv/bin/pytest tests/parse/test_golden.py` and read the diff.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from alaune.cli.parse_feed import parse_file
from alaune.parse import SectionRules
from alaune.parse.backend import BACKENDS

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
DOCUMENTS = sorted(
    p for p in GOLDEN.iterdir() if p.name != "README.md" and not p.name.endswith(".expected.json")
)


def _record(path: Path) -> dict[str, Any]:
    record = parse_file(str(path), url="", now=NOW, rules=SectionRules())
    del record["path"]
    return record


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_golden(path: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("alaune.parse.backend.BACKENDS", (backend,))
    expected_path = path.with_name(path.name + ".expected.json")
    actual = _record(path)
    if os.environ.get("ALAUNE_GOLDEN_WRITE") and backend == BACKENDS[0]:
        text = json.dumps(actual, ensure_ascii=False, indent=2) + "\n"
        expected_path.write_text(text, encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expected


def test_every_format_has_a_golden_document() -> None:
    formats = {
        json.loads(p.read_text(encoding="utf-8"))["format"]
        for p in GOLDEN.glob("*.json")
        if p.name.endswith(".expected.json")
    }
    assert formats == {"rss", "atom", "rdf", "jsonfeed", "sitemap", "sitemapindex", "html"}
