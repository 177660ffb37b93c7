"""The action table: every key and palette entry of the app comes from one row, and every row is complete."""

from __future__ import annotations

import ast
from pathlib import Path

from casebook import i18n
from screens import actions
from screens.app import CasebookApp
from screens.base import CasebookModal, CasebookScreen
from screens.modes import ALL_MODES

ROOT = Path(__file__).resolve().parents[2]


def test_every_row_names_catalogue_texts() -> None:
    catalogue = i18n.catalogue()
    for row in actions.ROWS:
        keys = [row.label, *([row.palette, row.help] if row.palette else []), *row.params.values()]
        if row.group:
            keys.append(row.group)
        for key in keys:
            assert key in catalogue, f"{row.id}: {key}"


def test_every_screen_names_known_actions_and_binds_them() -> None:
    screens = [CasebookApp, *CasebookScreen.__subclasses__(), *CasebookModal.__subclasses__()]
    seen = []
    while screens:
        cls = screens.pop()
        screens.extend(cls.__subclasses__())
        for action_id in getattr(cls, "ACTIONS", ()):
            row = actions.BY_ID[action_id]  # a KeyError names an action the table lacks
            seen.append(action_id)
            if row.keys:
                assert any(b.id == action_id for b in cls.BINDINGS), f"{cls.__name__} does not bind {action_id}"
    assert len(set(seen)) > 40


def test_no_screen_writes_its_own_bindings_or_palette_entries() -> None:
    """Bindings and palette entries are made from the table only, so none can be forgotten."""
    for path in (ROOT / "screens").rglob("*.py"):
        if path.name == "actions.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"Binding", "SystemCommand"} or path.name in {"base.py", "app.py"}, (
                    f"{path.relative_to(ROOT)}:{node.lineno} builds a {node.func.id} by hand"
                )


def test_each_mode_has_one_key_in_the_table() -> None:
    keys = [mode.key for mode in ALL_MODES]
    assert keys == ["1", "2", "3", "4", "5"]


def test_parameters_read_from_the_action() -> None:
    assert actions.BY_ID["overview.week"].parameters == ("week",)
    assert actions.BY_ID["irregularities.purpose_3"].parameters == (3,)
    assert actions.BY_ID["lock"].parameters == ()
