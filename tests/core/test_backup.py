"""Backups while people work, and putting one back: consistent, checked, private, never over a casebook in use."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from casebook import audit, backup, users
from casebook.book import Casebook, open_casebook
from casebook.errors import CasebookError, Refused
from casebook.paths import ANCHOR_NAME, DB_NAME, KEY_NAME
from casebook.session import Session
from schema.roles import Role
from tests.conftest import ADMIN, PASSPHRASE


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(book: Casebook) -> list[str]:
    return [row["name"] for row in book.store.query("SELECT name FROM users ORDER BY name")]


def test_a_backup_while_the_app_writes_is_a_casebook_that_opens_and_verifies(
    book: Casebook, admin: Session, tmp_path: Path
) -> None:
    users.add_user(admin, "ilse", [Role.IT_OFFICER], PASSPHRASE)
    # The app is in the middle of a change (a long import, say): its write transaction is open.
    with book.store.transaction():
        users.insert_user(book.store, "half", frozenset({Role.EMPLOYEE}), PASSPHRASE, created_at="2026-11-28")
        with pytest.raises(CasebookError) as unrecorded:
            backup.backup(book.files.home, tmp_path / "backups", clock=book.clock, patience=0)
    # The copy did not wait; only its audit row had to, and said it could not.
    assert unrecorded.value.key == "backup.not_recorded"
    (kept,) = (tmp_path / "backups").iterdir()
    made = backup.backup(book.files.home, tmp_path / "backups", clock=book.clock)

    for folder, people in ((kept, ["admin", "ilse"]), (made.folder, ["admin", "half", "ilse"])):
        assert sorted(p.name for p in folder.iterdir()) == [ANCHOR_NAME, DB_NAME, KEY_NAME]
        assert mode(folder) == 0o700 and {mode(folder / name) for name in (ANCHOR_NAME, DB_NAME, KEY_NAME)} == {0o600}
        assert (folder / KEY_NAME).read_bytes() == book.files.key.read_bytes()
        copy = open_casebook(folder)
        try:
            assert copy.verify_audit(copy.login(ADMIN, PASSPHRASE)).ok
            assert names(copy) == people  # what was committed when the copy began, not a half change
        finally:
            copy.close()
    assert (kept.name, made.folder.name) == ("casebook-2026-11-28-100000", "casebook-2026-11-28-100000-2")
    recorded = [r for r in audit.rows(book.store, limit=10) if r.action == "casebook.backed_up"]
    assert [r.subject for r in recorded] == [str(made.folder)]


def test_backups_never_go_into_the_casebook(book: Casebook) -> None:
    with pytest.raises(Refused) as refused:
        backup.backup(book.files.home, book.files.home / "backups", clock=book.clock)
    assert refused.value.rule == "files.own"
    assert sorted(p.name for p in book.files.home.iterdir()) == sorted(
        p.name for p in book.files.home.iterdir() if p.name != "backups"
    )
    assert not (book.files.home / "backups").exists()


def test_keep_removes_the_oldest_backups_only(book: Casebook, tmp_path: Path) -> None:
    into = tmp_path / "backups"
    into.mkdir()
    (into / "notes").mkdir()
    (into / "casebook-2000-01-01-000000").mkdir()  # shaped like a backup but holding something else
    (into / "casebook-2000-01-01-000000" / "photo.jpg").write_bytes(b"x")
    made = [backup.backup(book.files.home, into, clock=book.clock) for _ in range(3)]
    last = backup.backup(book.files.home, into, keep=2, clock=book.clock)

    assert [m.folder.name for m in made] == [
        "casebook-2026-11-28-100000",
        "casebook-2026-11-28-100000-2",
        "casebook-2026-11-28-100000-3",
    ]
    assert [p.name for p in last.removed] == ["casebook-2026-11-28-100000", "casebook-2026-11-28-100000-2"]
    assert sorted(p.name for p in into.iterdir()) == [
        "casebook-2000-01-01-000000",
        "casebook-2026-11-28-100000-3",
        "casebook-2026-11-28-100000-4",
        "notes",
    ]


def test_restore_into_an_empty_place(book: Casebook, admin: Session, tmp_path: Path) -> None:
    made = backup.backup(book.files.home, tmp_path / "backups", clock=book.clock)

    home = backup.restore(made.folder, tmp_path / "restored")

    assert mode(home) == 0o700 and mode(home / DB_NAME) == 0o600 and mode(home / KEY_NAME) == 0o600
    restored = open_casebook(home)
    try:
        session = restored.login(ADMIN, PASSPHRASE)
        assert restored.verify_audit(session).ok
        assert restored.audit_rows(session, limit=2)[1].action == "casebook.restored"
    finally:
        restored.close()


def test_restore_over_a_casebook_needs_force_and_nobody_in_it(book: Casebook, admin: Session, tmp_path: Path) -> None:
    made = backup.backup(book.files.home, tmp_path / "backups", clock=book.clock)
    users.add_user(admin, "later", [Role.EMPLOYEE], PASSPHRASE)  # after the backup: gone once it is restored

    with pytest.raises(Refused) as refused:
        backup.restore(made.folder, book.files.home)
    assert refused.value.rule == "files.overwrite"
    with pytest.raises(CasebookError) as in_use:
        backup.restore(made.folder, book.files.home, force=True)  # `book` still has it open
    assert in_use.value.key == "backup.in_use"
    assert "later" in names(book)
    book.close()

    backup.restore(made.folder, book.files.home, force=True)

    again = open_casebook(book.files.home)
    try:
        assert "later" not in names(again)
        assert again.verify_audit(again.login(ADMIN, PASSPHRASE)).ok
    finally:
        again.close()


def test_a_changed_backup_is_refused_and_nothing_is_replaced(book: Casebook, tmp_path: Path) -> None:
    made = backup.backup(book.files.home, tmp_path / "backups", clock=book.clock)
    with closing(sqlite3.connect(made.folder / DB_NAME)) as conn:
        conn.executescript("DROP TRIGGER audit_no_update;")
        with conn:
            conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = 1")
    book.close()
    before = book.files.db.read_bytes()

    with pytest.raises(CasebookError) as refused:
        backup.restore(made.folder, book.files.home, force=True)

    assert refused.value.key == "backup.audit_broken"
    assert book.files.db.read_bytes() == before


def test_restore_needs_a_backup(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(CasebookError) as refused:
        backup.restore(tmp_path / "empty", tmp_path / "home")
    assert refused.value.key == "backup.not_a_backup"
    assert not (tmp_path / "home").exists()
