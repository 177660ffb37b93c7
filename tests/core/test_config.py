"""The environment: read in one place, once, into one typed object; the README's table lists the same variables."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from casebook import config
from casebook.errors import CasebookError

ROOT = Path(__file__).resolve().parents[2]
ENV_NAME = re.compile(r"^(CASEBOOK|SSH)_[A-Z_]+$")


def test_unset_means_the_defaults() -> None:
    env = config.load({})
    assert env == config.Environment()
    assert (env.home, env.language, env.now, env.passphrase, env.theme) == (None, None, None, None, None)
    assert not env.debug and not env.over_ssh


def test_every_variable_read() -> None:
    env = config.load(
        {
            "CASEBOOK_HOME": " ~/cases ",
            "CASEBOOK_LANG": " EN ",
            "CASEBOOK_NOW": "2026-11-28T10:00:00+01:00",
            "CASEBOOK_PASSPHRASE": " spaces count ",
            "CASEBOOK_NEW_PASSPHRASE": "",
            "CASEBOOK_THEME": "textual-dark",
            "CASEBOOK_DEBUG": "1",
            "SSH_CLIENT": "192.0.2.1 50000 22",
        }
    )
    assert env.home == Path("~/cases")
    assert env.language == "en"
    assert env.now == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert env.passphrase == " spaces count " and env.new_passphrase == ""
    assert env.theme == "textual-dark" and env.debug and env.over_ssh


def test_a_bad_value_is_refused_where_it_is_read_not_before() -> None:
    env = config.load({"CASEBOOK_NOW": "next tuesday", "CASEBOOK_LANG": "fr", "CASEBOOK_THEME": "x"})
    assert env.theme == "x"  # the rest of the environment stays usable
    with pytest.raises(config.InvalidVariable) as bad_now:
        _ = env.now
    assert (bad_now.value.variable, bad_now.value.key) == ("CASEBOOK_NOW", "error.clock_invalid")
    assert "'next tuesday'" in bad_now.value.message
    with pytest.raises(CasebookError) as bad_lang:
        _ = env.language
    assert "'fr'" in bad_lang.value.message


def test_read_once_until_reloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    before = config.environment()
    monkeypatch.setenv("CASEBOOK_THEME", "textual-light")
    assert config.environment() is before and before.theme is None
    assert config.reload().theme == "textual-light"
    assert config.environment().theme == "textual-light"


def test_readme_lists_every_variable() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("### Environment", 1)[1].split("\n\n", 2)[1]
    listed = set(re.findall(r"`([A-Z_]+)`", "\n".join(line.split("|")[1] for line in table.splitlines()[2:])))
    assert listed == set(config.variables())


def _environment_reads(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"}:
            found.append(f"os.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [f"from os import {a.name}" for a in node.names if a.name in {"environ", "getenv", "environb"}]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and ENV_NAME.match(node.value):
            found.append(node.value)
    return found


def test_only_config_reads_the_environment() -> None:
    for folder in ("casebook", "screens", "schema"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "casebook" / "config.py":
                continue
            reads = _environment_reads(ast.parse(path.read_text("utf-8")))
            assert not reads, f"{path.relative_to(ROOT)} reads the environment ({reads}): ask casebook.config"
