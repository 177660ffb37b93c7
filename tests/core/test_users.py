"""Accounts, passphrases, sign-in with lock-out, and sign-in as the OS user over SSH."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casebook import audit, keys, passwords, signin, users
from casebook.audit import AuditWriter
from casebook.book import Casebook
from casebook.clock import FixedClock
from casebook.errors import Refused
from casebook.session import Session
from schema.roles import Role
from tests.conftest import ADMIN, PASSPHRASE, set_env


def audit_actions(book: Casebook) -> list[tuple[str, str | None]]:
    rows = book.store.query("SELECT action, subject FROM audit ORDER BY id")
    return [(str(r["action"]), r["subject"]) for r in rows]  # type: ignore[misc]


def test_passphrase_hash_is_salted_scrypt() -> None:
    passwords.set_cost()
    first = passwords.hash_passphrase(PASSPHRASE)
    second = passwords.hash_passphrase(PASSPHRASE)
    assert first.startswith(f"scrypt${passwords.N}$8$1$")
    assert first != second  # a salt per hash
    assert passwords.verify_passphrase(PASSPHRASE, first)
    assert not passwords.verify_passphrase(PASSPHRASE + "x", first)
    assert not passwords.verify_passphrase(PASSPHRASE, "garbage")


def test_passphrase_never_stored_in_clear(book: Casebook, admin: Session) -> None:
    users.add_user(admin, "ilse", [Role.IT_OFFICER], "ilse-secret-42")
    dump = "\n".join(book.store.conn.iterdump())
    assert "ilse-secret-42" not in dump
    assert PASSPHRASE not in dump


def test_add_and_list(book: Casebook, admin: Session) -> None:
    added = users.add_user(admin, "Ilse", [Role.IT_OFFICER, Role.EMPLOYEE], "ilse-secret-42", full_name="Ilse Claes")
    assert added.name == "ilse"  # names are lower-case
    assert added.roles == {Role.IT_OFFICER, Role.EMPLOYEE}
    assert [u.name for u in users.list_users(admin)] == [ADMIN, "ilse"]
    assert ("user.added", "ilse") in audit_actions(book)


@pytest.mark.parametrize("name", ["a", "9lives", "with space", "x" * 33, "émile", ""])
def test_bad_names_refused(admin: Session, name: str) -> None:
    with pytest.raises(Refused) as refusal:
        users.add_user(admin, name, [Role.EMPLOYEE], PASSPHRASE)
    assert refusal.value.rule == "users.name"


def test_short_passphrase_refused(admin: Session) -> None:
    with pytest.raises(Refused) as refusal:
        users.add_user(admin, "eva", [Role.EMPLOYEE], "short")
    assert refusal.value.rule == "passphrase.length"
    assert users.find(admin.casebook.store, "eva") is None


def test_no_roles_refused(admin: Session) -> None:
    with pytest.raises(Refused) as refusal:
        users.add_user(admin, "eva", [], PASSPHRASE)
    assert refusal.value.rule == "users.roles"


def test_duplicate_name_refused(admin: Session) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE)
    with pytest.raises(Refused) as refusal:
        users.add_user(admin, "EVA", [Role.BOARD], PASSPHRASE)
    assert refusal.value.rule == "users.unique"


def test_os_user_linked_once(admin: Session) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE, os_user="eva")
    with pytest.raises(Refused) as refusal:
        users.add_user(admin, "eva2", [Role.EMPLOYEE], PASSPHRASE, os_user="eva")
    assert refusal.value.rule == "users.os_user_unique"


def test_update_roles_and_fields(admin: Session) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE)
    changed = users.update_user(admin, "eva", roles=[Role.BOARD], full_name="Eva W", os_user="evaw", ssh_login=True)
    assert changed.roles == {Role.BOARD}
    assert (changed.full_name, changed.os_user, changed.ssh_login) == ("Eva W", "evaw", True)
    unlinked = users.update_user(admin, "eva", os_user="")
    assert unlinked.os_user is None


def test_last_admin_cannot_go(admin: Session) -> None:
    with pytest.raises(Refused) as refusal:
        users.set_disabled(admin, ADMIN, True)
    assert refusal.value.rule == "users.last_admin"
    with pytest.raises(Refused) as refusal:
        users.update_user(admin, ADMIN, roles=[Role.BOARD])
    assert refusal.value.rule == "users.last_admin"
    users.add_user(admin, "second", [Role.ADMIN], PASSPHRASE)
    assert users.set_disabled(admin, ADMIN, True).disabled


def test_wrong_passphrase(book: Casebook) -> None:
    with pytest.raises(Refused) as refusal:
        book.login(ADMIN, "not the passphrase")
    assert refusal.value.rule == "signin.credentials"
    assert "verkeerde wachtwoordzin" in refusal.value.message
    assert users.find(book.store, ADMIN).failed_attempts == 1  # type: ignore[union-attr]
    assert ("signin.failed", ADMIN) in audit_actions(book)


def test_unknown_user_same_answer_and_name_not_recorded(book: Casebook) -> None:
    with pytest.raises(Refused) as unknown:
        book.login("my-secret-passphrase", PASSPHRASE)
    with pytest.raises(Refused) as wrong:
        book.login(ADMIN, "wrong passphrase")
    assert unknown.value.message == wrong.value.message
    dump = "\n".join(book.store.conn.iterdump())
    # People type their passphrase in the name field: it must not land in the trail.
    assert "my-secret-passphrase" not in dump


def test_lockout_after_five_failures_for_fifteen_minutes(book: Casebook, clock: FixedClock) -> None:
    for _ in range(signin.MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(Refused) as refusal:
            book.login(ADMIN, "wrong passphrase")
        assert refusal.value.rule == "signin.credentials"
    with pytest.raises(Refused) as refusal:
        book.login(ADMIN, "wrong passphrase")
    assert refusal.value.rule == "signin.lockout"
    # Locked: even the right passphrase is refused, and says until when (Brussels time).
    with pytest.raises(Refused) as refusal:
        book.login(ADMIN, PASSPHRASE)
    assert refusal.value.rule == "signin.lockout"
    assert "10:15" in refusal.value.message
    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(Refused):
        book.login(ADMIN, PASSPHRASE)
    clock.advance(timedelta(seconds=1))
    assert book.login(ADMIN, PASSPHRASE).user.name == ADMIN
    assert ("signin.locked_out", ADMIN) in audit_actions(book)


def test_success_resets_the_failure_count(book: Casebook) -> None:
    for _ in range(signin.MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(Refused):
            book.login(ADMIN, "wrong passphrase")
    book.login(ADMIN, PASSPHRASE)
    with pytest.raises(Refused) as refusal:
        book.login(ADMIN, "wrong passphrase")
    assert refusal.value.rule == "signin.credentials"


def test_failures_after_a_lockout_count_afresh(book: Casebook, clock: FixedClock) -> None:
    for _ in range(signin.MAX_FAILED_ATTEMPTS):
        with pytest.raises(Refused):
            book.login(ADMIN, "wrong passphrase")
    clock.advance(signin.LOCK_DURATION)
    with pytest.raises(Refused) as refusal:
        book.login(ADMIN, "wrong passphrase")
    assert refusal.value.rule == "signin.credentials"


def test_disabled_user_refused_only_with_right_passphrase(admin: Session, book: Casebook) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE)
    users.set_disabled(admin, "eva", True)
    with pytest.raises(Refused) as refusal:
        book.login("eva", PASSPHRASE)
    assert refusal.value.rule == "signin.disabled"
    with pytest.raises(Refused) as refusal:
        book.login("eva", "wrong passphrase")
    assert refusal.value.rule == "signin.credentials"
    users.set_disabled(admin, "eva", False)
    assert book.login("eva", PASSPHRASE).user.name == "eva"


def test_own_passphrase_change_and_admin_reset(admin: Session, book: Casebook) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE)
    eva = book.login("eva", PASSPHRASE)
    users.set_passphrase(eva, "eva", "a brand new one")
    assert book.login("eva", "a brand new one")
    with pytest.raises(Refused) as refusal:
        users.set_passphrase(eva, ADMIN, "taking over now")
    assert refusal.value.rule == "role.required"
    users.set_passphrase(admin, "eva", "reset by admin")
    assert book.login("eva", "reset by admin")


def test_admin_reset_lifts_a_lockout(admin: Session, book: Casebook) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE)
    for _ in range(signin.MAX_FAILED_ATTEMPTS):
        with pytest.raises(Refused):
            book.login("eva", "wrong passphrase")
    users.set_passphrase(admin, "eva", "fresh passphrase")
    assert book.login("eva", "fresh passphrase")


# -- sign-in as the OS user over SSH -----------------------------------------


@pytest.fixture
def over_ssh(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, SSH_CONNECTION="192.0.2.1 50000 192.0.2.2 22")
    monkeypatch.setattr("casebook.signin.os_user", lambda: "svc-casebook")


def test_os_sign_in_is_off_by_default(admin: Session, book: Casebook, over_ssh: None) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE)
    with pytest.raises(Refused) as refusal:
        book.login_os("eva")
    assert refusal.value.rule == "signin.os"


def test_os_sign_in_when_enabled(admin: Session, book: Casebook, over_ssh: None) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE, ssh_login=True)
    session = book.login_os("eva")
    assert session.user.name == "eva" and session.method == "ssh"
    assert ("signin.ok", "eva") in audit_actions(book)


def test_os_sign_in_needs_ssh(admin: Session, book: Casebook, monkeypatch: pytest.MonkeyPatch) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE, ssh_login=True)
    with pytest.raises(Refused) as refusal:
        book.login_os("eva")
    assert "SSH" in refusal.value.message


def test_os_sign_in_by_linked_account(admin: Session, book: Casebook, over_ssh: None) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE, os_user="svc-casebook", ssh_login=True)
    assert book.linked_account() == "eva"
    assert book.login_os().user.name == "eva"


def test_os_sign_in_refuses_other_os_user(admin: Session, book: Casebook, over_ssh: None) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE, os_user="eva-laptop", ssh_login=True)
    with pytest.raises(Refused) as refusal:
        book.login_os("eva")
    assert refusal.value.rule == "signin.os"


def test_os_sign_in_refuses_disabled(admin: Session, book: Casebook, over_ssh: None) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE, ssh_login=True)
    users.set_disabled(admin, "eva", True)
    with pytest.raises(Refused) as refusal:
        book.login_os("eva")
    assert refusal.value.rule == "signin.disabled"


def test_ssh_sign_in_allowed_only_over_ssh_to_an_account_that_allows_it(
    admin: Session, book: Casebook, over_ssh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.add_user(admin, "eva", [Role.EMPLOYEE], PASSPHRASE, ssh_login=True)
    users.add_user(admin, "ilse", [Role.IT_OFFICER], PASSPHRASE)
    assert book.ssh_sign_in_allowed("eva")
    assert not book.ssh_sign_in_allowed("ilse")
    assert not book.ssh_sign_in_allowed("nobody")
    set_env(monkeypatch, SSH_CONNECTION=None)
    assert not book.ssh_sign_in_allowed("eva")


def test_sign_in_takes_a_store_an_audit_writer_and_a_clock(book: Casebook, clock: FixedClock) -> None:
    writer = AuditWriter(book.store, keys.derive(keys.load_key(book.files.key), "audit"), clock)
    user = signin.authenticate(book.store, writer, clock, ADMIN, PASSPHRASE)
    assert user.name == ADMIN
    with pytest.raises(Refused):
        signin.authenticate(book.store, writer, clock, ADMIN, "not the passphrase")
    assert audit_actions(book)[-2:] == [("signin.ok", ADMIN), ("signin.failed", ADMIN)]
    assert audit.verify(book.store, keys.derive(keys.load_key(book.files.key), "audit")).ok
