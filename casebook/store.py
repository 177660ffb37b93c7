"""The SQLite file: safe opening, pragmas, numbered migrations, transactions.

A casebook file is checked before SQLite touches it (header, application id,
schema version read straight from the file header), so a foreign, damaged or
newer file is refused with nothing written, not even a -wal file.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils

from casebook.errors import CasebookError

SQLITE_HEADER = b"SQLite format 3\x00"
# "CB81" in the header's application-id field marks a file as a casebook.
APPLICATION_ID = 0x43423831
BUSY_TIMEOUT_MS = 5000
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


@cache
def bundled_migrations() -> tuple[Migration, ...]:
    """The migrations shipped in schema/sql, in version order, numbered without gaps.

    Read once per process: a program that drops its privileges after starting (or a test acting as
    another user) need not be able to read the package's files again.
    """
    found = []
    for entry in resources.files("schema").joinpath("sql").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration {expected:04d} is missing before {migration.name}")
    return tuple(found)


def latest_version(migrations: Sequence[Migration] | None = None) -> int:
    migrations = bundled_migrations() if migrations is None else migrations
    return migrations[-1].version if migrations else 0


@dataclass(frozen=True)
class FileHeader:
    application_id: int
    user_version: int


def read_header(path: Path) -> FileHeader:
    """Read the casebook marks from the file header without opening it in SQLite."""
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except IsADirectoryError:
        raise CasebookError("error.not_a_file", path=str(path)) from None
    except PermissionError:
        raise CasebookError("error.not_readable", path=str(path)) from None
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        raise CasebookError("error.not_sqlite", path=str(path))
    return FileHeader(
        application_id=int.from_bytes(head[68:72], "big"),
        user_version=int.from_bytes(head[60:64], "big"),
    )


def check_openable(path: Path, migrations: Sequence[Migration] | None = None) -> FileHeader:
    """Refuse, before any write, a file that is not a casebook or is newer than this program."""
    header = read_header(path)
    if header.application_id != APPLICATION_ID:
        raise CasebookError("error.not_a_casebook", path=str(path))
    supported = latest_version(migrations)
    if header.user_version > supported:
        raise CasebookError("error.newer_version", path=str(path), found=header.user_version, supported=supported)
    return header


def create_file(path: Path) -> None:
    """Create an empty file readable by its owner only; SQLite gives its -wal and -shm the same mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted rows (a purge, an erasure) are overwritten, not left readable in free space; free pages are
        # given back by an incremental vacuum (a new casebook starts so, an older one after its first purge).
        conn.execute("PRAGMA secure_delete = ON")
        # Set on a new file only: the pragma rewrites the header even when the mode is unchanged, and opening
        # a casebook must not write to it.
        if conn.execute("PRAGMA page_count").fetchone()[0] == 0:
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise CasebookError("error.no_wal", path=str(path), mode=mode)
        conn.execute("PRAGMA synchronous = NORMAL")
        # Imports write large indexes: a 32 MB page cache keeps their upper levels in memory.
        conn.execute("PRAGMA cache_size = -32768")
        conn.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        conn.close()
        raise
    return conn


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(
    conn: sqlite3.Connection,
    migrations: Sequence[Migration] | None = None,
    upto: int | None = None,
) -> list[int]:
    """Apply the migrations newer than the file, each in its own transaction.

    A migration that fails is rolled back whole and the file keeps its
    version, so an upgrade never leaves a half-changed schema. Returns the
    versions applied.
    """
    migrations = bundled_migrations() if migrations is None else list(migrations)
    version = current_version(conn)
    applied = []
    for migration in migrations:
        if migration.version <= version or (upto is not None and migration.version > upto):
            continue
        script = (
            "BEGIN IMMEDIATE;\n"
            f"{migration.sql}\n;"
            f"PRAGMA application_id = {APPLICATION_ID};\n"
            f"PRAGMA user_version = {migration.version};\n"
            "COMMIT;"
        )
        try:
            conn.executescript(script)
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise CasebookError(
                "error.migration_failed", version=migration.version, name=migration.name, detail=str(exc)
            ) from exc
        applied.append(migration.version)
        version = migration.version
    return applied


class Store:
    """The open database. One connection, shared by the UI's worker threads under a lock."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        self._lock = threading.RLock()
        # Work that must follow a commit, never a rollback (the audit trail's anchor file), by name.
        self._after_commit: dict[str, Callable[[], None]] = {}

    def after_commit(self, name: str, callback: Callable[[], None]) -> None:
        """Run `callback` once the current transaction commits (a later one with the same name replaces it)."""
        self._after_commit[name] = callback

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction that takes the write lock at once (BEGIN IMMEDIATE).

        Taking it at the start rather than at the first write means two
        processes never both read the audit chain's head and then race to
        extend it. Nested calls join the outer transaction.
        """
        with self._lock:
            if self.conn.in_transaction:
                yield self.db
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                # Another process (or a long import on a second connection) holds the write lock past the
                # busy timeout: say so, rather than fail with SQLite's words.
                raise CasebookError("error.busy", detail=str(exc)) from exc
            try:
                yield self.db
            except BaseException:
                self._after_commit.clear()
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
                callbacks, self._after_commit = list(self._after_commit.values()), {}
                for callback in callbacks:
                    callback()

    def query(self, sql: str, params: Sequence[object] | dict[str, object] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.db.query(sql, params))

    def query_one(self, sql: str, params: Sequence[object] | dict[str, object] = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def close(self) -> None:
        with self._lock:
            self.conn.close()
