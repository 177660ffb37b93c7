"""Who may come in: a passphrase judged under the lock-out rule, the OS user over SSH, or the scheduler.

Sign-in happens before there is a Session, so it takes what it needs on its
own: the store, the casebook's audit writer and its clock. It hands back the
User or raises `Refused`; `Casebook.login`, `Casebook.login_os` and
`Casebook.login_scheduler` make the Session of it.

Over SSH, every sign-in row of the audit trail says where the connection came
from and, where sshd exposes it (`ExposeAuthInfo yes`), which key it used: the
key is what fixes the person on a server everyone reaches as one account.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import hashlib
import ipaddress
import os
import pwd
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook import config, passwords, users
from casebook.errors import Refused
from casebook.permissions import SCHEDULER
from casebook.store import Store
from schema.models import User

if TYPE_CHECKING:
    from casebook.audit import AuditWriter
    from casebook.clock import Clock

MAX_FAILED_ATTEMPTS = 5
LOCK_DURATION = timedelta(minutes=15)


def over_ssh() -> bool:
    """Whether this process serves an SSH login (see casebook.config on why that is trusted)."""
    return config.environment().over_ssh


def os_user() -> str:
    """The OS account running this process; "" when the system cannot say."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# An SSH_USER_AUTH file names the methods of one login; anything longer is not sshd's.
_MAX_AUTH_INFO = 64 * 1024


def connection_detail() -> dict[str, Any]:
    """Where an SSH login came from and the key it used, for its sign-in rows; {} outside SSH."""
    env = config.environment()
    if not env.over_ssh:
        return {}
    detail: dict[str, Any] = {}
    if env.ssh_client:
        address, _, port = env.ssh_client.partition(" ")
        try:
            detail["client"] = str(ipaddress.ip_address(address))
        except ValueError:
            detail["client"] = "?"  # not an address: nothing of it is copied into the trail
        if port.isdigit():
            detail["client_port"] = int(port)
    keys = _used_keys(env.ssh_user_auth)
    if keys:
        detail["key"] = keys[-1]
    return detail


def _used_keys(path: Path | None) -> list[str]:
    """SHA256 fingerprints (as `ssh-keygen -l` writes them) of the public keys an SSH_USER_AUTH file lists."""
    if path is None:
        return []
    try:
        with path.open("rb") as handle:
            text = handle.read(_MAX_AUTH_INFO).decode("ascii", errors="replace")
    except OSError:
        return []
    found = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "publickey":
            try:
                blob = base64.b64decode(parts[2], validate=True)
            except (binascii.Error, ValueError):
                continue
            digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")
            found.append(f"SHA256:{digest}")
    return found


def _locked(until: datetime) -> Refused:
    return Refused(
        "signin.lockout",
        "refused.locked",
        until=clocks.local_text(until),
        attempts=MAX_FAILED_ATTEMPTS,
        minutes=int(LOCK_DURATION.total_seconds() // 60),
    )


def authenticate(
    store: Store, audit: AuditWriter, clock: Clock, name: str, passphrase: str, *, purpose: str = "signin"
) -> User:
    """Check a passphrase under the lock-out rule; every outcome goes to the audit trail.

    Outcomes are committed before a refusal is raised, so a failed attempt
    still counts towards the lock-out. `purpose` names the audit rows:
    "signin" at the door, "unlock" at the lock screen.
    """
    with store.transaction():
        row = store.query_one(
            "SELECT id, name, passphrase_hash, disabled, failed_attempts, locked_until FROM users WHERE name = ?",
            [name.strip().lower()],
        )
        refusal = _judge_attempt(store, audit, clock.now(), row, passphrase, purpose)
    if refusal is not None:
        raise refusal
    return users.require_user(store, name)


def _judge_attempt(
    store: Store, audit: AuditWriter, now: datetime, row: dict[str, Any] | None, passphrase: str, purpose: str
) -> Refused | None:
    """Decide one sign-in attempt and record it (counter, lock, audit row); None means let in."""
    if row is None:
        passwords.verify_passphrase(passphrase, passwords.dummy_hash())
        # The typed name is not recorded: it is sometimes a passphrase typed in the wrong field.
        audit.append(None, f"{purpose}.failed", None, {"reason": "unknown_user", **connection_detail()})
        return Refused("signin.credentials", "refused.bad_credentials")
    name = row["name"]
    locked_until = clocks.from_text(row["locked_until"]) if row["locked_until"] else None
    if locked_until and locked_until > now:
        audit.append(None, f"{purpose}.failed", name, {"reason": "locked", **connection_detail()})
        return _locked(locked_until)
    if not passwords.verify_passphrase(passphrase, str(row["passphrase_hash"])):
        # A lock that has run out leaves a fresh count.
        failed = (0 if locked_until else int(row["failed_attempts"])) + 1
        if failed >= MAX_FAILED_ATTEMPTS:
            until = now + LOCK_DURATION
            store.conn.execute(
                "UPDATE users SET failed_attempts = 0, locked_until = ? WHERE id = ?",
                (clocks.to_text(until), row["id"]),
            )
            audit.append(None, "signin.locked_out", name, {"attempts": failed, **connection_detail()})
            return _locked(until)
        store.conn.execute(
            "UPDATE users SET failed_attempts = ?, locked_until = NULL WHERE id = ?", (failed, row["id"])
        )
        audit.append(
            None, f"{purpose}.failed", name, {"reason": "passphrase", "attempt": failed, **connection_detail()}
        )
        return Refused("signin.credentials", "refused.bad_credentials")
    if row["disabled"]:
        audit.append(None, f"{purpose}.failed", name, {"reason": "disabled", **connection_detail()})
        return Refused("signin.disabled", "refused.disabled", name=name)
    store.conn.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?", (row["id"],))
    audit.append(name, f"{purpose}.ok", name, {"method": "passphrase", **connection_detail()})
    return None


def ssh_allowed(store: Store, name: str) -> bool:
    """Whether `name` would be let in without a passphrase here: over SSH, to an account that allows it.

    The app and the CLI ask before they ask for a passphrase; `authenticate_os`
    still makes every check of its own.
    """
    account = users.find(store, name)
    return account is not None and account.ssh_login and over_ssh()


def authenticate_os(store: Store, audit: AuditWriter, clock: Clock, name: str | None = None) -> User:
    """Sign in without a passphrase: only over SSH, only for an account that allows it.

    The account is the one named (`--as NAME` in the forced command of an SSH
    key) or the one linked to the OS user. An account linked to an OS user
    accepts no other OS user.
    """
    running_as = os_user()
    if not over_ssh():
        raise Refused("signin.os", "refused.os_not_ssh")
    user = users.find(store, name) if name else users.find_by_os_user(store, running_as)
    if user is None:
        raise Refused("signin.os", "refused.os_no_account", os_user=running_as)
    if not user.ssh_login:
        raise Refused("signin.os", "refused.os_not_enabled", name=user.name)
    if user.os_user and user.os_user != running_as:
        raise Refused("signin.os", "refused.os_mismatch", name=user.name, os_user=running_as)
    if user.disabled:
        raise Refused("signin.disabled", "refused.disabled", name=user.name)
    if user.locked_until and user.locked_until > clock.now():
        raise _locked(user.locked_until)
    with store.transaction():
        audit.append(user.name, "signin.ok", user.name, {"method": "ssh", "os_user": running_as, **connection_detail()})
    return user


def authenticate_scheduler(store: Store, audit: AuditWriter, clock: Clock, db: Path) -> User:
    """Let the built-in scheduler in: the service account itself, on this machine, not over SSH.

    A timer (systemd, cron, a logrotate hook) runs as the account that owns the
    casebook's files, with no person behind it and no passphrase to give. That
    account may read the database and its key anyway, so owning them is the
    credential; what the scheduler may then do is `permissions.SCHEDULER_MAY`.
    Over SSH nobody is let in this way: the people who reach the service account
    there are signed in as themselves.
    """
    running_as = os_user()
    if over_ssh():
        raise Refused("signin.scheduler", "refused.scheduler_over_ssh")
    try:
        owner = db.stat().st_uid
    except OSError:
        owner = -1
    if owner != os.geteuid():
        raise Refused("signin.scheduler", "refused.scheduler_not_owner", os_user=running_as, owner=_account_name(owner))
    with store.transaction():
        audit.append(SCHEDULER, "signin.ok", SCHEDULER, {"method": "scheduler", "os_user": running_as})
    return User(
        id=0,
        name=SCHEDULER,
        full_name="",
        roles=frozenset(),
        disabled=False,
        failed_attempts=0,
        locked_until=None,
        os_user=running_as,
        ssh_login=False,
        created_at=clock.now(),
    )


def _account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except (KeyError, OverflowError):
        return str(uid)


def linked_account(store: Store) -> str | None:
    """The account linked to the OS user running this process, if any."""
    running_as = os_user()
    user = users.find_by_os_user(store, running_as) if running_as else None
    return user.name if user else None
