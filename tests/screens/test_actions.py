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


def test_the_readme_lists_the_keys_as_the_table_has_them() -> None:
    """README's "Keys per mode" is written from the action table: `python -m screens.keys_doc --write README.md`."""
    from screens import keys_doc

    readme = (ROOT / "README.md").read_text("utf-8")
    assert keys_doc.readme_section(readme) == keys_doc.markdown()


def test_every_screen_with_keys_has_its_place_in_the_readme() -> None:
    from screens import keys_doc

    listed = {name for _, screens in keys_doc.SCREENS for _, name, _ in screens}
    screens = [*CasebookScreen.__subclasses__(), *CasebookModal.__subclasses__()]
    with_keys = set()
    while screens:
        cls = screens.pop()
        screens.extend(cls.__subclasses__())
        if any(actions.BY_ID[i].keys for i in cls.__dict__.get("ACTIONS", ())):
            with_keys.add(cls.__name__)
    assert with_keys <= listed, sorted(with_keys - listed)


def test_the_readme_table_follows_the_table() -> None:
    """A row's label changes the README's table: the generated text is not fixed text."""
    from dataclasses import replace

    from screens import keys_doc

    before = keys_doc.markdown()
    row = actions.BY_ID["policy.versions"]
    index = actions.ROWS.index(row)
    changed = replace(row, keys="V")
    original_rows, original_by_id = actions.ROWS, dict(actions.BY_ID)
    try:
        actions.ROWS = (*actions.ROWS[:index], changed, *actions.ROWS[index + 1 :])  # type: ignore[misc]
        actions.BY_ID["policy.versions"] = changed
        after = keys_doc.markdown()
    finally:
        actions.ROWS = original_rows  # type: ignore[misc]
        actions.BY_ID.clear()
        actions.BY_ID.update(original_by_id)
    assert "| the policy text | `v` |" in before
    assert "| the policy text | `Shift+V` |" in after and "| the policy text | `v` |" not in after
