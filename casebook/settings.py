"""Casebook-wide settings an administrator may change (not the policy's own fields)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casebook import files
from casebook.errors import Refused
from casebook.i18n import t
from casebook.paths import CasebookFiles
from casebook.permissions import Action
from casebook.store import Store

if TYPE_CHECKING:
    from casebook.session import Session


@dataclass(frozen=True)
class Setting:
    default: Any
    parse: Callable[[str], Any]
    valid: Callable[[Any], bool]
    # Catalogue key of the sentence that says what a valid value is.
    rule_text: str
    # A check that needs the casebook's place on disk (folders); raises Refused naming its own rule.
    guard: Callable[[CasebookFiles, Any], None] | None = None
    # The value as `setting show` writes it, and as `setting set` takes it back.
    text: Callable[[Any], str] = str


def _int(text: str) -> int:
    return int(text.strip())


def _folders(text: str) -> list[str]:
    return [str(Path(part.strip())) for part in text.split(",") if part.strip()]


def _valid_folders(value: list[str]) -> bool:
    return bool(value) and all(Path(folder).is_absolute() for folder in value)


def _guard_import_folders(where: CasebookFiles, value: list[str]) -> None:
    for folder in value:
        files.check_import_folder(where, Path(folder))


def _guard_exports_folder(where: CasebookFiles, value: str) -> None:
    files.check_exports_folder(where, Path(value))


SETTINGS: dict[str, Setting] = {
    # A shared terminal must not stay signed in for long when left alone.
    "lock_idle_minutes": Setting(5, _int, lambda v: 1 <= v <= 240, "setting.lock_idle_minutes.rule"),
    # Requests to one domain closer together than this make one visit (DESIGN.md, "Visit duration").
    "visit_gap_minutes": Setting(5, _int, lambda v: 1 <= v <= 120, "setting.visit_gap_minutes.rule"),
    # Where the app may import logs from (casebook.logs.sources); the command line reads what its shell can.
    "import_folders": Setting(
        ["/var/log"],
        _folders,
        _valid_folders,
        "setting.import_folders.rule",
        guard=_guard_import_folders,
        text=", ".join,
    ),
    # Where the app writes its exports (casebook.exports); relative to the casebook's folder.
    "exports_folder": Setting(
        "exports", lambda text: text.strip(), bool, "setting.exports_folder.rule", guard=_guard_exports_folder
    ),
}


# Not a setting anyone changes: the row that marks a demo casebook (casebook.demo).
DEMO_FLAG = "demo"


def get(store: Store, key: str) -> Any:
    """The core's own read, no permission asked (the log import reads the visit gap); see `value`."""
    spec = SETTINGS[key]
    row = store.query_one("SELECT value FROM settings WHERE key = ?", [key])
    return json.loads(str(row["value"])) if row else spec.default


def value(session: Session, key: str) -> Any:
    """One setting's value, for anyone signed in: every person's app obeys them (the idle lock)."""
    session.require(Action.VIEW_SETTINGS)
    return get(session.casebook.store, key)


def all_values(session: Session) -> dict[str, Any]:
    session.require(Action.VIEW_SETTINGS)
    return {key: get(session.casebook.store, key) for key in SETTINGS}


def as_text(key: str, value: Any) -> str:
    """A setting's value written as `setting set` takes it (folders comma-separated)."""
    return SETTINGS[key].text(value)


def is_demo(store: Store) -> bool:
    """Whether this is a demo casebook; asked before anyone signs in (Casebook.is_demo)."""
    row = store.query_one("SELECT value FROM settings WHERE key = ?", [DEMO_FLAG])
    return bool(row and json.loads(str(row["value"])))


def set_value(session: Session, key: str, text: str) -> Any:
    session.require(Action.MANAGE_SETTINGS)
    spec = SETTINGS.get(key)
    if spec is None:
        raise Refused("settings.known", "refused.unknown_setting", key=key, known=", ".join(sorted(SETTINGS)))
    try:
        value = spec.parse(text)
    except ValueError:
        value = None
    if value is None or not spec.valid(value):
        raise Refused("settings.valid", "refused.bad_setting", key=key, value=text, rule=t(spec.rule_text))
    if spec.guard is not None:
        spec.guard(session.casebook.files, value)
    store = session.casebook.store
    with store.transaction():
        old = get(store, key)
        store.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )
        session.audit("setting.changed", key, {"old": old, "new": value})
    return value
