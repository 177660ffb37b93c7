"""Imports point one way: screens -> casebook -> schema. The core never loads Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / folder).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_core_and_schema_do_not_import_textual_or_screens() -> None:
    for folder in ("casebook", "schema"):
        for path, names in imported_modules(folder).items():
            bad = {n for n in names if n.split(".")[0] in {"textual", "screens"}}
            # The CLI starts the app; that one deferred import is the only way in.
            if path == "casebook/cli/main.py":
                bad.discard("screens.app")
            assert not bad, f"{path} imports {bad}"


def test_schema_does_not_import_the_core() -> None:
    for path, names in imported_modules("schema").items():
        assert not {n for n in names if n.split(".")[0] == "casebook"}, path


def test_importing_the_core_loads_no_textual() -> None:
    code = "import sys, casebook, casebook.cli; print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"
