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


# -- screens and the CLI reach the core through a Session only ------------------------------------

# The store and its connection belong to the core: a screen or a command that reads them skips the permission check.
CORE_HANDLES = {"store", "conn"}
HANDLES_ALLOWED: set[str] = set()


def test_screens_and_cli_never_touch_the_store() -> None:
    for folder in ("screens", "casebook/cli"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if relative in HANDLES_ALLOWED:
                continue
            reached = [
                f"line {node.lineno}: .{node.attr}"
                for node in ast.walk(ast.parse(path.read_text("utf-8")))
                if isinstance(node, ast.Attribute) and node.attr in CORE_HANDLES
            ]
            assert not reached, f"{relative} reaches past the Session ({reached}): add a Session-taking core function"


# -- no import cycle in the core ---------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(body: list[ast.stmt]) -> set[str]:
    """What a module imports when it loads: not under `if TYPE_CHECKING`, not inside a function."""
    found: set[str] = set()
    for node in body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found |= _runtime_imports(node.orelse)
        elif isinstance(node, (ast.If, ast.Try)):
            found |= _runtime_imports(node.body) | _runtime_imports(node.orelse)
            for handler in getattr(node, "handlers", []):
                found |= _runtime_imports(handler.body)
            found |= _runtime_imports(getattr(node, "finalbody", []))
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_the_core_has_no_import_cycle() -> None:
    paths = {_module_name(path): path for path in (ROOT / "casebook").rglob("*.py")}
    # A package's __init__ runs before any of its modules anyway; the edges that matter are module to module.
    modules = {name for name, path in paths.items() if path.name != "__init__.py"}
    graph = {name: _runtime_imports(ast.parse(paths[name].read_text("utf-8")).body) & modules for name in modules}
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        assert name not in visiting, "import cycle: " + " -> ".join([*visiting[visiting.index(name) :], name])
        visiting.append(name)
        for imported in sorted(graph[name]):
            visit(imported)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)


def test_the_sign_in_modules_import_in_any_order() -> None:
    # Each order on a fresh interpreter state, the package's __init__ left out so that the order is the one given.
    code = """
import importlib, itertools, sys, types
names = ["casebook.book", "casebook.session", "casebook.users", "casebook.signin"]
for order in itertools.permutations(names):
    for loaded in [m for m in sys.modules if m == "casebook" or m.startswith("casebook.")]:
        del sys.modules[loaded]
    package = types.ModuleType("casebook")
    package.__path__ = ["casebook"]
    sys.modules["casebook"] = package
    for name in order:
        importlib.import_module(name)
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "ok", result.stderr


# -- the app signs people in as the app ------------------------------------------------------------


def test_every_sign_in_of_the_screens_says_it_is_the_app() -> None:
    # A session of the app is held closer than one of the command line (casebook.logs.sources, casebook.exports):
    # a sign-in that forgot to say so would give people without a shell the shell's reach.
    found = 0
    for path in sorted((ROOT / "screens").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in {"login", "login_os", "login_scheduler"}:
                    found += 1
                    interface = [k for k in node.keywords if k.arg == "interface"]
                    where = f"{path.relative_to(ROOT)} line {node.lineno}"
                    assert node.func.attr != "login_scheduler", f"{where}: the scheduler is the command line's"
                    assert interface and ast.unparse(interface[0].value) == "Interface.APP", where
    assert found >= 3  # the sign-in screen, the lock screen, the SSH sign-in
