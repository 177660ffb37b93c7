"""Every number the command line takes, fed the extremes: an answer, a refusal or a usage error, never an
internal error (exit 70).

The commands are found by walking the command tree, so a new command or option is covered the day it
lands; the policy's numeric fields are taken from their table of bounds likewise.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from casebook import rules
from casebook.book import open_casebook
from casebook.cli.common import SQLITE_MAX
from casebook.cli.main import cli, main
from casebook.policy import versions
from schema.policy import BOUNDS
from tests.conftest import NOW, set_env

EXTREMES = ("0", "-1", str(SQLITE_MAX), str(SQLITE_MAX + 1), "1" + "0" * 40, "١٢")
# Who runs a command group: the role that may (a refusal would not reach the number's use).
ACTOR = {"case": "sofie", "hold": "sofie", "access": "an", "imports": "ilse", "stats": "ilse", "backup": "an"}
# Whatever else a command needs, a value of the right shape (the number is what is tried).
FILLERS = {"email": "jan.peeters@dewerf.be", "first": "2026-11-01", "last": "2026-11-20", "at": "2026-12-24T10:00"}


def numeric_options() -> Iterator[tuple[list[str], click.Command, click.Parameter]]:
    def walk(command: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path, command

    for path, command in walk(cli, []):
        for param in command.params:
            if isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)):
                yield path, command, param


def argv(command: click.Command, path: list[str], tried: click.Parameter, value: str, tmp: Path) -> list[str]:
    args: list[str] = [*path]
    for param in command.params:
        if param is tried:
            given = value
        elif not param.required:
            continue
        elif param.name == "out":  # never a file in the working folder
            given = str(tmp / "out.txt")
        elif isinstance(param.type, click.Choice):
            given = str(param.type.choices[0])
        elif isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)):
            given = "1"
        elif isinstance(param.type, click.Path):
            target = tmp / f"{param.name}.txt"
            target.write_text("De werknemer legt uit wat er gebeurde.\n")
            given = str(target)
        else:
            given = FILLERS.get(param.name or "", "een tekst die lang genoeg is voor elke regel")
        if isinstance(param, click.Argument):
            args.append(given)
        else:
            args += [param.opts[0], given]
    return args


CASES = [(path, command, param) for path, command, param in numeric_options()]


def test_the_walk_finds_the_numbers_the_issue_names() -> None:
    found = {(" ".join(path), param.name) for path, _, param in CASES}
    assert {("policy show", "version"), ("stats", "top"), ("audit show", "limit"), ("audit show", "offset")} <= found
    assert len(found) > 30


@pytest.mark.parametrize(("path", "command", "param"), CASES, ids=[f"{' '.join(p)}:{q.name}" for p, _, q in CASES])
def test_no_number_ends_in_an_internal_error(
    demo_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    path: list[str],
    command: click.Command,
    param: click.Parameter,
) -> None:
    user = ACTOR.get(path[0], "an")
    set_env(monkeypatch, CASEBOOK_PASSPHRASE=f"demo-pass-{user}", CASEBOOK_NOW=NOW.isoformat())
    for value in EXTREMES:
        code = main(["--home", str(demo_home), "--user", user, *argv(command, path, param, value, tmp_path)])
        err = capsys.readouterr().err
        assert code in (0, 1, 2, 3), f"{value}: exit {code}: {err}"
        assert "Traceback" not in err and "Interne fout" not in err


@pytest.mark.parametrize("field", sorted(BOUNDS))
def test_no_policy_number_ends_in_an_internal_error(
    demo_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], field: str
) -> None:
    set_env(monkeypatch, CASEBOOK_PASSPHRASE="demo-pass-an", CASEBOOK_NOW=NOW.isoformat())
    low, high = BOUNDS[field]
    for value in (*EXTREMES, str(low), str(high), str(low - 1), str(high + 1)):
        code = main(["--home", str(demo_home), "--user", "an", "policy", "set", f"{field}={value}"])
        err = capsys.readouterr().err
        assert code in (0, 1, 2, 3), f"{field}={value}: exit {code}: {err}"
        assert "Interne fout" not in err
        assert code == 0 or "'geldige veldwaarde'" in err or field == "retention_days"


@pytest.mark.parametrize("edge", [0, 1], ids=["lowest", "highest"])
def test_the_rules_run_with_every_threshold_at_its_bound(demo_home: Path, edge: int) -> None:
    book = open_casebook(demo_home)
    try:
        admin = book.login("an", "demo-pass-an")
        versions.update_settings(admin, {name: str(bounds[edge]) for name, bounds in BOUNDS.items()})
        officer = book.login("ilse", "demo-pass-ilse")
        report = rules.execute(officer, None, None, versions.current(book).settings.purposes)
        assert report.days > 0
    finally:
        book.close()
