"""People who use the casebook: accounts, their roles, passphrases and SSH sign-in setting.

Managing accounts takes a Session and checks its permission. The functions
taking a Store (`find`, `find_by_os_user`, `require_user`, `insert_user`) are the core's own:
sign-in (casebook.signin), the Session and casebook creation read and write
accounts through them before anyone is signed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook import passwords
from casebook.errors import Refused
from casebook.permissions import SCHEDULER, Action
from casebook.store import Store
from schema.models import User
from schema.roles import Role

if TYPE_CHECKING:
    from casebook.session import Session

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
MIN_PASSPHRASE_LENGTH = 10

_COLUMNS = "id, name, full_name, disabled, failed_attempts, locked_until, os_user, ssh_login, created_at, employee_id"


def _user(store: Store, row: dict[str, Any]) -> User:
    roles = store.query("SELECT role FROM user_roles WHERE user_id = ?", [row["id"]])
    locked = row["locked_until"]
    return User(
        id=row["id"],
        name=row["name"],
        full_name=row["full_name"],
        roles=frozenset(Role(r["role"]) for r in roles),
        disabled=bool(row["disabled"]),
        failed_attempts=row["failed_attempts"],
        locked_until=clocks.from_text(locked) if isinstance(locked, str) else None,
        os_user=row["os_user"],
        ssh_login=bool(row["ssh_login"]),
        created_at=clocks.from_text(str(row["created_at"])),
        employee_id=row["employee_id"],
    )


def find(store: Store, name: str) -> User | None:
    row = store.query_one(f"SELECT {_COLUMNS} FROM users WHERE name = ?", [name.strip().lower()])
    return _user(store, row) if row else None


def find_by_os_user(store: Store, os_user: str) -> User | None:
    row = store.query_one(f"SELECT {_COLUMNS} FROM users WHERE os_user = ?", [os_user])
    return _user(store, row) if row else None


def require_user(store: Store, name: str) -> User:
    """The account named, or the refusal that names the name; the core's own read, as `find`."""
    user = find(store, name)
    if user is None:
        raise Refused("users.exists", "refused.no_such_user", name=name)
    return user


def check_name(name: str) -> str:
    normalised = name.strip().lower()
    if not NAME_PATTERN.match(normalised):
        raise Refused("users.name", "refused.bad_name", name=name)
    if normalised == SCHEDULER:
        # The built-in scheduler's name: the audit trail must never confuse a person with it.
        raise Refused("users.name", "refused.reserved_name", name=normalised)
    return normalised


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise Refused("passphrase.length", "refused.passphrase_short", minimum=MIN_PASSPHRASE_LENGTH)


def check_roles(roles: Iterable[Role]) -> frozenset[Role]:
    chosen = frozenset(roles)
    if not chosen:
        raise Refused("users.roles", "refused.no_roles")
    return chosen


def insert_user(
    store: Store,
    name: str,
    roles: frozenset[Role],
    passphrase: str,
    full_name: str = "",
    os_user: str | None = None,
    ssh_login: bool = False,
    *,
    created_at: str,
) -> int:
    """Write a new account; the caller has checked permission and holds the transaction."""
    if find(store, name) is not None:
        raise Refused("users.unique", "refused.user_exists", name=name)
    if os_user and find_by_os_user(store, os_user) is not None:
        raise Refused("users.os_user_unique", "refused.os_user_taken", os_user=os_user)
    cursor = store.conn.execute(
        "INSERT INTO users (name, full_name, passphrase_hash, os_user, ssh_login, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (name, full_name.strip(), passwords.hash_passphrase(passphrase), os_user or None, int(ssh_login), created_at),
    )
    user_id = int(cursor.lastrowid or 0)
    _write_roles(store, user_id, roles)
    return user_id


def _write_roles(store: Store, user_id: int, roles: frozenset[Role]) -> None:
    store.conn.execute("DELETE FROM user_roles WHERE user_id = ?", (user_id,))
    store.conn.executemany(
        "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", [(user_id, role.value) for role in sorted(roles)]
    )


def list_users(session: Session) -> list[User]:
    session.require(Action.VIEW_USERS)
    store = session.casebook.store
    return [_user(store, row) for row in store.query(f"SELECT {_COLUMNS} FROM users ORDER BY name")]


def add_user(
    session: Session,
    name: str,
    roles: Iterable[Role],
    passphrase: str,
    full_name: str = "",
    os_user: str | None = None,
    ssh_login: bool = False,
    employee: str | None = None,
) -> User:
    """A new account; `employee` (an e-mail in the directory) links an employee's account to their person."""
    session.require(Action.MANAGE_USERS)
    name = check_name(name)
    chosen = check_roles(roles)
    check_passphrase(passphrase)
    store = session.casebook.store
    with store.transaction():
        user_id = insert_user(
            store, name, chosen, passphrase, full_name, os_user, ssh_login, created_at=clocks.to_text(session.now())
        )
        detail: dict[str, object] = {"roles": sorted(chosen), "os_user": bool(os_user), "ssh_login": ssh_login}
        if employee is not None:
            detail["employee"] = _link(store, user_id, employee)
        # The account by its name, never the person's full name or OS account: the trail names no one.
        session.audit("user.added", name, detail)
    return require_user(store, name)


def _link(store: Store, user_id: int, email: str) -> str | None:
    """Link the account to the directory's person with this e-mail ("" unlinks); returns the audit reference."""
    if not email.strip():
        store.conn.execute("UPDATE users SET employee_id = NULL WHERE id = ?", (user_id,))
        return None
    row = store.conn.execute("SELECT id FROM employees WHERE email = ?", (email.strip().lower(),)).fetchone()
    if row is None:
        raise Refused("employees.exists", "refused.no_such_employee", email=email)
    other = store.conn.execute(
        "SELECT name FROM users WHERE employee_id = ? AND id != ?", (int(row[0]), user_id)
    ).fetchone()
    if other is not None:
        raise Refused("users.employee_unique", "refused.employee_linked", email=email, name=other[0])
    store.conn.execute("UPDATE users SET employee_id = ? WHERE id = ?", (int(row[0]), user_id))
    return f"employee:{int(row[0])}"


def _active_admins(store: Store) -> int:
    row = store.query_one(
        "SELECT count(*) AS n FROM users JOIN user_roles ON user_roles.user_id = users.id "
        "WHERE role = 'admin' AND disabled = 0"
    )
    return int(row["n"]) if row else 0


def _guard_last_admin(store: Store, user: User) -> None:
    """Nobody could manage accounts any more if the last active administrator went."""
    if Role.ADMIN in user.roles and not user.disabled and _active_admins(store) <= 1:
        raise Refused("users.last_admin", "refused.last_admin", name=user.name)


def update_user(
    session: Session,
    name: str,
    *,
    roles: Iterable[Role] | None = None,
    full_name: str | None = None,
    os_user: str | None = None,
    ssh_login: bool | None = None,
    employee: str | None = None,
) -> User:
    """Change an account's roles, name, linked OS user or SSH sign-in; os_user "" unlinks."""
    session.require(Action.MANAGE_USERS)
    store = session.casebook.store
    with store.transaction():
        user = require_user(store, name)
        changes: dict[str, object] = {}
        if roles is not None:
            chosen = check_roles(roles)
            if Role.ADMIN not in chosen:
                _guard_last_admin(store, user)
            _write_roles(store, user.id, chosen)
            changes["roles"] = sorted(chosen)
        if full_name is not None:
            store.conn.execute("UPDATE users SET full_name = ? WHERE id = ?", (full_name.strip(), user.id))
            changes["full_name"] = "changed"
        if os_user is not None:
            other = find_by_os_user(store, os_user) if os_user else None
            if other is not None and other.id != user.id:
                raise Refused("users.os_user_unique", "refused.os_user_taken", os_user=os_user)
            store.conn.execute("UPDATE users SET os_user = ? WHERE id = ?", (os_user or None, user.id))
            changes["os_user"] = "linked" if os_user else "unlinked"
        if ssh_login is not None:
            store.conn.execute("UPDATE users SET ssh_login = ? WHERE id = ?", (int(ssh_login), user.id))
            changes["ssh_login"] = ssh_login
        if employee is not None:
            changes["employee"] = _link(store, user.id, employee)
        if changes:
            session.audit("user.changed", user.name, changes)
    return require_user(store, name)


def set_disabled(session: Session, name: str, disabled: bool) -> User:
    session.require(Action.MANAGE_USERS)
    store = session.casebook.store
    with store.transaction():
        user = require_user(store, name)
        if disabled:
            _guard_last_admin(store, user)
        store.conn.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user.id))
        session.audit("user.disabled" if disabled else "user.enabled", user.name)
    return require_user(store, name)


def set_passphrase(session: Session, name: str, passphrase: str) -> None:
    """Anyone may change their own passphrase; only an administrator someone else's."""
    store = session.casebook.store
    target = find(store, name)
    if target is None or target.id != session.user.id:
        session.require(Action.MANAGE_USERS)
    check_passphrase(passphrase)
    with store.transaction():
        user = require_user(store, name)
        store.conn.execute(
            "UPDATE users SET passphrase_hash = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?",
            (passwords.hash_passphrase(passphrase), user.id),
        )
        session.audit("user.passphrase_set", user.name)
