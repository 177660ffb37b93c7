"""What every command shares: the options, the acting user's sign-in, tables."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from casebook import config
from casebook.book import Casebook, open_casebook
from casebook.errors import CasebookError
from casebook.i18n import t
from casebook.permissions import SCHEDULER
from casebook.plaintext import inert
from casebook.session import Interface, Session
from schema.models import User
from schema.roles import ROLE_ORDER, Role, parse_role

# A row number, a version, a count: what SQLite can hold and no less than one, so a mistyped
# 99999999999999999999 is a usage error (exit 2) rather than an overflow deep in the store.
SQLITE_MAX = 2**63 - 1
ID = click.IntRange(1, SQLITE_MAX)
COUNT = click.IntRange(1, SQLITE_MAX)
OFFSET = click.IntRange(0, SQLITE_MAX)


@dataclass
class Options:
    home: Path | None
    user: str | None
    theme: str | None


def stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def read_passphrase(name: str) -> str:
    """The acting user's passphrase: from the environment for scripts, else asked on the terminal."""
    from_env = config.environment().passphrase
    if from_env is not None:
        return from_env
    if not stdin_is_terminal():
        raise CasebookError("cli.no_passphrase", env=config.PASSPHRASE)
    return click.prompt(t("cli.prompt_passphrase", name=name), hide_input=True, err=True)


def read_new_passphrase(name: str) -> str:
    from_env = config.environment().new_passphrase
    if from_env is not None:
        return from_env
    if not stdin_is_terminal():
        raise CasebookError("cli.no_new_passphrase", env=config.NEW_PASSPHRASE)
    first = click.prompt(t("cli.prompt_new_passphrase", name=name), hide_input=True, err=True)
    second = click.prompt(t("cli.prompt_repeat_passphrase"), hide_input=True, err=True)
    if first != second:
        raise CasebookError("cli.passphrases_differ")
    return first


# What a timer runs: given no --user, and with no account linked to the OS user, these act as the built-in
# scheduler when run as the service account (casebook.signin.authenticate_scheduler). `purge` is the
# retention command; its permission, RUN_PURGE, is among the scheduler's.
SCHEDULED_COMMANDS = frozenset({"import", "irregularities", "purge"})


def sign_in(book: Casebook, name: str | None, command: str | None = None) -> Session:
    """Act as `name`, or as the account linked to the OS user; without a passphrase only over SSH where allowed.

    `--user scheduler`, or a scheduled command given no user at all, acts as the built-in scheduler.
    """
    name = name or book.linked_account()
    if (not name and command in SCHEDULED_COMMANDS) or (name or "").strip().lower() == SCHEDULER:
        return book.login_scheduler()
    if not name:
        raise CasebookError("cli.no_user")
    if book.ssh_sign_in_allowed(name):
        return book.login_os(name, interface=Interface.CLI)
    return book.login(name, read_passphrase(name), interface=Interface.CLI)


def open_book(options: Options) -> Casebook:
    return open_casebook(options.home)


@contextmanager
def acting(options: Options) -> Iterator[Session]:
    """Open the casebook and sign in as the acting user for one command; always close it after."""
    book = open_book(options)
    context = click.get_current_context(silent=True)
    try:
        yield sign_in(book, options.user, context.info_name if context else None)
    finally:
        book.close()


def user_status(user: User, book: Casebook) -> str:
    if user.disabled:
        return t("users.status.disabled")
    if user.locked_until and user.locked_until > book.clock.now():
        return t("users.status.locked", until=book.local_time_text(user.locked_until))
    return t("users.status.active")


def roles_text(roles: frozenset[Role]) -> str:
    return ", ".join(t(f"role.{role.value}") for role in ROLE_ORDER if role in roles)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns padded to width; cells lose control characters, so no value can drive the terminal."""
    rows = [[inert(cell) for cell in row] for row in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


class RoleType(click.ParamType):
    name = "role"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Role:
        if isinstance(value, Role):
            return value
        try:
            return parse_role(str(value))
        except ValueError:
            self.fail(t("cli.bad_role", role=value, roles=", ".join(r.value for r in ROLE_ORDER)), param, ctx)


ROLE = RoleType()
