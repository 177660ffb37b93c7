"""Where a casebook lives: one folder holding the database and its key."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from casebook import config

APP_NAME = "casebook"
DB_NAME = "casebook.db"
KEY_NAME = "casebook.key"
ANCHOR_NAME = "casebook.anchor"


@dataclass(frozen=True)
class CasebookFiles:
    """The files of one casebook: its folder, the database in it and the key beside it."""

    home: Path

    @property
    def db(self) -> Path:
        return self.home / DB_NAME

    @property
    def key(self) -> Path:
        return self.home / KEY_NAME

    @property
    def anchor(self) -> Path:
        """The audit trail's last row, sealed, outside the database (see casebook.audit)."""
        return self.home / ANCHOR_NAME


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """`--home`, else `CASEBOOK_HOME`, else the platform's data folder for the user."""
    if home:
        return Path(home).expanduser().absolute()
    from_env = config.environment().home
    if from_env:
        return from_env.expanduser().absolute()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_demo_home() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "demo"
