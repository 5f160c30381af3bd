"""`alaune users`: admin accounts (create one, change a password, list them).

Passwords are asked on the terminal (twice, not echoed) or read from standard input with
`--password-stdin` for scripts; they are hashed with argon2id and never printed or stored.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click

from alaune.auth import passwords
from alaune.cli.context import CliContext, pass_context
from alaune.store import admins, audit

NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


@click.group()
def users() -> None:
    """Admin accounts of the site's admin area (/admin)."""


@users.command("create-admin")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def create_admin(ctx: CliContext, name: str, password_stdin: bool) -> None:
    """Create the admin NAME (lower-case letters, digits, '.', '_' or '-')."""
    name = _valid_name(name)
    password_hash = _ask_password(password_stdin)
    database = ctx.database(ctx.settings())
    now = datetime.now(UTC)
    try:
        with database.write() as conn:
            admins.create_user(conn, name, password_hash, now=now)
            audit.record(
                conn,
                actor="cli",
                action="create_admin",
                target_kind="admin",
                target_id=name,
                now=now,
            )
    except admins.NameTaken as exc:
        raise click.ClickException(
            f"{exc}: pick another name, or `alaune users set-password {name}`"
        ) from None
    finally:
        database.dispose()
    click.echo(f"Created the admin {name!r}. Next: sign in at /admin/login on the site.")


@users.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def set_password(ctx: CliContext, name: str, password_stdin: bool) -> None:
    """Give the admin NAME a new password (their sessions stay open until they expire)."""
    password_hash = _ask_password(password_stdin)
    database = ctx.database(ctx.settings())
    try:
        with database.write() as conn:
            if not admins.set_password(conn, name, password_hash):
                raise click.ClickException(f"no admin is called {name!r}: see `alaune users list`")
            audit.record(
                conn,
                actor="cli",
                action="set_password",
                target_kind="admin",
                target_id=name,
                now=datetime.now(UTC),
            )
    finally:
        database.dispose()
    click.echo(f"Changed the password of {name!r}.")


@users.command("list")
@pass_context
def list_users(ctx: CliContext) -> None:
    """List the admins."""
    database = ctx.database(ctx.settings())
    try:
        with database.read() as conn:
            names = admins.names(conn)
    finally:
        database.dispose()
    for name in names:
        click.echo(name)
    if not names:
        click.echo("No admin yet. Next: `alaune users create-admin NAME`.", err=True)


def _valid_name(name: str) -> str:
    if not name or len(name) > 64 or not set(name) <= NAME_CHARS:
        raise click.BadParameter(
            "use 1 to 64 lower-case letters, digits, '.', '_' or '-'", param_hint="NAME"
        )
    return name


def _ask_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        return passwords.hash_password(password)
    except passwords.WeakPassword as exc:
        raise click.ClickException(f"{exc}; choose a longer one") from None
