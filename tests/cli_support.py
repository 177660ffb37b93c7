"""Running `casebook` in-process for the CLI tests: the runner and its fixtures (registered in conftest)."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook import clock as clocks
from casebook.cli import main
from casebook.paths import DB_NAME, KEY_NAME
from tests.conftest import ADMIN, NOW, PASSPHRASE, READY, set_env

OS_ACCOUNT = "casebook-test-os-user"


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


class CasebookCli:
    """`casebook` against one home folder, with the environment a script would set."""

    def __init__(self, home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.home = home
        self._capsys = capsys
        self._monkeypatch = monkeypatch

    @property
    def db(self) -> Path:
        return self.home / DB_NAME

    @property
    def key(self) -> Path:
        return self.home / KEY_NAME

    def env(self, **values: str | None) -> None:
        set_env(self._monkeypatch, **values)

    def run_argv(self, *argv: str) -> Outcome:
        code = main(list(argv))
        captured = self._capsys.readouterr()
        assert "Traceback" not in captured.err
        assert "Traceback" not in captured.out
        return Outcome(code, captured.out, captured.err)

    def run(self, *args: str) -> Outcome:
        return self.run_argv("--home", str(self.home), *args)

    def as_user(
        self, name: str, *args: str, passphrase: str = PASSPHRASE, new_passphrase: str | None = None
    ) -> Outcome:
        self.env(CASEBOOK_PASSPHRASE=passphrase)
        if new_passphrase is not None:
            self.env(CASEBOOK_NEW_PASSPHRASE=new_passphrase)
        return self.run("--user", name, *args)

    def init(self) -> None:
        self.env(CASEBOOK_NEW_PASSPHRASE=PASSPHRASE)
        outcome = self.run("init", "--admin", ADMIN, "--full-name", "Ada Admin")
        assert outcome.code == 0, outcome.err

    def add_user(self, name: str, *roles: str, passphrase: str = PASSPHRASE) -> None:
        role_args = [arg for role in roles for arg in ("--role", role)]
        outcome = self.as_user(ADMIN, "user", "add", name, *role_args, new_passphrase=passphrase)
        assert outcome.code == 0, outcome.err

    def fill_policy(self, **extra: str) -> None:
        """`policy set` with READY (and `extra`): a policy ready for imports, the overview and the control."""
        outcome = self.as_user(ADMIN, "policy", "set", *(f"{k}={v}" for k, v in {**READY, **extra}.items()))
        assert outcome.code == 0, outcome.err

    def users_json(self) -> dict[str, dict[str, object]]:
        outcome = self.as_user(ADMIN, "user", "list", "--json")
        assert outcome.code == 0, outcome.err
        return {str(person["name"]): person for person in outcome.json_lines()}


# -- fixtures ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_terminal_and_umask_restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A stdin that is never a terminal, even under `pytest -s`: no test may wait on a prompt.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    # main() sets umask 077 for the whole process; other tests must not inherit it.
    umask = os.umask(0o022)
    os.umask(umask)
    yield
    os.umask(umask)


@pytest.fixture
def cli(home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CasebookCli:
    # No account may be linked to the OS user by accident: tests choose it.
    monkeypatch.setattr("getpass.getuser", lambda: OS_ACCOUNT)
    runner = CasebookCli(home, capsys, monkeypatch)
    runner.env(CASEBOOK_NOW=clocks.to_text(NOW))
    return runner


@pytest.fixture
def made(cli: CasebookCli) -> CasebookCli:
    """A casebook made through `casebook init`, administrator ADMIN with PASSPHRASE."""
    cli.init()
    return cli


@pytest.fixture
def staffed(made: CasebookCli) -> CasebookCli:
    """The casebook with an IT officer (ilse) and an employee (eva) besides the administrator."""
    made.add_user("ilse", "it_officer")
    made.add_user("eva", "employee")
    return made


@pytest.fixture
def made_ready(made: CasebookCli) -> CasebookCli:
    """The casebook made through `casebook init`, its policy filled in (READY) through `policy set`."""
    made.fill_policy()
    return made
