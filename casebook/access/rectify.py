"""Rectification (GDPR art. 16): correct the person's directory entry, or add their statement to their data.

Under a rectification request not yet decided, whoever keeps the directory corrects the entry of the
request's person: name, department, proxy user, mail addresses, IP addresses with their periods. The
typical case: an address that was a colleague's for a while, whose period on this person is ended (and
which the directory import then gives to the colleague). The corrected entry is read as a row of the
directory's CSV is (`employees.parse_row`), and is refused when it would make an identifier belong to two
people at once (`employees.overlaps`): individualisation must never name the wrong person. A statement of
the person ("the visits of 3 March were a colleague at my desk") is kept with the request and shows in
the copy of every later access answer.

Before and after: the audit trail can never be erased and names people by reference only, so the values
live in the `rectifications` table, with the person (erasure and the deletion of the person take them
along). The trail gets, in the same transaction, a row naming `employee:<id>`, the request, the record's
id, the fields changed, and a SHA-256 digest of the record's content. The sealed chain thus proves the
record was not altered afterwards (`Rectification.sealed`), while holding no name or address. The digest
is salted with a random value kept in the record only: once the record is erased, nobody can test the
digest against a guessed name or address.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from casebook import audit, employees
from casebook import clock as clocks
from casebook.access.requests import DECIDED, OPEN, Kind, Request, Status, get
from casebook.employees import Employee
from casebook.errors import Refused
from casebook.i18n import t
from casebook.permissions import Action
from casebook.plaintext import one_line

if TYPE_CHECKING:
    from casebook.session import Session
    from casebook.store import Store

# What a correction may change, in the directory CSV's column names and syntax.
FIELDS = ("name", "department", "proxy_user", "mail_addresses", "ips")
LISTS = frozenset({"mail_addresses", "ips"})
CORRECTED = "access.rectified"
ANNOTATED = "access.annotated"


@dataclass(frozen=True)
class Rectification:
    id: int
    request_id: int
    kind: str  # "correction" or "annotation"
    before: dict[str, Any]  # a correction's changed fields as they were ({} for an annotation)
    after: dict[str, Any]  # the same fields as corrected
    text: str  # the handler's note, or the person's statement
    made_by: str
    made_at: datetime
    sealed: bool  # the audit trail holds this record's digest as it is now

    @property
    def fields(self) -> list[str]:
        return [f for f in FIELDS if f in self.after]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "request": self.request_id,
            "kind": self.kind,
            "fields": self.fields,
            "before": self.before,
            "after": self.after,
            "text": self.text,
            "by": self.made_by,
            "at": clocks.to_text(self.made_at),
            "sealed": self.sealed,
        }


def shown(value: Any) -> str:
    """A field's value as the CSV writes it: lists joined with ';'."""
    return ";".join(value) if isinstance(value, list) else str(value)


def _fields(employee: Employee) -> dict[str, Any]:
    row = employees.as_row(employee)
    return {f: [v for v in row[f].split(";") if v] if f in LISTS else row[f] for f in FIELDS}


def _digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _content(row: Mapping[str, Any]) -> dict[str, Any]:
    """What the digest covers: every column of the record but its id (the audit row names the id)."""
    return {
        "request": int(row["request_id"]),
        "employee": int(row["employee_id"]),
        "kind": str(row["kind"]),
        "before": json.loads(row["before"]) if row["before"] else None,
        "after": json.loads(row["after"]) if row["after"] else None,
        "text": str(row["text"]),
        "by": str(row["made_by"]),
        "at": str(row["made_at"]),
        "salt": str(row["salt"]),
    }


def _rectifiable(session: Session, request_id: int) -> Request:
    request = get(session, request_id)
    if request.kind is not Kind.RECTIFICATION:
        raise Refused("access.kind", "refused.rectify_kind", id=request.id, kind=request.kind.value)
    if request.status not in OPEN | DECIDED:
        raise Refused(
            "access.open", "refused.access_closed", id=request.id, status=t(f"access.status.{request.status.value}")
        )
    return request


def entry(session: Session, request_id: int) -> dict[str, str]:
    """The directory entry of the request's person as the CSV writes it: what a correction starts from."""
    session.require(Action.RECTIFY)
    request = _rectifiable(session, request_id)
    return employees.as_row(employees.load(session, request.employee_id))


def _record(session: Session, request: Request, kind: str, before: Any, after: Any, text: str) -> tuple[int, str]:
    """Insert the record, start the request if nobody had, and return the record's id and digest."""
    store = session.casebook.store
    row = {
        "request_id": request.id,
        "employee_id": request.employee_id,
        "kind": kind,
        "before": json.dumps(before, ensure_ascii=False) if before is not None else None,
        "after": json.dumps(after, ensure_ascii=False) if after is not None else None,
        "text": text,
        "made_by": session.user.name,
        "made_at": clocks.to_text(session.now()),
        "salt": secrets.token_hex(16),
    }
    record_id = int(
        store.conn.execute(
            f"INSERT INTO rectifications ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
        ).lastrowid
        or 0
    )
    if request.status is Status.RECEIVED:
        store.conn.execute("UPDATE requests SET status = 'in_progress' WHERE id = ?", (request.id,))
        session.audit("access.started", audit.reference("employee", request.employee_id), {"request": request.id})
    return record_id, _digest(_content(row))


def correct(session: Session, request_id: int, changes: Mapping[str, str], note: str) -> Rectification:
    """Correct the entry of the request's person; only the fields in `changes` (CSV syntax) change.

    Refused when the request is no open rectification, the note is missing, a value is malformed, nothing
    changes, or an identifier would belong to someone else in the same period.
    """
    session.require(Action.RECTIFY)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a field of the directory entry: {', '.join(sorted(unknown))}")
    note = one_line(note)
    if len(note) < 10:
        raise Refused("access.rectify_note", "refused.rectify_note")
    store = session.casebook.store
    with store.transaction():  # read, check and write under the write lock: no import slips in between
        request = _rectifiable(session, request_id)
        current = employees.load(session, request.employee_id)
        corrected, errors = employees.parse_row(0, {**employees.as_row(current), **changes})
        if corrected is None:
            raise Refused("employees.entry", "refused.rectify_invalid", problems="; ".join(e.message for e in errors))
        before, after = _fields(current), _fields(corrected)
        changed = [f for f in FIELDS if before[f] != after[f]]
        if not changed:
            raise Refused("access.rectify_change", "refused.rectify_nothing")
        claims = employees.overlaps(session, [(0, corrected)])
        if claims:
            raise Refused(
                "employees.one_holder", "refused.rectify_claimed", problems="; ".join(e.message for e in claims)
            )
        employees.write_entry(store, request.employee_id, corrected, clocks.to_text(session.now()))
        record_id, digest = _record(
            session, request, "correction", {f: before[f] for f in changed}, {f: after[f] for f in changed}, note
        )
        session.audit(
            CORRECTED,
            audit.reference("employee", request.employee_id),
            {"request": request.id, "record": record_id, "fields": changed, "digest": digest},
        )
    return _one(session, record_id)


def annotate(session: Session, request_id: int, text: str) -> Rectification:
    """Keep the person's statement on their data with the request; later access answers show it."""
    session.require(Action.RECTIFY)
    text = one_line(text)
    if len(text) < 3:
        raise Refused("access.annotation", "refused.annotation_empty")
    store = session.casebook.store
    with store.transaction():
        request = _rectifiable(session, request_id)
        record_id, digest = _record(session, request, "annotation", None, None, text)
        session.audit(
            ANNOTATED,
            audit.reference("employee", request.employee_id),
            {"request": request.id, "record": record_id, "digest": digest},
        )
    return _one(session, record_id)


def _sealed_digests(store: Store, employee_id: int) -> dict[int, str]:
    rows = store.query(
        "SELECT detail FROM audit WHERE subject = ? AND action IN (?, ?)",
        [audit.reference("employee", employee_id), CORRECTED, ANNOTATED],
    )
    out = {}
    for row in rows:
        detail = json.loads(str(row["detail"]))
        out[int(detail["record"])] = str(detail["digest"])
    return out


def _rectifications(store: Store, where: str, params: list[object]) -> list[Rectification]:
    rows = store.query(f"SELECT * FROM rectifications WHERE {where} ORDER BY id", params)
    digests: dict[int, dict[int, str]] = {}
    out = []
    for row in rows:
        employee_id = int(row["employee_id"])
        if employee_id not in digests:
            digests[employee_id] = _sealed_digests(store, employee_id)
        out.append(
            Rectification(
                id=int(row["id"]),
                request_id=int(row["request_id"]),
                kind=str(row["kind"]),
                before=json.loads(row["before"]) if row["before"] else {},
                after=json.loads(row["after"]) if row["after"] else {},
                text=str(row["text"]),
                made_by=str(row["made_by"]),
                made_at=clocks.from_text(str(row["made_at"])),
                sealed=digests[employee_id].get(int(row["id"])) == _digest(_content(row)),
            )
        )
    return out


def _one(session: Session, record_id: int) -> Rectification:
    return _rectifications(session.casebook.store, "id = ?", [record_id])[0]


def made(session: Session, request_id: int) -> list[Rectification]:
    """What was corrected and stated under a request, oldest first: for whoever may see the request."""
    request = get(session, request_id)  # the same check as the request itself: their own, or handled
    return _rectifications(session.casebook.store, "request_id = ?", [request.id])


def of_person(store: Store, employee_id: int) -> list[Rectification]:
    """Every correction and statement about a person, for their access answer (the caller checked)."""
    return _rectifications(store, "employee_id = ?", [employee_id])


@dataclass(frozen=True)
class Kept:
    """A directory row whose corrected fields the import kept: the HR file still held what was corrected."""

    line: int
    email: str
    fields: list[str]


def _same(field_: str, one: Any, other: Any) -> bool:
    # A list's order is the file's, not the person's: the same addresses in another order are the same.
    return sorted(one) == sorted(other) if field_ in LISTS else bool(one == other)


def keep_corrections(
    session: Session, people: list[tuple[int, Employee]]
) -> tuple[list[tuple[int, Employee]], list[Kept]]:
    """The directory's rows with what a rectification corrected kept, where the file still holds the old value.

    A correction (GDPR art. 16) fixes the casebook's copy; the HR system it is imported from may still hold
    the value that was wrong, and its next export would quietly put it back. So a field whose latest
    correction replaced exactly the value the file now gives keeps its corrected value, and the import says
    so (the source should be fixed too). A file giving a third value is new information and wins.
    """
    store = session.casebook.store
    by_email = {str(r[1]): int(r[0]) for r in store.conn.execute("SELECT id, email FROM employees")}
    corrected: dict[int, dict[str, Any]] = {}  # employee id -> field -> the value its latest correction replaced
    for employee_id, before in store.conn.execute(
        "SELECT employee_id, before FROM rectifications WHERE kind = 'correction' ORDER BY id"
    ):
        corrected.setdefault(int(employee_id), {}).update(json.loads(before or "{}"))
    merged: list[tuple[int, Employee]] = []
    kept: list[Kept] = []
    for line, incoming in people:
        employee_id = by_email.get(incoming.email)
        replaced = corrected.get(employee_id, {}) if employee_id is not None else {}
        given = _fields(incoming)
        fields_ = [f for f in FIELDS if f in replaced and _same(f, given[f], replaced[f])]
        if employee_id is None or not fields_:
            merged.append((line, incoming))
            continue
        current = employees.as_row(employees.load(session, employee_id))
        entry_, _ = employees.parse_row(line, {**employees.as_row(incoming), **{f: current[f] for f in fields_}})
        assert entry_ is not None  # both rows were read as valid, and each field comes whole from one of them
        merged.append((line, entry_))
        kept.append(Kept(line, incoming.email, fields_))
    return merged, kept
