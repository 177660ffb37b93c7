"""The casebook file: created private, WAL and foreign keys on, migrations, and every refusal leaving the file alone."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from casebook import keys, passwords, store
from casebook.book import Casebook, init_casebook, open_casebook
from casebook.errors import CasebookError
from casebook.policy import versions as policy_versions
from casebook.store import Migration
from schema.roles import Role
from tests.conftest import ADMIN, PASSPHRASE


def fingerprint(folder: Path) -> dict[str, str]:
    """Name and content hash of every file in a folder: 'nothing changed on disk' made checkable."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_casebook_is_private(book: Casebook) -> None:
    assert mode(book.files.home) == 0o700
    assert mode(book.files.db) == 0o600
    assert mode(book.files.key) == 0o600
    # WAL side files carry the database's mode.
    for side in book.files.home.glob("casebook.db-*"):
        assert mode(side) == 0o600


def test_pragmas(book: Casebook) -> None:
    conn = book.store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == store.BUSY_TIMEOUT_MS
    assert conn.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.latest_version()


def test_foreign_keys_enforced(book: Casebook) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        with book.store.transaction():
            book.store.conn.execute("INSERT INTO user_roles (user_id, role) VALUES (999, 'admin')")


def test_init_leaves_no_temporary_files(book: Casebook) -> None:
    names = {p.name for p in book.files.home.iterdir()}
    assert not any(".init-" in name for name in names), names


def test_bundled_migrations_are_numbered_without_gaps() -> None:
    versions = [m.version for m in store.bundled_migrations()]
    assert versions == list(range(1, len(versions) + 1))


# -- migrations --------------------------------------------------------------

V1 = Migration(1, "start", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);")
V2 = Migration(2, "add_author", "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'unknown';")
BROKEN = Migration(3, "broken", "ALTER TABLE notes ADD COLUMN stamp TEXT; CREATE TABLE notes (x);")


@contextmanager
def raw_db(path: Path) -> Iterator[sqlite3.Connection]:
    conn = store.connect(path)
    try:
        yield conn
    finally:
        conn.close()


def test_older_schema_upgrades_with_data_intact(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with raw_db(path) as conn:
        assert store.migrate(conn, [V1]) == [1]
        conn.execute("INSERT INTO notes (body) VALUES ('kept')")
        conn.commit()
    with raw_db(path) as conn:
        assert store.migrate(conn, [V1, V2]) == [2]
        assert conn.execute("SELECT body, author FROM notes").fetchall() == [("kept", "unknown")]
        assert store.current_version(conn) == 2


def test_failed_migration_rolls_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with raw_db(path) as conn:
        store.migrate(conn, [V1, V2])
        conn.execute("INSERT INTO notes (body) VALUES ('kept')")
        conn.commit()
        with pytest.raises(CasebookError) as refusal:
            store.migrate(conn, [V1, V2, BROKEN])
        assert "3" in refusal.value.message and "broken" in refusal.value.message
        assert store.current_version(conn) == 2
        columns = [row[1] for row in conn.execute("PRAGMA table_info(notes)")]
        assert "stamp" not in columns
        assert conn.execute("SELECT body FROM notes").fetchall() == [("kept",)]


@pytest.mark.parametrize("version", range(1, store.latest_version()))
def test_casebook_written_at_an_earlier_version_upgrades(home: Path, clock: object, version: int) -> None:
    """A casebook as an older Casebook left it (schema `version`, one user) opens upgraded, the user intact."""
    home.mkdir(mode=0o700)
    keys.create_key(home / "casebook.key")
    store.create_file(home / "casebook.db")
    with raw_db(home / "casebook.db") as conn:
        store.migrate(conn, store.bundled_migrations()[:version])
        conn.execute(
            "INSERT INTO users (name, passphrase_hash, created_at) VALUES (?, ?, ?)",
            (ADMIN, passwords.hash_passphrase(PASSPHRASE), "2026-01-01T00:00:00+00:00"),
        )
        conn.execute("INSERT INTO user_roles (user_id, role) VALUES (1, 'admin')")
        conn.commit()
    upgraded = open_casebook(home, clock=clock)  # type: ignore[arg-type]
    try:
        assert store.current_version(upgraded.store.conn) == store.latest_version()
        assert upgraded.login(ADMIN, PASSPHRASE).user.roles == {Role.ADMIN}
        assert policy_versions.current(upgraded).version == 1
    finally:
        upgraded.close()


# -- refusals that leave the file alone -----------------------------------------


def test_newer_version_refused_untouched(book: Casebook) -> None:
    home = book.files.home
    book.close()
    conn = sqlite3.connect(home / "casebook.db")
    conn.execute(f"PRAGMA user_version = {store.latest_version() + 1}")
    conn.commit()
    conn.close()
    before = fingerprint(home)
    with pytest.raises(CasebookError) as refusal:
        open_casebook(home)
    assert refusal.value.key == "error.newer_version"
    assert str(store.latest_version() + 1) in refusal.value.message
    assert fingerprint(home) == before


@pytest.mark.parametrize(
    "content",
    [b"", b"not a database at all\n" * 10, os.urandom(4096), b"SQLite format 3\x00" + b"\xff" * 200],
    ids=["empty", "text", "random", "bad-header"],
)
def test_non_casebook_file_refused_untouched(home: Path, content: bytes) -> None:
    home.mkdir()
    (home / "casebook.db").write_bytes(content)
    before = fingerprint(home)
    with pytest.raises(CasebookError) as refusal:
        open_casebook(home)
    assert refusal.value.key in {"error.not_sqlite", "error.not_a_casebook"}
    assert "casebook.db" in refusal.value.message
    assert fingerprint(home) == before


def test_other_sqlite_database_refused_untouched(home: Path) -> None:
    home.mkdir()
    conn = sqlite3.connect(home / "casebook.db")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = fingerprint(home)
    with pytest.raises(CasebookError) as refusal:
        open_casebook(home)
    assert refusal.value.key == "error.not_a_casebook"
    assert fingerprint(home) == before


def test_damaged_casebook_refused_untouched(book: Casebook) -> None:
    home = book.files.home
    book.close()
    db = home / "casebook.db"
    data = bytearray(db.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    # Keep the 100-byte file header (the casebook marks) and wreck the schema page after it.
    data[100:page_size] = b"\xa5" * (page_size - 100)
    db.write_bytes(bytes(data))
    before = fingerprint(home)
    with pytest.raises(CasebookError) as refusal:
        open_casebook(home)
    assert refusal.value.key == "error.damaged"
    assert fingerprint(home) == before


def test_missing_casebook_says_how_to_create_one(home: Path) -> None:
    with pytest.raises(CasebookError) as refusal:
        open_casebook(home)
    assert refusal.value.key == "error.no_casebook"
    assert "casebook init" in refusal.value.message
    assert not home.exists()


def test_missing_key_refused(book: Casebook) -> None:
    home = book.files.home
    book.close()
    (home / "casebook.key").unlink()
    before = fingerprint(home)
    with pytest.raises(CasebookError) as refusal:
        open_casebook(home)
    assert refusal.value.key == "error.key_missing"
    assert fingerprint(home) == before


def test_key_readable_by_others_refused(book: Casebook) -> None:
    home = book.files.home
    book.close()
    (home / "casebook.key").chmod(0o644)
    with pytest.raises(CasebookError) as refusal:
        open_casebook(home)
    assert refusal.value.key == "error.key_exposed"
    assert "chmod 600" in refusal.value.message


def test_casebook_path_that_is_a_folder(home: Path) -> None:
    (home / "casebook.db").mkdir(parents=True)
    with pytest.raises(CasebookError) as refusal:
        open_casebook(home)
    assert refusal.value.key == "error.not_a_file"


@contextmanager
def acting_as_nobody() -> Iterator[None]:
    """Drop to an unprivileged user for a moment: root writes anywhere, so a permission test needs one."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder every user may enter (pytest's own tmp folders are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix="casebook-test-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_unreachable_folder_refused(tmp_path: Path) -> None:
    private = tmp_path / "private"
    (private / "casebook").mkdir(parents=True)
    private.chmod(0o700)
    with acting_as_nobody(), pytest.raises(CasebookError) as refusal:
        open_casebook(private / "casebook")
    assert refusal.value.key == "error.not_reachable"


def test_unwritable_folder_refused_on_init(open_folder: Path) -> None:
    folder = open_folder / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with acting_as_nobody(), pytest.raises(CasebookError) as refusal:
            init_casebook(folder, ADMIN, PASSPHRASE)
    finally:
        folder.chmod(0o755)
    assert refusal.value.key == "error.folder_not_writable"
    assert list(folder.iterdir()) == []


def test_unwritable_folder_refused_on_open(open_folder: Path, clock: object) -> None:
    home = open_folder / "casebook"
    init_casebook(home, ADMIN, PASSPHRASE, clock=clock).close()  # type: ignore[arg-type]
    # As if the folder belonged to the one who opens it, but had lost its write bit.
    for path in (home, *home.iterdir()):
        os.chown(path, 65534, 65534) if os.geteuid() == 0 else None
    (home / "casebook.db").chmod(0o600)
    home.chmod(0o500)
    before = fingerprint(home)
    try:
        with acting_as_nobody(), pytest.raises(CasebookError) as refusal:
            open_casebook(home)
    finally:
        home.chmod(0o700)
    assert refusal.value.key == "error.folder_not_writable"
    assert fingerprint(home) == before


def test_init_refuses_existing_casebook_untouched(book: Casebook, clock: object) -> None:
    home = book.files.home
    book.close()
    before = fingerprint(home)
    with pytest.raises(CasebookError) as refusal:
        init_casebook(home, "other", PASSPHRASE, clock=clock)  # type: ignore[arg-type]
    assert refusal.value.key == "error.already_exists"
    assert fingerprint(home) == before


def test_init_where_a_file_stands_in_the_way(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CasebookError) as refusal:
        init_casebook(blocker / "casebook", ADMIN, PASSPHRASE)
    assert refusal.value.key in {"error.cannot_create_folder", "error.not_a_folder"}
    assert blocker.read_text() == "x"


def test_a_read_needs_no_write_lock_and_keeps_nothing(book: Casebook) -> None:
    """Another connection writing (a long import) does not hold up a read; what a read wrote is undone."""
    other = sqlite3.connect(book.files.db, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")
    try:
        with book.store.reading():
            assert book.store.query_one("SELECT count(*) AS n FROM users")["n"] == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    with book.store.reading():
        book.store.conn.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    assert book.store.query("SELECT * FROM settings WHERE key = 'x'") == []


def test_transaction_rolls_back_on_error(book: Casebook) -> None:
    with pytest.raises(RuntimeError):
        with book.store.transaction():
            book.store.conn.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
            raise RuntimeError("interrupted")
    assert book.store.query("SELECT * FROM settings WHERE key = 'x'") == []


# -- the key belongs to its casebook ------------------------------------------------


def _swap_key(home: Path) -> None:
    """Another valid key in the casebook's key file (as a restore from the wrong backup leaves it)."""
    (home / "casebook.key").unlink()
    keys.create_key(home / "casebook.key")


def test_another_key_refused_untouched(book: Casebook) -> None:
    home = book.files.home
    book.close()
    _swap_key(home)
    before = fingerprint(home)
    with pytest.raises(CasebookError) as refusal:
        open_casebook(home)
    assert refusal.value.key == "error.key_mismatch"
    assert "casebook.key" in refusal.value.message
    assert fingerprint(home) == before


def test_the_database_keeps_a_fingerprint_not_the_key(book: Casebook) -> None:
    master = (book.files.home / "casebook.key").read_bytes()
    (stored,) = book.store.conn.execute("SELECT fingerprint FROM key_fingerprint").fetchone()
    assert stored == keys.fingerprint(master)
    dump = "\n".join(book.store.conn.iterdump())
    assert master.hex() not in dump and keys.derive(master, "pseudonym").hex() not in dump


def test_casebook_from_before_fingerprints_learns_its_key_and_refuses_another(book: Casebook, clock: object) -> None:
    """An older casebook has no fingerprint yet: its audit trail's first seal tells its key from another."""
    home = book.files.home
    book.close()
    with raw_db(home / "casebook.db") as conn:
        conn.execute("DELETE FROM key_fingerprint")
        conn.commit()
    master = (home / "casebook.key").read_bytes()
    _swap_key(home)
    before = fingerprint(home)
    with pytest.raises(CasebookError) as refusal:
        open_casebook(home, clock=clock)  # type: ignore[arg-type]
    assert refusal.value.key == "error.key_mismatch"
    assert fingerprint(home) == before
    (home / "casebook.key").unlink()
    (home / "casebook.key").write_bytes(master)
    (home / "casebook.key").chmod(0o600)
    reopened = open_casebook(home, clock=clock)  # type: ignore[arg-type]
    try:
        (stored,) = reopened.store.conn.execute("SELECT fingerprint FROM key_fingerprint").fetchone()
        assert stored == keys.fingerprint(master)
    finally:
        reopened.close()


def test_a_casebook_opens_while_another_connection_writes(book: Casebook) -> None:
    # A long import holds the write lock for minutes: the app, a command or a backup must still open it.
    with book.store.transaction():
        book.store.conn.execute("INSERT INTO settings (key, value) VALUES ('visit_gap_minutes', '7')")
        other = open_casebook(book.files.home)
        try:
            assert other.store.query_one("SELECT count(*) AS n FROM users") == {"n": 1}
        finally:
            other.close()
