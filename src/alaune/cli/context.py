"""What every command shares: the effective settings, and opening the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from alaune.config import Settings, load_settings
from alaune.errors import AlauneError
from alaune.store.engine import Database, open_configured


@dataclass
class CliContext:
    config_file: str | None
    overrides: dict[str, Any] = field(default_factory=dict)

    def settings(self, **more: Any) -> Settings:
        merged = {**self.overrides, **{k: v for k, v in more.items() if v is not None}}
        try:
            return load_settings(config_file=self.config_file, overrides=merged)
        except AlauneError as exc:
            raise click.ClickException(str(exc)) from None

    def database(self, settings: Settings) -> Database:
        try:
            return open_configured(settings)
        except AlauneError as exc:
            raise click.ClickException(str(exc)) from None


pass_context = click.make_pass_decorator(CliContext)
