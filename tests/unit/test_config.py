"""The settings table: sources, priority, types, masking."""

from __future__ import annotations

from pathlib import Path

import pytest

from alaune.config import Settings, describe, load_settings
from alaune.errors import ConfigError


def test_defaults_without_any_source() -> None:
    settings = load_settings(env={})
    assert settings == Settings()
    assert settings.database_url == "sqlite:///alaune.db"
    assert settings.fetch_allow == []


def test_priority_is_default_then_file_then_env_then_overrides(tmp_path: Path) -> None:
    file = tmp_path / "alaune.toml"
    file.write_text('port = 8100\nhost = "0.0.0.0"\nfetch_allow = ["127.0.0.1:9"]\n')
    settings = load_settings(
        env={"ALAUNE_CONFIG": str(file), "ALAUNE_PORT": "8200"}, overrides={"host": "::1"}
    )
    assert settings.port == 8200
    assert settings.host == "::1"
    assert settings.fetch_allow == ["127.0.0.1:9"]


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("ALAUNE_FETCH_ALLOW", "127.0.0.1:80, [::1]:81", ["127.0.0.1:80", "[::1]:81"]),
        ("ALAUNE_FETCH_TIMEOUT", "2.5", 2.5),
        ("ALAUNE_PORT", "9000", 9000),
    ],
)
def test_environment_values_are_typed(name: str, raw: str, expected: object) -> None:
    settings = load_settings(env={name: raw})
    assert getattr(settings, name.removeprefix("ALAUNE_").lower()) == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALAUNE_PORT": "eighty"}, "'port' from $ALAUNE_PORT"),
        ({"ALAUNE_FETCH_TIMEOUT": "soon"}, "not a valid float"),
    ],
)
def test_bad_values_name_the_setting_and_the_source(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("$", r"\$")):
        load_settings(env=env)


def test_unknown_names_in_file_are_refused(tmp_path: Path) -> None:
    file = tmp_path / "alaune.toml"
    file.write_text("prot = 1\n")
    with pytest.raises(ConfigError, match="unknown setting 'prot'"):
        load_settings(env={}, config_file=file)


def test_missing_and_invalid_files_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(env={}, config_file=tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("port = = 1")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(env={}, config_file=bad)


def test_secrets_are_masked() -> None:
    rows = {
        name: shown
        for name, _, shown in describe(load_settings(env={"ALAUNE_SECRET_KEY": "hunter2"}))
    }
    assert rows["secret_key"] == "********"
    assert "hunter2" not in repr(rows)
