"""`alaune users`: create an admin (password on stdin or asked twice), list, change a password."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from alaune.auth.passwords import verify
from alaune.cli.main import cli
from alaune.store import admins, migrate
from alaune.store.engine import open_database


def _run(url: str, *args: str, stdin: str = "") -> Result:
    return CliRunner().invoke(cli, ["--database", url, "users", *args], input=stdin)


def test_create_list_and_change_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    db = open_database(url)
    migrate.upgrade(db)
    made = _run(url, "create-admin", "editor", "--password-stdin", stdin="first long password\n")
    assert made.exit_code == 0, made.output
    assert "Created the admin 'editor'" in made.output
    asked = _run(url, "create-admin", "chief", stdin="second long password\nsecond long password\n")
    assert asked.exit_code == 0, asked.output
    listed = _run(url, "list")
    assert listed.output.split() == ["chief", "editor"]
    again = _run(url, "create-admin", "editor", "--password-stdin", stdin="another password!\n")
    assert again.exit_code == 1
    assert "already exists" in again.output
    weak = _run(url, "create-admin", "newbie", "--password-stdin", stdin="short\n")
    assert weak.exit_code == 1
    assert "at least 10 characters" in weak.output
    bad_name = _run(url, "create-admin", "Bad Name!", "--password-stdin", stdin="x" * 12)
    assert bad_name.exit_code == 2
    changed = _run(url, "set-password", "editor", "--password-stdin", stdin="a new long one!\n")
    assert changed.exit_code == 0
    with db.read() as conn:
        found = admins.password_hash(conn, "editor")
    assert found is not None
    assert verify(found[1], "a new long one!")
    assert "first long password" not in (tmp_path / "a.db").read_bytes().decode("latin-1")
    db.dispose()
