"""`alaune sources`: the outlet registry's commands, one module per family.

The group only gathers commands: each lives in its own module (`sources_registry`: validate,
list; `sources_add`: add; `sources_opml`: import-opml, export-opml). A new command, such as
`health`, is a `@click.command()` in its own `sources_<name>.py` added to the tuple below.
"""

from __future__ import annotations

import click

from alaune.cli.sources_add import add
from alaune.cli.sources_health import health
from alaune.cli.sources_opml import export_opml, import_opml
from alaune.cli.sources_registry import list_outlets, validate


@click.group()
def sources() -> None:
    """The outlet registry: validate, list, add outlets, OPML import/export."""


for command in (validate, list_outlets, add, import_opml, export_opml, health):
    sources.add_command(command)
