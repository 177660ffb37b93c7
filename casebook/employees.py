"""The employee directory: who works here, and the identifiers by which they appear in logs.

The directory comes from a CSV export (HR or the mail server). An import is
all or nothing: every bad row is reported with its line number, and if there
is one, nothing is saved.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook import identity
from casebook.clock import parse_day
from casebook.errors import Refused
from casebook.i18n import t
from casebook.permissions import Action
from casebook.plaintext import one_line

if TYPE_CHECKING:
    from casebook.access.rectify import Kept
    from casebook.session import Session
    from casebook.store import Store

REQUIRED_COLUMNS = ("name", "email")
OPTIONAL_COLUMNS = ("department", "proxy_user", "mail_addresses", "ips")
# Dutch headers an HR export may carry.
_ALIASES = {"naam": "name", "e-mail": "email", "mail": "email", "afdeling": "department",
            "proxygebruiker": "proxy_user", "mailadressen": "mail_addresses", "ip": "ips"}  # fmt: skip


@dataclass(frozen=True)
class Identifier:
    kind: str  # proxy_user, mail, ip
    value: str
    valid_from: date | None = None
    valid_to: date | None = None

    def overlaps(self, other: Identifier) -> bool:
        if (self.kind, self.value) != (other.kind, other.value):
            return False
        starts_before_other_ends = (
            self.valid_from is None or other.valid_to is None or self.valid_from <= other.valid_to
        )
        ends_after_other_starts = self.valid_to is None or other.valid_from is None or self.valid_to >= other.valid_from
        return starts_before_other_ends and ends_after_other_starts

    def shown(self) -> str:
        if self.valid_from is None and self.valid_to is None:
            return self.value
        return f"{self.value}@{self.valid_from or ''}..{self.valid_to or ''}"


@dataclass
class Employee:
    name: str
    email: str
    department: str = ""
    identifiers: list[Identifier] = field(default_factory=list)
    id: int | None = None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class DirectoryImport:
    rows: int = 0
    added: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Rows whose rectified fields were kept: the file still held what a correction replaced (access.rectify).
    kept: list[Kept] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.errors


def parse_ip(text: str) -> Identifier:
    """'10.0.0.5', '10.0.0.5@2026-01-01..2026-06-30', '10.0.0.5@2026-07-01..' (dates inclusive)."""
    address, _, period = text.partition("@")
    start_text, _, end_text = period.partition("..")
    start = parse_day(start_text) if start_text.strip() else None
    end = parse_day(end_text) if end_text.strip() else None
    if start and end and end < start:
        raise ValueError(text)
    return Identifier("ip", identity.normalise_ip(address), start, end)


_USER_NAME = re.compile(r"^[\w][\w.$'-]*$")


def parse_row(line: int, row: dict[str, str]) -> tuple[Employee | None, list[RowError]]:
    """One row of the directory (the CSV's columns by name): the entry, or what is wrong with it."""
    errors: list[RowError] = []

    def bad(key: str, **params: object) -> None:
        errors.append(RowError(line, t(key, **params)))

    name = one_line(row.get("name"))
    if not name:
        bad("employees.error.no_name")
    try:
        email = identity.normalise_mail(row.get("email") or "")
    except ValueError:
        bad("employees.error.bad_email", value=row.get("email") or "")
        email = ""
    identifiers: list[Identifier] = []
    if email:
        identifiers.append(Identifier("mail", email))
    if proxy := (row.get("proxy_user") or "").strip():
        user = identity.normalise_user(proxy)
        # What a directory account name can hold; a spreadsheet formula or a bare realm would match nobody.
        if _USER_NAME.match(user):
            identifiers.append(Identifier("proxy_user", user))
        else:
            bad("employees.error.bad_user", value=proxy)
    for mail in filter(None, (m.strip() for m in (row.get("mail_addresses") or "").replace(";", " ").split())):
        try:
            value = identity.normalise_mail(mail)
        except ValueError:
            bad("employees.error.bad_email", value=mail)
            continue
        if value != email:
            identifiers.append(Identifier("mail", value))
    for entry in filter(None, (e.strip() for e in (row.get("ips") or "").split(";"))):
        try:
            identifiers.append(parse_ip(entry))
        except ValueError:
            bad("employees.error.bad_ip", value=entry)
    if errors:
        return None, errors
    return Employee(name, email, one_line(row.get("department")), identifiers), []


def parse_csv(text: str) -> tuple[list[tuple[int, Employee]], list[RowError]]:
    """Read the directory; file-level problems are refused, row problems are listed.

    A file saved by Excel starts with a byte-order mark and separates with semicolons: both are read.
    """
    text = text.removeprefix("\ufeff")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise Refused("employees.csv", "refused.csv_empty")
    columns = {name: _ALIASES.get(name.strip().lower(), name.strip().lower()) for name in reader.fieldnames}
    missing = [c for c in REQUIRED_COLUMNS if c not in columns.values()]
    if missing:
        raise Refused(
            "employees.csv",
            "refused.csv_columns",
            missing=", ".join(missing),
            found=", ".join(reader.fieldnames),
            expected=", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
        )
    people: list[tuple[int, Employee]] = []
    errors: list[RowError] = []
    seen_email: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        row = {columns[k]: (v or "") for k, v in raw.items() if k is not None}
        if not any(v.strip() for v in row.values()):
            continue
        employee, row_errors = parse_row(line, row)
        errors += row_errors
        if employee is None:
            continue
        if employee.email in seen_email:
            errors.append(
                RowError(
                    line, t("employees.error.duplicate_email", email=employee.email, first=seen_email[employee.email])
                )
            )
            continue
        seen_email[employee.email] = line
        people.append((line, employee))
    return people, errors


def _identifier(row: dict[str, Any]) -> Identifier:
    return Identifier(
        str(row["kind"]),
        str(row["value"]),
        date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
        date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
    )


def _existing_claims(session: Session, emails: set[str]) -> list[tuple[str, Identifier]]:
    """Identifiers held by employees the file does not mention (their claims stay)."""
    rows = session.casebook.store.query(
        "SELECT e.email, i.kind, i.value, i.valid_from, i.valid_to FROM identifiers i "
        "JOIN employees e ON e.id = i.employee_id"
    )
    return [(str(r["email"]), _identifier(r)) for r in rows if r["email"] not in emails]


def overlaps(session: Session, people: list[tuple[int, Employee]]) -> list[RowError]:
    """One identifier, one person at a time: otherwise individualisation could name the wrong employee.

    Claims are grouped by (kind, value), so a directory of thousands is checked in one pass, not pairwise.
    """
    errors: list[RowError] = []
    claims: dict[tuple[str, str], list[tuple[int | None, str, Identifier]]] = {}
    for email, ident in _existing_claims(session, {e.email for _, e in people}):
        claims.setdefault((ident.kind, ident.value), []).append((None, email, ident))
    for line, employee in people:
        for ident in employee.identifiers:
            same = claims.setdefault((ident.kind, ident.value), [])
            for other_line, other_email, other in same:
                if other_email != employee.email and ident.overlaps(other):
                    where = (
                        t("employees.error.line", line=other_line) if other_line else t("employees.error.in_casebook")
                    )
                    errors.append(
                        RowError(
                            line, t("employees.error.claimed", value=ident.shown(), other=other_email, where=where)
                        )
                    )
            same.append((line, employee.email, ident))
    return errors


def write_entry(store: Store, employee_id: int, employee: Employee, now: str) -> None:
    """Replace a person's name, department and identifiers; the caller holds the transaction and its audit row."""
    store.conn.execute(
        "UPDATE employees SET name = ?, department = ?, updated_at = ? WHERE id = ?",
        (employee.name, employee.department, now, employee_id),
    )
    store.conn.execute("DELETE FROM identifiers WHERE employee_id = ?", (employee_id,))
    store.conn.executemany(
        "INSERT INTO identifiers (employee_id, kind, value, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)",
        [
            (
                employee_id,
                i.kind,
                i.value,
                i.valid_from.isoformat() if i.valid_from else None,
                i.valid_to.isoformat() if i.valid_to else None,
            )
            for i in employee.identifiers
        ],
    )


def as_row(employee: Employee) -> dict[str, str]:
    """The entry as a row of the directory's CSV: what `parse_row` reads back into the same entry."""
    ids = employee.identifiers
    return {
        "name": employee.name,
        "email": employee.email,
        "department": employee.department,
        "proxy_user": next((i.value for i in ids if i.kind == "proxy_user"), ""),
        "mail_addresses": ";".join(i.value for i in ids if i.kind == "mail" and i.value != employee.email),
        "ips": ";".join(i.shown() for i in ids if i.kind == "ip"),
    }


def import_csv(session: Session, text: str) -> DirectoryImport:
    session.require(Action.MANAGE_EMPLOYEES)
    people, errors = parse_csv(text)
    report = DirectoryImport(rows=len(people) + len({e.line for e in errors}))
    # Imported here: rectification builds on this module.
    from casebook.access.rectify import keep_corrections

    people, report.kept = keep_corrections(session, people)
    errors += overlaps(session, people)
    if errors:
        report.errors = sorted(errors, key=lambda e: e.line)
        return report
    store = session.casebook.store
    now = clocks.to_text(session.now())
    with store.transaction():
        for _, employee in people:
            row = store.conn.execute("SELECT id FROM employees WHERE email = ?", (employee.email,)).fetchone()
            if row:
                write_entry(store, int(row[0]), employee, now)
                report.updated += 1
            else:
                cursor = store.conn.execute(
                    "INSERT INTO employees (name, email, department, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    (employee.name, employee.email, employee.department, now, now),
                )
                write_entry(store, int(cursor.lastrowid or 0), employee, now)
                report.added += 1
        session.audit(
            "employees.imported",
            None,
            {"rows": report.rows, "added": report.added, "updated": report.updated, "kept_rectified": len(report.kept)},
        )
    return report


def _load(session: Session, where: str = "", params: tuple[object, ...] = ()) -> list[Employee]:
    store = session.casebook.store
    people = {
        int(r["id"]): Employee(str(r["name"]), str(r["email"]), str(r["department"]), [], int(r["id"]))
        for r in store.query(f"SELECT id, name, email, department FROM employees {where} ORDER BY name, email", params)
    }
    if not people:
        return []
    marks = ", ".join("?" * len(people))
    for r in store.query(
        f"SELECT employee_id, kind, value, valid_from, valid_to FROM identifiers WHERE employee_id IN ({marks}) "
        "ORDER BY id",
        tuple(people),
    ):
        people[int(r["employee_id"])].identifiers.append(_identifier(r))
    return list(people.values())


def _as_seen_by(session: Session, people: list[Employee]) -> list[Employee]:
    """Names and departments for everyone who may see the directory; e-mail and identifiers for its keeper."""
    if session.may(Action.MANAGE_EMPLOYEES):
        return people
    return [Employee(p.name, "", p.department, [], p.id) for p in people]


def list_employees(session: Session) -> list[Employee]:
    session.require(Action.VIEW_DIRECTORY)
    return _as_seen_by(session, _load(session))


def load(session: Session, employee_id: int) -> Employee:
    """One entry by its id, identifiers included: the core's own read (the caller checked the permission)."""
    found = _load(session, "WHERE id = ?", (employee_id,))
    assert found, f"employee {employee_id} is referenced but missing"  # rows that name a person keep it (foreign keys)
    return found[0]


def find(session: Session, email: str) -> Employee:
    """One employee by e-mail address: the administrator's look-up (whoever else knows the address may not)."""
    session.require(Action.MANAGE_EMPLOYEES)
    found = _load(session, "WHERE email = ?", (email.strip().lower(),))
    if not found:
        raise Refused("employees.exists", "refused.no_such_employee", email=email)
    return found[0]
