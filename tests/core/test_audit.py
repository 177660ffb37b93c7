"""The audit trail: written with its change, sealed, and any edit, removal or reordering found."""

from __future__ import annotations

import json
import sqlite3

import pytest

from casebook import audit, demo, employees, users
from casebook.book import Casebook
from casebook.errors import Refused
from casebook.session import Session
from schema.roles import Role
from tests.conftest import PASSPHRASE


@pytest.fixture
def trail(book: Casebook, admin: Session) -> Casebook:
    """A casebook whose trail has a dozen rows."""
    for name in ("tom", "lies", "piet", "mia"):
        users.add_user(admin, name, [Role.EMPLOYEE], PASSPHRASE)
        users.set_disabled(admin, name, True)
    assert audit.count(book.store) >= 11
    return book


def tamper(book: Casebook, *statements: str) -> None:
    """Change the table behind the app's back, as someone with the file and sqlite3 could."""
    conn = book.store.conn
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()


def test_intact_trail_verifies(trail: Casebook, admin: Session) -> None:
    verdict = trail.verify_audit(admin)
    assert verdict.ok and verdict.rows == audit.count(trail.store)


def test_each_row_links_to_the_one_before(trail: Casebook) -> None:
    rows = audit.rows(trail.store, limit=100, newest_first=False)
    assert rows[0].prev_hash == audit.GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.id == before.id + 1


def test_the_app_cannot_edit_or_delete_rows(trail: Casebook) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        trail.store.conn.execute("UPDATE audit SET actor = 'someone' WHERE id = 3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        trail.store.conn.execute("DELETE FROM audit WHERE id = 3")


def test_edited_row_found(trail: Casebook, admin: Session) -> None:
    tamper(trail, "UPDATE audit SET subject = 'nobody' WHERE id = 5")
    verdict = trail.verify_audit(admin)
    assert (verdict.ok, verdict.bad_row, verdict.reason) == (False, 5, "changed")
    assert verdict.rows == 4


def test_edited_row_with_recomputed_plain_hash_found(trail: Casebook, admin: Session) -> None:
    """Without the key file, a forger cannot re-seal the row they changed."""
    import hashlib

    row = trail.store.query_one("SELECT * FROM audit WHERE id = 5")
    assert row is not None
    fake = hashlib.sha256(f"{row['prev_hash']}forged".encode()).hexdigest()
    tamper(trail, f"UPDATE audit SET subject = 'nobody', hash = '{fake}' WHERE id = 5")
    verdict = trail.verify_audit(admin)
    assert verdict.bad_row == 5


def test_removed_row_found(trail: Casebook, admin: Session) -> None:
    tamper(trail, "DELETE FROM audit WHERE id = 7")
    verdict = trail.verify_audit(admin)
    assert (verdict.ok, verdict.bad_row, verdict.reason) == (False, 7, "missing")


def test_removed_row_with_ids_renumbered_found(trail: Casebook, admin: Session) -> None:
    tamper(trail, "DELETE FROM audit WHERE id = 7", "UPDATE audit SET id = id - 1 WHERE id > 7")
    verdict = trail.verify_audit(admin)
    assert not verdict.ok and verdict.bad_row == 7


def test_removed_last_rows_found(trail: Casebook, admin: Session) -> None:
    last = audit.count(trail.store)
    tamper(trail, f"DELETE FROM audit WHERE id >= {last - 1}")
    verdict = trail.verify_audit(admin)
    assert (verdict.ok, verdict.bad_row, verdict.reason) == (False, last - 1, "truncated")


def test_removed_last_rows_found_even_with_the_sequence_edited(trail: Casebook, admin: Session) -> None:
    """The anchor outside the database names the last row: cutting the tail and its sequence still shows."""
    last = audit.count(trail.store)
    tamper(
        trail,
        f"DELETE FROM audit WHERE id >= {last - 1}",
        f"UPDATE sqlite_sequence SET seq = {last - 2} WHERE name = 'audit'",
    )
    verdict = trail.verify_audit(admin)
    assert (verdict.ok, verdict.bad_row, verdict.reason) == (False, last - 1, "truncated")


def test_the_anchor_follows_committed_rows_only(trail: Casebook, admin: Session) -> None:
    anchored = audit.read_anchor(trail.files.anchor, trail._audit_key)
    assert isinstance(anchored, tuple) and anchored[0] == audit.count(trail.store)
    with pytest.raises(RuntimeError), trail.store.transaction():
        admin.audit("test.rolled_back")
        raise RuntimeError("the change fails")
    assert audit.read_anchor(trail.files.anchor, trail._audit_key) == anchored
    assert trail.verify_audit(admin).ok


def test_a_forged_anchor_found(trail: Casebook, admin: Session) -> None:
    trail.files.anchor.write_text('{"id": 999, "hash": "0", "seal": "0"}')
    assert trail.verify_audit(admin).reason == "anchor_forged"


def test_reordered_rows_found(trail: Casebook, admin: Session) -> None:
    # Swap the content of rows 4 and 5, seals included.
    columns = "at, actor, action, subject, detail, prev_hash, hash"
    tamper(
        trail,
        f"CREATE TEMP TABLE swap AS SELECT id, {columns} FROM audit WHERE id IN (4, 5)",
        f"UPDATE audit SET ({columns}) = (SELECT {columns} FROM swap WHERE swap.id = 9 - audit.id) WHERE id IN (4, 5)",
    )
    verdict = trail.verify_audit(admin)
    assert (verdict.ok, verdict.bad_row) == (False, 4)


def test_row_written_in_the_same_transaction_as_its_change(trail: Casebook, admin: Session) -> None:
    before = audit.count(trail.store)
    with pytest.raises(RuntimeError):
        with trail.store.transaction():
            admin.audit("user.added", "ghost")
            raise RuntimeError("crash before commit")
    assert audit.count(trail.store) == before
    assert trail.verify_audit(admin).ok


def test_append_outside_a_transaction_is_a_bug(book: Casebook) -> None:
    with pytest.raises(RuntimeError, match="outside a transaction"):
        book.audit("admin", "something")


def test_refused_action_changes_nothing(trail: Casebook, people: dict[str, Session]) -> None:
    before = audit.count(trail.store)
    with pytest.raises(Refused):
        users.add_user(people["eva"], "mallory", [Role.ADMIN], PASSPHRASE)
    assert audit.count(trail.store) == before
    assert users.find(trail.store, "mallory") is None


def test_verify_needs_a_role(trail: Casebook, people: dict[str, Session]) -> None:
    with pytest.raises(Refused) as refusal:
        trail.verify_audit(people["eva"])
    assert refusal.value.rule == "role.required"
    assert trail.verify_audit(people["bert"]).ok


# -- people by reference (DOMAIN: "The audit trail names people by reference") -----------------------------


def test_the_trail_names_no_employee_and_no_full_name(demo_book: Casebook) -> None:
    """The demo's whole trail (policy, directory, receipts, imports, rules) holds no name and no address."""
    admin = demo_book.login("an", "demo-pass-an")
    directory = employees.list_employees(admin)
    assert len(directory) >= 10
    words = {e.email for e in directory} | {e.name for e in directory}
    words |= {i.value for e in directory for i in e.identifiers}
    words |= {a.full_name for a in demo.ACCOUNTS}
    trail = "\n".join(
        f"{r.actor} {r.action} {r.subject} {json.dumps(r.detail, ensure_ascii=False)}"
        for r in demo_book.audit_rows(admin, limit=100_000)
    )
    assert "receipt.recorded" in trail and "employee:" in trail  # the receipts are there, by reference
    leaked = sorted(w for w in words if w and w in trail)
    assert not leaked


def test_the_board_reads_references_and_only_the_administrator_resolves_them(demo_book: Casebook) -> None:
    board = demo_book.login("bert", "demo-pass-bert")
    admin = demo_book.login("an", "demo-pass-an")
    rows = [r for r in demo_book.audit_rows(board, limit=100_000) if r.action == "receipt.recorded"]
    assert rows and all(r.subject and r.subject.startswith("employee:") for r in rows)
    with pytest.raises(Refused) as refusal:
        audit.resolve_references(board, rows)
    assert refusal.value.rule == "role.required"
    names = audit.resolve_references(admin, rows)
    first = rows[0].subject
    assert first is not None and names[first].endswith("@dewerf.be>")
