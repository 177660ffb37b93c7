"""Opening and creating a casebook: the folder, the key, the database, the first administrator.

A `Casebook` is what there is before anyone signs in: it signs people in
(`login`, `login_os`) and answers the sign-in screen's questions. Everything
after goes through the Session it hands back.
"""

from __future__ import annotations

import hmac
import os
import secrets
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from casebook import audit as audit_trail
from casebook import clock as clocks
from casebook import config, keys, settings, signin, users
from casebook.audit import AuditWriter
from casebook.errors import CasebookError
from casebook.paths import CasebookFiles, resolve_home
from casebook.permissions import Action
from casebook.policy import versions as policy_versions
from casebook.session import SCHEDULER_METHOD, Interface, Session
from casebook.store import Migration, Store, check_openable, connect, create_file, migrate
from schema.models import AuditRow, AuditVerdict
from schema.roles import Role


class Casebook:
    def __init__(self, files: CasebookFiles, store: Store, master_key: bytes, clock: clocks.Clock) -> None:
        self.files = files
        self.store = store
        self._master_key = master_key
        self._audit_key = keys.derive(master_key, "audit")
        self._pseudonym_key = keys.derive(master_key, "pseudonym")
        self.audit_writer = AuditWriter(store, self._audit_key, clock, files.anchor)
        self.clock = clock

    @property
    def clock(self) -> clocks.Clock:
        return self._clock

    @clock.setter
    def clock(self, clock: clocks.Clock) -> None:
        # One time for the casebook and its trail (the demo and the tests move it by hand).
        self._clock = clock
        self.audit_writer.clock = clock

    @property
    def pseudonym_key(self) -> bytes:
        """The key of the keyed hash that replaces identifiers at import (see casebook.pseudonym)."""
        return self._pseudonym_key

    def audit(
        self, actor: str | None, action: str, subject: str | None = None, detail: dict[str, Any] | None = None
    ) -> int:
        """Record an action; call inside the transaction of the change (a Session's `audit` names its person)."""
        return self.audit_writer.append(actor, action, subject, detail)

    def verify_audit(self, session: Session) -> AuditVerdict:
        session.require(Action.VERIFY_AUDIT)
        return audit_trail.verify(self.store, self._audit_key, self.files.anchor)

    def audit_rows(self, session: Session, limit: int = 50, offset: int = 0) -> list[AuditRow]:
        """The newest rows of the trail (newest first), for those who may read it."""
        session.require(Action.READ_AUDIT)
        return audit_trail.rows(self.store, limit=limit, offset=offset)

    def login(
        self, name: str, passphrase: str, purpose: str = "signin", *, interface: Interface = Interface.CLI
    ) -> Session:
        """Sign in with a passphrase (`purpose` "unlock" at the lock screen); refused under the lock-out rule.

        `interface`: the app passes Interface.APP, which confines what its files may be (casebook.files;
        a test keeps every sign-in of the screens so); the command line and scripts act as Interface.CLI.
        """
        user = signin.authenticate(self.store, self.audit_writer, self.clock, name, passphrase, purpose=purpose)
        return Session(self, user, "passphrase", interface)

    def login_os(self, name: str | None = None, *, interface: Interface = Interface.CLI) -> Session:
        """Sign in as the OS user over SSH, for accounts that allow it (off by default)."""
        user = signin.authenticate_os(self.store, self.audit_writer, self.clock, name)
        return Session(self, user, "ssh", interface)

    def login_scheduler(self) -> Session:
        """The built-in scheduler, for a timer running as the service account (command line only)."""
        user = signin.authenticate_scheduler(self.store, self.audit_writer, self.clock, self.files.db)
        return Session(self, user, SCHEDULER_METHOD, Interface.CLI)

    def ssh_sign_in_allowed(self, name: str) -> bool:
        """Whether `name` may come in here without a passphrase (over SSH, the account allowing it)."""
        return signin.ssh_allowed(self.store, name)

    def linked_account(self) -> str | None:
        """The account linked to the OS user running this process, if any."""
        return signin.linked_account(self.store)

    def is_demo(self) -> bool:
        """A demo casebook (casebook.demo): its sign-in screen lists the demo accounts."""
        return settings.is_demo(self.store)

    def local_time_text(self, moment: datetime) -> str:
        return clocks.local_text(moment)

    def second_connection(self) -> Casebook:
        """The same casebook on a connection of its own, for a long job in a worker thread.

        A long import holds its write transaction for its whole length; on its
        own connection it leaves the app's connection free to read (WAL) meanwhile.
        The caller closes it.
        """
        return Casebook(self.files, Store(connect(self.files.db)), self._master_key, self.clock)

    def close(self) -> None:
        self.store.close()


def _check_reachable(path: Path) -> None:
    """A folder on the way that this user may not enter gets its own message, not a traceback."""
    try:
        path.stat()
    except FileNotFoundError:
        return
    except PermissionError:
        raise CasebookError("error.not_reachable", path=str(path)) from None
    except NotADirectoryError:
        raise CasebookError("error.not_a_folder", path=str(path.parent)) from None


def _may(path: Path, mode: int) -> bool:
    # Effective ids: what this process may do, also when it runs set-uid or as a service account.
    return os.access(path, mode, effective_ids=os.access in os.supports_effective_ids)


def _check_folder_writable(home: Path) -> None:
    if not home.is_dir():
        raise CasebookError("error.not_a_folder", path=str(home))
    if not _may(home, os.W_OK | os.X_OK):
        raise CasebookError("error.folder_not_writable", path=str(home))


def open_casebook(
    home: str | os.PathLike[str] | None = None,
    *,
    clock: clocks.Clock | None = None,
    migrations: Sequence[Migration] | None = None,
) -> Casebook:
    """Open an existing casebook, upgrading an older one in place.

    Every refusal happens before SQLite writes anything: a foreign, damaged or
    newer file is left exactly as it was.
    """
    files = CasebookFiles(resolve_home(home))
    _check_reachable(files.db)
    if not files.db.exists():
        raise CasebookError("error.no_casebook", path=str(files.home))
    check_openable(files.db, migrations)
    _check_folder_writable(files.home)
    if not _may(files.db, os.R_OK | os.W_OK):
        raise CasebookError("error.file_not_writable", path=str(files.db))
    master_key = keys.load_key(files.key)
    clock = clock or clocks.fixed_or_system(config.environment().now)
    try:
        conn = connect(files.db)
    except sqlite3.DatabaseError as exc:
        raise CasebookError("error.damaged", path=str(files.db), detail=str(exc)) from exc
    try:
        # Reading the schema first finds a damaged file before a migration would write to it.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        known = _check_key(conn, master_key, files.key)
        migrate(conn, migrations)
        conn.execute("SELECT count(*) FROM users").fetchone()
        if not known:
            _record_key(conn, master_key)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise CasebookError("error.damaged", path=str(files.db), detail=str(exc)) from exc
    except BaseException:
        conn.close()
        raise
    book = Casebook(files, Store(conn), master_key, clock)
    policy_versions.ensure_default(book.store, book.audit_writer, clock)
    return book


def _stored_fingerprint(conn: sqlite3.Connection) -> str | None:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'key_fingerprint'").fetchone():
        return None  # a casebook from before fingerprints
    row = conn.execute("SELECT fingerprint FROM key_fingerprint WHERE id = 1").fetchone()
    return None if row is None else str(row[0])


def _check_key(conn: sqlite3.Connection, master_key: bytes, path: Path) -> bool:
    """Refuse, before anything is written, a key that is not the one this casebook was made with.

    Another key would open it and give every person new pseudonyms, the
    audit trail failing only later. The database keeps the key's
    fingerprint; a casebook from before fingerprints is asked its audit
    trail's first seal instead. Returns whether the fingerprint is stored.
    """
    stored = _stored_fingerprint(conn)
    if stored is not None:
        if not hmac.compare_digest(stored, keys.fingerprint(master_key)):
            raise CasebookError("error.key_mismatch", path=str(path))
        return True
    has_audit = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").fetchone()
    if has_audit and audit_trail.first_row_sealed_by(conn, keys.derive(master_key, "audit")) is False:
        raise CasebookError("error.key_mismatch", path=str(path))
    return False


def _record_key(conn: sqlite3.Connection, master_key: bytes) -> None:
    with conn:
        conn.execute(
            "INSERT OR IGNORE INTO key_fingerprint (id, fingerprint) VALUES (1, ?)", (keys.fingerprint(master_key),)
        )


def init_casebook(
    home: str | os.PathLike[str] | None,
    admin: str,
    passphrase: str,
    *,
    full_name: str = "",
    clock: clocks.Clock | None = None,
) -> Casebook:
    """Create a casebook with its first administrator, all or nothing.

    The database is built under a temporary name and renamed into place only
    when complete, so an interrupted init leaves no casebook that half exists.
    """
    files = CasebookFiles(resolve_home(home))
    name = users.check_name(admin)
    users.check_passphrase(passphrase)
    clock = clock or clocks.fixed_or_system(config.environment().now)
    _check_reachable(files.home)
    try:
        files.home.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        raise CasebookError("error.not_a_folder", path=str(files.home)) from None
    except OSError as exc:
        raise CasebookError(
            "error.cannot_create_folder", path=str(files.home), detail=exc.strerror or str(exc)
        ) from exc
    _check_folder_writable(files.home)
    if files.db.exists():
        raise CasebookError("error.already_exists", path=str(files.db))
    # No casebook here yet: an anchor left by an init that failed half-way belongs to nothing.
    files.anchor.unlink(missing_ok=True)

    temp_db = files.home / f".{files.db.name}.init-{secrets.token_hex(4)}"
    temp_key = files.home / f".{files.key.name}.init-{secrets.token_hex(4)}"
    # A key left by an init interrupted between its two renames belongs to no casebook yet: reuse it.
    reuse_key = files.key.exists()
    try:
        master_key = keys.load_key(files.key) if reuse_key else keys.create_key(temp_key)
        create_file(temp_db)
        conn = connect(temp_db)
        try:
            migrate(conn)
            store = Store(conn)
            book = Casebook(files, store, master_key, clock)
            with store.transaction():
                store.conn.execute(
                    "INSERT INTO key_fingerprint (id, fingerprint) VALUES (1, ?)", (keys.fingerprint(master_key),)
                )
                book.audit(name, "casebook.created", str(files.home))
                users.insert_user(
                    store, name, frozenset({Role.ADMIN}), passphrase, full_name, created_at=clocks.to_text(clock.now())
                )
                book.audit(name, "user.added", name, {"roles": [Role.ADMIN.value]})
        finally:
            conn.close()
        if not reuse_key:
            os.rename(temp_key, files.key)
        os.rename(temp_db, files.db)
        _fsync_folder(files.home)
    except OSError as exc:
        raise CasebookError("error.cannot_write", path=str(files.home), detail=exc.strerror or str(exc)) from exc
    finally:
        for leftover in (temp_db, temp_key, Path(f"{temp_db}-wal"), Path(f"{temp_db}-shm")):
            leftover.unlink(missing_ok=True)
    return open_casebook(files.home, clock=clock)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
