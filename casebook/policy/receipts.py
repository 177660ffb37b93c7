"""Who received which version of the policy (CAO 81 art. 8: individual information), and the receipt form.

A receipt covers the current version when the employee received the same
text: a version made by a settings change that the text does not show (say,
working hours) needs no new round of signatures.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from casebook import audit
from casebook import clock as clocks
from casebook.employees import Employee, find, list_employees
from casebook.errors import Refused
from casebook.permissions import Action
from casebook.policy import document
from casebook.policy.versions import PolicyVersion, current, get

if TYPE_CHECKING:
    from casebook.book import Casebook
    from casebook.session import Session

METHODS = ("paper", "email", "intranet", "hand")


def rendered(version: PolicyVersion, receipt: dict[str, str] | None = None, missing: str = "[{}]") -> str:
    """The whole policy as the employee reads it: fields filled in, purposes not adopted left out."""
    doc = version.document
    settings = version.settings
    out = [document.plain_text(doc.title, settings, receipt, missing), ""]

    def blocks(items: list[document.Block]) -> None:
        for block in items:
            if not document.visible(block, settings):
                continue
            for line in block.lines:
                text = document.plain_text(line, settings, receipt, missing)
                out.append(f"- {text}" if block.kind == "list" else text)
            out.append("")

    blocks(doc.preamble)
    for section in doc.sections:
        out += ["#" * (section.level + 1) + " " + section.heading, ""]
        blocks(section.blocks)
    for ref, note in doc.notes.items():
        out.append(f"[{ref}] {document.plain_text(note, settings, receipt, missing)}")
    return "\n".join(out).rstrip() + "\n"


def content_hash(version: PolicyVersion) -> str:
    return hashlib.sha256(rendered(version).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReceiptStatus:
    employee: Employee
    version: int | None  # the newest version received
    received_on: date | None
    method: str | None
    covers_current: bool


def statuses(session: Session) -> list[ReceiptStatus]:
    session.require(Action.VIEW_RECEIPTS)
    book = session.casebook
    now = current(book)
    now_hash = content_hash(now)
    hashes: dict[int, str] = {}
    newest = {
        int(r["employee_id"]): r
        for r in book.store.query(
            "SELECT employee_id, policy_version, received_on, method FROM receipts r WHERE policy_version = "
            "(SELECT max(policy_version) FROM receipts WHERE employee_id = r.employee_id)"
        )
    }
    out = []
    for employee in list_employees(session):
        row = newest.get(employee.id or 0)
        if row is None:
            out.append(ReceiptStatus(employee, None, None, None, False))
            continue
        version = int(row["policy_version"])
        if version not in hashes:
            hashes[version] = content_hash(get(book, version))
        out.append(
            ReceiptStatus(
                employee,
                version,
                date.fromisoformat(str(row["received_on"])),
                str(row["method"]),
                hashes[version] == now_hash,
            )
        )
    return out


def without_receipt(book: Casebook) -> int:
    """How many employees in the directory hold no receipt of the current text (a count: the readiness panel)."""
    now_hash = content_hash(current(book))
    rows = book.store.query(
        "SELECT e.id, (SELECT max(policy_version) FROM receipts r WHERE r.employee_id = e.id) AS version"
        " FROM employees e"
    )
    hashes: dict[int, str] = {}
    missing = 0
    for row in rows:
        version = row["version"]
        if version is None:
            missing += 1
            continue
        if version not in hashes:
            hashes[version] = content_hash(get(book, int(version)))
        missing += hashes[version] != now_hash
    return missing


def missing(session: Session) -> list[ReceiptStatus]:
    return [s for s in statuses(session) if not s.covers_current]


def record(
    session: Session,
    email: str,
    *,
    version: int | None = None,
    received_on: date | None = None,
    method: str = "paper",
) -> ReceiptStatus:
    session.require(Action.MANAGE_EMPLOYEES)
    book = session.casebook
    employee = find(session, email)
    policy = get(book, version) if version is not None else current(book)
    today = clocks.local(session.now()).date()
    received_on = received_on or today
    if received_on > today:
        raise Refused("receipts.date", "refused.receipt_future", date=received_on.isoformat())
    if received_on < policy.created_at.date():
        raise Refused(
            "receipts.date",
            "refused.receipt_before_version",
            date=received_on.isoformat(),
            version=policy.version,
            created=policy.created_at.date().isoformat(),
        )
    if method not in METHODS:
        raise Refused("receipts.method", "refused.receipt_method", method=method, methods=", ".join(METHODS))
    store = book.store
    with store.transaction():
        if store.conn.execute(
            "SELECT 1 FROM receipts WHERE employee_id = ? AND policy_version = ?", (employee.id, policy.version)
        ).fetchone():
            raise Refused("receipts.once", "refused.receipt_twice", email=employee.email, version=policy.version)
        store.conn.execute(
            "INSERT INTO receipts (employee_id, policy_version, received_on, method, recorded_by, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                employee.id,
                policy.version,
                received_on.isoformat(),
                method,
                session.user.name,
                clocks.to_text(session.now()),
            ),
        )
        session.audit(
            "receipt.recorded",
            audit.reference("employee", employee.id),
            {"version": policy.version, "received_on": received_on.isoformat(), "method": method},
        )
    return next(s for s in statuses(session) if s.employee.email == employee.email)


def receipt_form(
    session: Session, email: str, place: str = "", when: date | None = None, markdown: bool = False
) -> str:
    """The filled-in ONTVANGSTBEWIJS of the current policy for one employee, ready to print and sign.

    The administrator's: it names the employee, found by their e-mail address."""
    session.require(Action.MANAGE_EMPLOYEES)
    book: Casebook = session.casebook
    employee = find(session, email)
    policy = current(book)
    doc = policy.document
    part = next((s for s in doc.sections if s.level == 1 and "ontvangstbewijs" in s.key), None)
    if part is None:
        raise Refused("receipts.form", "refused.receipt_no_form")
    blank = "……………………"
    values = {
        "employee_name": employee.name,
        "receipt_place": place or blank,
        "receipt_date": when.strftime("%d/%m/%Y") if when else blank,
    }
    lines = [("# " if markdown else "") + part.title, ""]
    for section in doc.within(part):
        if section is not part:
            lines += [("#" * (section.level + 1) + " " if markdown else "") + section.heading, ""]
        for block in section.blocks:
            if not document.visible(block, policy.settings):
                continue
            for line in block.lines:
                text = document.NOTE_REF.sub("", document.plain_text(line, policy.settings, values, blank))
                lines.append(f"- {text}" if block.kind == "list" else text)
            lines.append("")
    lines += [
        "",
        f"{'_' if markdown else ''}(policy versie {policy.version}, {employee.email}){'_' if markdown else ''}",
    ]
    return "\n".join(lines).rstrip() + "\n"
