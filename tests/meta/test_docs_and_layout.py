"""The project's own rules: generated docs stay in sync, imports flow one way, data is packaged."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from alaune.cli.main import cli
from alaune.config import reference_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_config_doc_is_generated_from_the_settings_table() -> None:
    written = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    assert written == reference_markdown(), "docs/config.md is stale: run `make docs`"


def test_every_cli_command_has_help() -> None:
    runner = CliRunner()
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, f"`alaune {name}` has no help text"


def test_import_contracts_hold() -> None:
    """STYLE.md: cli → workers | web → ingest → stages → text → config → model | errors."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is not installed in this environment"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_says_what_it_does() -> None:
    missing = []
    for path in sorted((ROOT / "src" / "alaune").rglob("*.py")):
        if "versions" in path.parts or path.stat().st_size == 0:
            continue
        source = path.read_text(encoding="utf-8").lstrip()
        if not source.startswith(('"""', "'''")):
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []
