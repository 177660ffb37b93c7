"""`casebook backup` and `casebook restore` as an administrator types them."""

from __future__ import annotations

import os
from pathlib import Path

from tests.cli_support import CasebookCli
from tests.conftest import ADMIN


def test_backup_then_restore_as_an_administrator_types_them(made: CasebookCli, tmp_path: Path) -> None:
    made.env(CASEBOOK_PASSPHRASE=None)  # a timer's backup needs nobody's passphrase

    made_backup = made.run("backup", str(tmp_path / "backups"))

    assert made_backup.code == 0, made_backup.err
    (folder,) = (tmp_path / "backups").iterdir()
    assert made_backup.out.startswith(f"Reservekopie gemaakt in {folder} (")
    assert sorted(os.listdir(folder)) == ["casebook.anchor", "casebook.db", "casebook.key"]
    made.add_user("later", "employee")

    refused = made.run("restore", str(folder))
    restored = made.run("restore", str(folder), "--force")

    assert refused.code == 3 and "--force" in refused.err
    assert restored.code == 0, restored.err
    assert restored.out.strip() == f"Reservekopie {folder} teruggezet als het casebook in {made.home}."
    assert "later" not in made.users_json()
    assert made.as_user(ADMIN, "audit", "verify").code == 0


def test_no_backup_into_the_casebooks_folder(made: CasebookCli) -> None:
    outcome = made.run("backup", str(made.home / "backups"))

    assert outcome.code == 3
    assert "ligt in de map van het casebook" in outcome.err
