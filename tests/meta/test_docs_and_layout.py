"""The project's own rules: generated docs stay in sync, imports flow one way, data is packaged."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
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


def test_every_data_file_is_package_data() -> None:
    """An installed alaune must work outside the repo: templates, corpus, static files included."""
    package = ROOT / "src" / "alaune"
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["alaune"]
    covered = {path for pattern in patterns for path in package.glob(pattern) if path.is_file()}
    data = {
        path
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert sorted(str(p.relative_to(package)) for p in data - covered) == []
