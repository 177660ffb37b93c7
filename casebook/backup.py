"""Backups: a consistent copy of a casebook while people work in it, and putting one back.

The database runs in WAL mode and stays open while people work, so copying
its file can catch it between a write and the checkpoint that finishes it.
SQLite's online backup API copies one consistent state instead, under a read
transaction that lets everyone else go on. A backup is a folder holding
`casebook.db`, `casebook.key` and `casebook.anchor`, all 0600: the database is
worthless without its key, the key never goes into the database, and the anchor
names the copy's newest audit row (casebook.audit) so that its trail verifies
whole, there and once restored.

Like `init`, these work on the files before anyone signs in: whoever may read
the database and its key (the service account, or root through the wrapper)
may copy them anyway. What they do is recorded in the audit trail all the same.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from casebook import audit as audit_trail
from casebook import clock as clocks
from casebook import files, keys, signin
from casebook.book import Casebook, open_casebook
from casebook.errors import CasebookError, Refused
from casebook.paths import ANCHOR_NAME, DB_NAME, KEY_NAME, CasebookFiles, resolve_home
from casebook.store import BUSY_TIMEOUT_MS, Store, check_openable, create_file

# casebook-2026-11-28-100000, and -2, -3 for a second one within the same second.
BACKUP_NAME = re.compile(r"^casebook-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?$")
# How long a backup waits to record itself while another process holds the write lock (a long import).
RECORD_PATIENCE_SECONDS = 900.0


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    audit_rows: int
    size: int
    removed: tuple[Path, ...] = ()


def _check_copy(db: Path, key: bytes, anchor: Path | None) -> int:
    """Open a copy read-only, check every page and the audit trail's seals; the number of sealed rows."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise CasebookError("backup.damaged", path=str(db), detail=verdict)
            checked = audit_trail.verify(Store(conn), keys.derive(key, "audit"), anchor)
        except sqlite3.DatabaseError as exc:
            raise CasebookError("backup.damaged", path=str(db), detail=str(exc)) from exc
    if not checked.ok:
        raise CasebookError("backup.audit_broken", path=str(db), row=checked.bad_row or 0)
    return checked.rows


def _write_key(path: Path, key: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_folder(into: Path, stamp: str) -> Path:
    for number in range(1, 100):
        folder = into / (f"casebook-{stamp}" if number == 1 else f"casebook-{stamp}-{number}")
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        return folder
    raise CasebookError("error.already_exists", path=str(into / f"casebook-{stamp}"))


def backup(
    home: str | os.PathLike[str] | None,
    into: str | os.PathLike[str],
    *,
    keep: int | None = None,
    clock: clocks.Clock | None = None,
    patience: float = RECORD_PATIENCE_SECONDS,
) -> BackupResult:
    """Copy the casebook at `home` into a new folder in `into` (casebook-YYYY-MM-DD-HHMMSS), checked, then record it.

    The copy never waits for anyone: a long import may hold the write lock
    meanwhile. The audit row that tells of the copy does wait for it, up to
    `patience` seconds; a copy that could not be recorded is kept and said so.
    `keep`: afterwards remove the oldest backups in `into` beyond this many (backups only, by their names).
    """
    book = open_casebook(home, clock=clock)
    try:
        made, rows = _copy(book, Path(into))
        _record(book, made, patience)
        removed = _prune(made.parent, keep, keep_also=made) if keep else ()
        return BackupResult(made, rows, (made / DB_NAME).stat().st_size, removed)
    finally:
        book.close()


def book_key(book: Casebook) -> bytes:
    return keys.load_key(book.files.key)


def _copy(book: Casebook, into: Path) -> tuple[Path, int]:
    """The new backup folder, its copy taken and checked; and the audit rows the check found sealed."""
    own = book.files
    target = files.resolved(into)
    files.refuse_own_file(own, into, writing=True)
    if files.inside(target, files.resolved(own.home)):
        raise Refused("files.own", "refused.inside_casebook", path=str(into), folder=str(own.home))
    try:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise CasebookError("error.cannot_create_folder", path=str(target), detail=exc.strerror or str(exc)) from exc
    stamp = clocks.local(book.clock.now()).strftime("%Y-%m-%d-%H%M%S")
    folder = _new_folder(target, stamp)
    copy = folder / DB_NAME
    try:
        create_file(copy)
        with closing(sqlite3.connect(copy)) as out:
            with book.store._lock:
                # One step: a consistent snapshot under one read transaction, writers in WAL mode unhindered.
                book.store.conn.backup(out)
            # A backup is one self-contained file; the restored casebook goes back to WAL when opened.
            out.execute("PRAGMA journal_mode = DELETE")
        _write_key(folder / KEY_NAME, book_key(book))
        _anchor_copy(copy, folder / ANCHOR_NAME, book_key(book))
        _fsync(copy)
        _fsync(folder)
        rows = _check_copy(copy, book_key(book), folder / ANCHOR_NAME)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, rows


def _anchor_copy(db: Path, anchor: Path, key: bytes) -> None:
    """The copy's own anchor: its newest row, not the live casebook's (which may have moved on meanwhile)."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        head = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    if head is not None:
        audit_trail.write_anchor(anchor, keys.derive(key, "audit"), int(head[0]), str(head[1]))


def _record(book: Casebook, folder: Path, patience: float) -> None:
    deadline = time.monotonic() + patience
    while True:
        try:
            with book.store.transaction():
                book.audit(None, "casebook.backed_up", str(folder), {"os_user": signin.os_user()})
            return
        except CasebookError as exc:
            if exc.key != "error.busy":
                raise
            if time.monotonic() >= deadline:
                raise CasebookError("backup.not_recorded", folder=str(folder)) from exc
            time.sleep(1.0)


def _prune(into: Path, keep: int, keep_also: Path) -> tuple[Path, ...]:
    """Remove the oldest backup folders beyond `keep`; anything not shaped like a backup is left alone."""
    found = sorted(
        entry
        for entry in into.iterdir()
        if entry.is_dir()
        and not entry.is_symlink()
        and BACKUP_NAME.match(entry.name)
        and {p.name for p in entry.iterdir()} <= {DB_NAME, KEY_NAME, ANCHOR_NAME}
    )
    old = [entry for entry in found[:-keep] if entry != keep_also] if len(found) > keep else []
    for entry in old:
        shutil.rmtree(entry)
    return tuple(old)


def restore(
    source: str | os.PathLike[str],
    home: str | os.PathLike[str] | None,
    *,
    force: bool = False,
    clock: clocks.Clock | None = None,
) -> Path:
    """Put the backup in `source` (a folder made by `backup`) in place as the casebook at `home`.

    The backup is checked first (every page, the audit trail's seals under its
    own key). A casebook already at `home` is replaced only with `force`, and
    only while nobody has it open: the restore takes it for itself, so nobody
    works on in a casebook that changed under them.
    """
    folder = Path(source)
    db, key_file = folder / DB_NAME, folder / KEY_NAME
    if not db.is_file():
        raise CasebookError("backup.not_a_backup", path=str(folder))
    check_openable(db)
    key = keys.load_key(key_file)
    # A backup made before casebooks had an anchor has none: its trail is checked without one.
    anchor = folder / ANCHOR_NAME if (folder / ANCHOR_NAME).exists() else None
    _check_copy(db, key, anchor)
    own = CasebookFiles(resolve_home(home))
    if files.inside(files.resolved(own.home), files.resolved(folder)):
        raise CasebookError("backup.into_itself", path=str(folder))
    try:
        own.home.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise CasebookError("error.cannot_create_folder", path=str(own.home), detail=exc.strerror or str(exc)) from exc
    temp_key = own.home / f".{KEY_NAME}.restore-{secrets.token_hex(4)}"
    temp_anchor = own.home / f".{ANCHOR_NAME}.restore-{secrets.token_hex(4)}"
    try:
        _write_key(temp_key, key)
        if own.db.exists():
            if not force:
                raise Refused("files.overwrite", "refused.restore_exists", path=str(own.home))
            _replace_in_place(db, own.db)
        else:
            _put_new(db, own)
        os.replace(temp_key, own.key)
        # The backup's anchor, not the replaced casebook's: that one names rows the backup never had.
        if anchor is not None:
            _write_key(temp_anchor, anchor.read_bytes())
            os.replace(temp_anchor, own.anchor)
        else:
            own.anchor.unlink(missing_ok=True)
        _fsync(own.home)
    finally:
        temp_key.unlink(missing_ok=True)
        temp_anchor.unlink(missing_ok=True)
    book = open_casebook(own.home, clock=clock)
    try:
        with book.store.transaction():
            book.audit(None, "casebook.restored", str(own.home), {"from": str(folder), "os_user": signin.os_user()})
        after = audit_trail.verify(book.store, keys.derive(key, "audit"), own.anchor)
        if not after.ok:
            raise CasebookError("backup.audit_broken", path=str(own.db), row=after.bad_row or after.rows)
    finally:
        book.close()
    return own.home


def _put_new(source_db: Path, own: CasebookFiles) -> None:
    """No casebook here yet: build the copy under a temporary name and rename it into place, as init does."""
    temp = own.home / f".{DB_NAME}.restore-{secrets.token_hex(4)}"
    try:
        create_file(temp)
        with (
            closing(sqlite3.connect(f"file:{source_db}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(temp)) as out,
        ):
            src.backup(out)
        _fsync(temp)
        os.rename(temp, own.db)
    finally:
        temp.unlink(missing_ok=True)


def _replace_in_place(source_db: Path, live_db: Path) -> None:
    """Copy the backup into the live database, holding it alone: refused while anyone has it open."""
    with closing(sqlite3.connect(live_db, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)) as out:
        # In WAL mode every open connection holds a shared lock on the file for as long as it is open;
        # the exclusive lock this mode takes at the first write is only granted when no other is left.
        out.execute("PRAGMA locking_mode = EXCLUSIVE")
        try:
            out.execute("BEGIN IMMEDIATE")
            out.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise CasebookError("backup.in_use", path=str(live_db)) from exc
        with closing(sqlite3.connect(f"file:{source_db}?mode=ro", uri=True)) as src:
            src.backup(out)
