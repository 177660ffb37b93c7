"""Sign-in on a server: the scheduler a timer acts as, and where an SSH sign-in came from in the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook import audit, signin, users
from casebook.book import Casebook
from casebook.errors import Refused
from casebook.permissions import SCHEDULER_MAY, Action
from casebook.session import Session
from schema.models import AuditRow
from schema.roles import Role
from tests.conftest import PASSPHRASE, set_env

# A key made with `ssh-keygen -t ed25519`; `ssh-keygen -l -f` prints this fingerprint for it.
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICv0aJg42PPMZJaU9bYSpc1y4dmsnDRp7AzqAPxWu6r4 ilse@laptop"
FINGERPRINT = "SHA256:9qE0liKQsE9HMZjfDM0+Fp+UCBd1cC2lCFIotKPDQ+g"
CONNECTION = "192.0.2.1 50122 192.0.2.2 22"


def newest(book: Casebook) -> AuditRow:
    return audit.rows(book.store, limit=1)[0]


# -- the scheduler ---------------------------------------------------------------------------------


def test_the_service_account_is_let_in_as_the_scheduler_and_recorded_so(book: Casebook) -> None:
    session = book.login_scheduler()

    assert session.is_scheduler and session.user.name == "scheduler" and not session.user.roles
    row = newest(book)
    assert (row.actor, row.action, row.subject) == ("scheduler", "signin.ok", "scheduler")
    assert row.detail == {"method": "scheduler", "os_user": signin.os_user()}


def test_the_scheduler_may_import_run_the_control_and_purge_and_nothing_else(book: Casebook) -> None:
    session = book.login_scheduler()

    for action in Action:
        assert session.may(action) == (action in SCHEDULER_MAY), action
    assert SCHEDULER_MAY == {Action.IMPORT_LOGS, Action.RUN_CONTROL, Action.RUN_PURGE}
    with pytest.raises(Refused) as refused:
        users.list_users(session)
    assert refused.value.rule == "scheduler.only"
    assert "--user NAAM" in refused.value.message


def test_no_scheduler_over_ssh(book: Casebook, monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, SSH_CONNECTION=CONNECTION)

    with pytest.raises(Refused) as refused:
        book.login_scheduler()

    assert refused.value.rule == "signin.scheduler"


def test_no_scheduler_for_an_account_that_does_not_own_the_casebook(
    book: Casebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(signin.os, "geteuid", lambda: book.files.db.stat().st_uid + 1)

    with pytest.raises(Refused) as refused:
        book.login_scheduler()

    assert refused.value.rule == "signin.scheduler"
    assert "dienstaccount dat het casebook bezit" in refused.value.message


def test_nobody_may_be_called_scheduler(admin: Session) -> None:
    with pytest.raises(Refused) as refused:
        users.add_user(admin, "Scheduler", [Role.IT_OFFICER], PASSPHRASE)
    assert refused.value.rule == "users.name"


# -- where an SSH sign-in came from ------------------------------------------------------------------


@pytest.fixture
def over_ssh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An SSH login as sshd sets it up with `ExposeAuthInfo yes`: the connection and the file naming the key."""
    auth_info = tmp_path / "sshauth"
    auth_info.write_text(f"publickey {PUBLIC_KEY}\n")
    set_env(monkeypatch, SSH_CONNECTION=CONNECTION, SSH_USER_AUTH=str(auth_info))
    return auth_info


def test_an_ssh_sign_in_records_the_client_and_the_keys_fingerprint(
    book: Casebook, admin: Session, over_ssh: Path
) -> None:
    users.add_user(admin, "ilse", [Role.IT_OFFICER], PASSPHRASE, ssh_login=True)

    book.login_os("ilse")

    row = newest(book)
    assert (row.actor, row.action) == ("ilse", "signin.ok")
    assert row.detail["client"] == "192.0.2.1" and row.detail["client_port"] == 50122
    assert row.detail["key"] == FINGERPRINT
    assert row.detail["method"] == "ssh"


def test_a_passphrase_over_ssh_and_a_failed_one_record_them_too(book: Casebook, admin: Session, over_ssh: Path) -> None:
    users.add_user(admin, "ilse", [Role.IT_OFFICER], PASSPHRASE)

    book.login("ilse", PASSPHRASE)
    ok = newest(book)
    with pytest.raises(Refused):
        book.login("ilse", "not the passphrase")
    failed = newest(book)

    assert ok.detail == {"method": "passphrase", "client": "192.0.2.1", "client_port": 50122, "key": FINGERPRINT}
    assert failed.action == "signin.failed" and failed.detail["key"] == FINGERPRINT


def test_without_expose_auth_info_only_the_address_is_known(
    book: Casebook, admin: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(monkeypatch, SSH_CONNECTION=CONNECTION, SSH_USER_AUTH=None)

    book.login("admin", PASSPHRASE)

    assert newest(book).detail == {"method": "passphrase", "client": "192.0.2.1", "client_port": 50122}


def test_what_is_not_an_address_or_a_key_is_not_copied_into_the_trail(
    book: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    junk = tmp_path / "sshauth"
    junk.write_text("password\npublickey ssh-ed25519 not*base64\n")
    set_env(monkeypatch, SSH_CONNECTION="\x1b[2Jevil 22 192.0.2.2 22", SSH_USER_AUTH=str(junk))

    book.login("admin", PASSPHRASE)

    assert newest(book).detail == {"method": "passphrase", "client": "?", "client_port": 22}


def test_outside_ssh_a_sign_in_says_nothing_of_a_connection(book: Casebook) -> None:
    book.login("admin", PASSPHRASE)

    assert newest(book).detail == {"method": "passphrase"}
