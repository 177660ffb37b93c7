"""Every environment variable casebook reads, read in one place into one frozen object.

The command line reads the environment once per command (`reload()` in
`casebook.cli.main.main`); everything else asks `environment()`, which reads it
on first use and keeps it. Whoever changes a variable afterwards (a test) calls
`reload()`.

A variable set to something casebook cannot use is kept as its refusal and
raised where its value is asked for: a bad CASEBOOK_NOW stops whatever opens a
casebook, with the message it always had, and not `casebook --help`; a bad
CASEBOOK_LANG does not matter to a command given `--lang`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from casebook import i18n
from casebook.clock import parse_instant
from casebook.errors import CasebookError

HOME = "CASEBOOK_HOME"
LANG = "CASEBOOK_LANG"
NOW = "CASEBOOK_NOW"
NOW_YEARS = (2000, 2199)
PASSPHRASE = "CASEBOOK_PASSPHRASE"
NEW_PASSPHRASE = "CASEBOOK_NEW_PASSPHRASE"
THEME = "CASEBOOK_THEME"
DEBUG = "CASEBOOK_DEBUG"
SSH_CONNECTION = "SSH_CONNECTION"
SSH_CLIENT = "SSH_CLIENT"
SSH_USER_AUTH = "SSH_USER_AUTH"

T = TypeVar("T")


class InvalidVariable(CasebookError):
    """An environment variable set to a value casebook cannot use; `variable` names it."""

    def __init__(self, variable: str, key: str, /, **params: Any) -> None:
        self.variable = variable
        super().__init__(key, **params)


def _read(*variables: str) -> Any:
    """A field read from these variables; `variables()` and the README's table list them."""
    return field(default=None, metadata={"variables": variables})


@dataclass(frozen=True)
class Environment:
    """What the environment tells casebook, one field per variable (or pair of variables)."""

    home: Path | None = _read(HOME)
    """CASEBOOK_HOME: the casebook folder. `--home` wins; unset, the platform's user data folder."""

    raw_language: str | InvalidVariable | None = _read(LANG)
    """CASEBOOK_LANG: `nl` (the default) or `en`; `--lang` wins. Read through `language`."""

    raw_now: datetime | InvalidVariable | None = _read(NOW)
    """CASEBOOK_NOW: an ISO date or date-time that fixes the clock (demos, snapshots). Read through `now`."""

    passphrase: str | None = _read(PASSPHRASE)
    """CASEBOOK_PASSPHRASE: the acting user's passphrase for scripts, instead of asking on the terminal."""

    new_passphrase: str | None = _read(NEW_PASSPHRASE)
    """CASEBOOK_NEW_PASSPHRASE: a new passphrase for scripts (`init`, `user add`, `user passwd`)."""

    theme: str | None = _read(THEME)
    """CASEBOOK_THEME: the app's colour theme; `--theme` wins; unset, `ansi-dark`."""

    debug: bool = field(default=False, metadata={"variables": (DEBUG,)})
    """CASEBOOK_DEBUG: any value shows the traceback of an internal error instead of one sentence."""

    over_ssh: bool = field(default=False, metadata={"variables": (SSH_CONNECTION, SSH_CLIENT)})
    """SSH_CONNECTION or SSH_CLIENT, set by the SSH server: this process serves an SSH login, which
    passphrase-free sign-in needs (README, "Install on a server", on why that trust is safe there)."""

    ssh_client: str | None = _read(SSH_CONNECTION, SSH_CLIENT)
    """The SSH client's address and port ("192.0.2.1 50000"), the first two fields of SSH_CONNECTION (else
    SSH_CLIENT): the audit row of a sign-in over SSH says where it came from."""

    ssh_user_auth: Path | None = _read(SSH_USER_AUTH)
    """SSH_USER_AUTH, set by sshd with `ExposeAuthInfo yes`: a file naming the key this login used, whose
    fingerprint the sign-in's audit row records."""

    @property
    def language(self) -> str | None:
        """The language CASEBOOK_LANG asks for, None when unset; refused when it names no language of ours."""
        return _valid(self.raw_language)

    @property
    def now(self) -> datetime | None:
        """The moment CASEBOOK_NOW fixes, None when unset; refused when it is no date or time."""
        return _valid(self.raw_now)


def _valid(value: T | InvalidVariable) -> T:
    if isinstance(value, InvalidVariable):
        # A fresh exception each time: the kept one would gather every earlier traceback.
        raise InvalidVariable(value.variable, value.key, **value.params)
    return value


def variables() -> list[str]:
    """Every variable casebook reads, in the order of the fields."""
    named = [name for spec in fields(Environment) for name in spec.metadata["variables"]]
    return list(dict.fromkeys(named))  # a variable two fields read is listed once


def _language(text: str) -> str | InvalidVariable | None:
    chosen = text.strip().lower()
    if not chosen:
        return None
    if chosen not in i18n.LANGUAGES:
        return InvalidVariable(LANG, "error.language_invalid", value=chosen, languages=", ".join(i18n.LANGUAGES))
    return chosen


def _now(text: str) -> datetime | InvalidVariable | None:
    fixed = text.strip()
    if not fixed:
        return None
    try:
        moment = parse_instant(fixed)
    except (ValueError, OverflowError):
        return InvalidVariable(NOW, "error.clock_invalid", value=fixed)
    # Deadlines and retention count months and years from the clock: a year far off would overflow them
    # somewhere deep down; a clock this far off is a typing slip.
    if not NOW_YEARS[0] <= moment.year <= NOW_YEARS[1]:
        return InvalidVariable(NOW, "error.clock_implausible", value=fixed, low=NOW_YEARS[0], high=NOW_YEARS[1])
    return moment


def load(environ: Mapping[str, str]) -> Environment:
    """Read every variable from `environ`; never raises (see the module's docstring on bad values)."""
    home = environ.get(HOME, "").strip()
    return Environment(
        home=Path(home) if home else None,
        raw_language=_language(environ.get(LANG, "")),
        raw_now=_now(environ.get(NOW, "")),
        # A passphrase is taken as set, spaces and all; an empty one is still one (and fails to sign in).
        passphrase=environ.get(PASSPHRASE),
        new_passphrase=environ.get(NEW_PASSPHRASE),
        theme=environ.get(THEME) or None,
        debug=bool(environ.get(DEBUG)),
        over_ssh=bool(environ.get(SSH_CONNECTION) or environ.get(SSH_CLIENT)),
        ssh_client=_ssh_client(environ.get(SSH_CONNECTION) or environ.get(SSH_CLIENT) or ""),
        ssh_user_auth=Path(environ[SSH_USER_AUTH]) if environ.get(SSH_USER_AUTH, "").strip() else None,
    )


def _ssh_client(text: str) -> str | None:
    """ "address port" from "address port [server-address] server-port"; what it says is recorded, not trusted."""
    parts = text.split()
    return " ".join(parts[:2]) if parts else None


_current: Environment | None = None


def environment() -> Environment:
    """The environment as last read; read now if it never was."""
    global _current
    if _current is None:
        _current = load(os.environ)
    return _current


def reload() -> Environment:
    """Read the environment again: once per command, and after a test changes a variable."""
    global _current
    _current = load(os.environ)
    return _current
