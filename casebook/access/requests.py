"""The employee's requests (GDPR art. 12-21): information, access, rectification, erasure, objection.

A request is answered within one calendar month of its receipt (31 January + 1 month is 28 or 29
February); it may be extended by two more months once, if the reason is recorded before the first
month ends (art. 12(3)). A refusal says why. The employee files their own (signed in, own data only);
the administrator may file one on their behalf, recording how their identity was checked; the
administrator and the IT officer handle them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from casebook import audit
from casebook.errors import Refused
from casebook.i18n import t
from casebook.permissions import Action

if TYPE_CHECKING:
    from casebook.session import Session
    from casebook.store import Store


class Kind(StrEnum):
    INFORMATION = "information"
    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    OBJECTION = "objection"


class Status(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    EXTENDED = "extended"
    GRANTED = "granted"
    PARTLY = "partly"
    REFUSED = "refused"
    DONE = "done"


OPEN = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.EXTENDED})
DECIDED = frozenset({Status.GRANTED, Status.PARTLY})
FIRST_MONTH = relativedelta(months=1)
EXTENSION = relativedelta(months=2)


@dataclass(frozen=True)
class Request:
    id: int
    employee_id: int
    employee_email: str
    employee_name: str
    kind: Kind
    text: str
    received_on: date
    due_on: date  # the deadline now: one month, or the extended one
    first_due_on: date
    extension_reason: str | None
    status: Status
    decision_reason: str | None
    filed_by: str
    identity_check: str | None
    decided_by: str | None
    decided_on: date | None
    done_on: date | None

    def overdue(self, today: date) -> bool:
        return self.status in OPEN and today > self.due_on

    def as_json(self, today: date) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "employee": self.employee_email,
            "status": self.status.value,
            "received": self.received_on.isoformat(),
            "due": self.due_on.isoformat(),
            "overdue": self.overdue(today),
            "extension_reason": self.extension_reason,
            "decision_reason": self.decision_reason,
            "text": self.text,
        }


_SELECT = """SELECT r.*, e.email, e.name FROM requests r JOIN employees e ON e.id = r.employee_id"""


def _request(row: dict[str, Any]) -> Request:
    first_due = date.fromisoformat(str(row["due_on"]))
    extended = date.fromisoformat(str(row["extended_to"])) if row["extended_to"] else None
    return Request(
        id=int(row["id"]),
        employee_id=int(row["employee_id"]),
        employee_email=str(row["email"]),
        employee_name=str(row["name"]),
        kind=Kind(str(row["kind"])),
        text=str(row["text"]),
        received_on=date.fromisoformat(str(row["received_on"])),
        due_on=extended or first_due,
        first_due_on=first_due,
        extension_reason=row["extension_reason"],
        status=Status(str(row["status"])),
        decision_reason=row["decision_reason"],
        filed_by=str(row["filed_by"]),
        identity_check=row["identity_check"],
        decided_by=row["decided_by"],
        decided_on=date.fromisoformat(row["decided_on"]) if row["decided_on"] else None,
        done_on=date.fromisoformat(row["done_on"]) if row["done_on"] else None,
    )


def due_date(received: date) -> date:
    """One calendar month after receipt; relativedelta clips to the month's last day (31 Jan -> 28/29 Feb)."""
    return received + FIRST_MONTH


def own_employee(session: Session) -> int:
    """The directory entry the signed-in employee's account is linked to; without a link, nothing."""
    row = session.casebook.store.query_one("SELECT employee_id FROM users WHERE id = ?", [session.user.id])
    if row is None or row["employee_id"] is None:
        raise Refused("access.linked", "refused.access_not_linked", name=session.user.name)
    return int(row["employee_id"])


def _employee_by_email(store: Store, email: str) -> int:
    row = store.query_one("SELECT id FROM employees WHERE email = ?", [email.strip().lower()])
    if row is None:
        raise Refused("employees.exists", "refused.no_such_employee", email=email)
    return int(row["id"])


def file(
    session: Session,
    kind: Kind,
    *,
    text: str = "",
    for_email: str | None = None,
    identity_check: str = "",
    received_on: date | None = None,
) -> Request:
    """File a request: the employee their own, the administrator one on an employee's behalf."""
    store = session.casebook.store
    today = session.today()
    if for_email is None:
        session.require(Action.REQUEST_OWN)
        employee_id = own_employee(session)
        identity_check = ""
    else:
        session.require(Action.REQUEST_FOR)
        employee_id = _employee_by_email(store, for_email)
        if len(identity_check.strip()) < 3:
            raise Refused("access.identity", "refused.access_identity")
    received = received_on or today
    if received > today:
        raise Refused("access.date", "refused.access_received_future", date=received.isoformat())
    with store.transaction():
        row_id = int(
            store.conn.execute(
                "INSERT INTO requests (employee_id, kind, text, received_on, due_on, status, filed_by, identity_check)"
                " VALUES (?, ?, ?, ?, ?, 'received', ?, ?)",
                (
                    employee_id,
                    kind.value,
                    " ".join(text.split()),
                    received.isoformat(),
                    due_date(received).isoformat(),
                    session.user.name,
                    identity_check.strip() or None,
                ),
            ).lastrowid
            or 0
        )
        session.audit(
            "access.requested",
            audit.reference("employee", employee_id),
            {"request": row_id, "kind": kind.value, "on_behalf": for_email is not None},
        )
    return _load(store, row_id)


def _load(store: Store, request_id: int) -> Request:
    row = store.query_one(f"{_SELECT} WHERE r.id = ?", [request_id])
    if row is None:
        raise Refused("access.exists", "refused.access_missing", id=request_id)
    return _request(row)


def get(session: Session, request_id: int) -> Request:
    """A request, for whoever handles requests, or for the employee it is theirs."""
    request = _load(session.casebook.store, request_id)
    _require_own_or_manager(session, request)
    return request


def _require_own_or_manager(session: Session, request: Request) -> None:
    if session.may(Action.REQUEST_MANAGE):
        session.require(Action.REQUEST_MANAGE)
        return
    session.require(Action.REQUEST_OWN)
    if own_employee(session) != request.employee_id:
        # Said the same way as a request that does not exist: nothing about anyone else.
        raise Refused("access.exists", "refused.access_missing", id=request.id)


def listing(session: Session, *, only_due: bool = False, limit: int = 100, offset: int = 0) -> list[Request]:
    """Requests, most urgent first: all of them for whoever handles them, the employee's own otherwise."""
    store = session.casebook.store
    where, params = [], []
    if session.may(Action.REQUEST_MANAGE):
        session.require(Action.REQUEST_MANAGE)
    else:
        session.require(Action.REQUEST_OWN)
        where.append("r.employee_id = ?")
        params.append(own_employee(session))
    if only_due:
        where.append("r.status IN ('received', 'in_progress', 'extended')")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = store.query(
        f"""{_SELECT} {clause}
            ORDER BY (r.status IN ('received', 'in_progress', 'extended')) DESC, coalesce(r.extended_to, r.due_on),
                     r.id DESC LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    )
    return [_request(r) for r in rows]


def _change(
    session: Session, request: Request, action: str, sql: str, params: tuple[object, ...], detail: dict[str, Any]
) -> Request:
    store = session.casebook.store
    with store.transaction():
        store.conn.execute(sql, params)
        session.audit(action, audit.reference("employee", request.employee_id), {"request": request.id, **detail})
    return _load(store, request.id)


def start(session: Session, request_id: int) -> Request:
    """Someone began to answer it (received -> in progress)."""
    session.require(Action.REQUEST_MANAGE)
    request = _load(session.casebook.store, request_id)
    if request.status is not Status.RECEIVED:
        return request
    return _change(
        session, request, "access.started", "UPDATE requests SET status = 'in_progress' WHERE id = ?", (request.id,), {}
    )


def extend(session: Session, request_id: int, reason: str) -> Request:
    """Two more months, once, with the reason recorded before the first month ends (art. 12(3))."""
    session.require(Action.REQUEST_MANAGE)
    request = _load(session.casebook.store, request_id)
    if request.status not in OPEN:
        raise Refused(
            "access.open", "refused.access_closed", id=request.id, status=t(f"access.status.{request.status.value}")
        )
    if request.extension_reason:
        raise Refused("access.extension", "refused.access_extended_once", id=request.id)
    if session.today() > request.first_due_on:
        raise Refused("access.extension", "refused.access_extension_late", due=request.first_due_on.isoformat())
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise Refused("access.extension", "refused.access_extension_reason")
    until = request.received_on + FIRST_MONTH + EXTENSION
    return _change(
        session,
        request,
        "access.extended",
        "UPDATE requests SET status = 'extended', extended_to = ?, extension_reason = ? WHERE id = ?",
        (until.isoformat(), reason, request.id),
        {"until": until.isoformat()},
    )


def decide(session: Session, request_id: int, status: Status, reason: str = "") -> Request:
    """Granted, partly granted or refused; a refusal or a partial grant states its reason.

    Granting an erasure erases (casebook.access.erasure). A rectification is corrected before it is
    decided (casebook.access.rectify), and decided by whoever may correct it.
    """
    from casebook.access import erasure  # erasure reads requests: imported when a decision needs it

    session.require(Action.REQUEST_MANAGE)
    store = session.casebook.store
    request = _load(store, request_id)
    if request.kind is Kind.RECTIFICATION:
        session.require(Action.RECTIFY)
    if request.status not in OPEN:
        raise Refused(
            "access.open", "refused.access_closed", id=request.id, status=t(f"access.status.{request.status.value}")
        )
    if status not in (Status.GRANTED, Status.PARTLY, Status.REFUSED):
        raise Refused("access.decision", "refused.access_decision")
    reason = " ".join(reason.split())
    if status is not Status.GRANTED and len(reason) < 10:
        raise Refused("access.reason", "refused.access_reason")
    detail: dict[str, Any] = {"decision": status.value}
    with store.transaction():
        if request.kind is Kind.ERASURE and status in DECIDED:
            detail["erased"] = erasure.erase(session, request.employee_id)
        late = session.today() > request.due_on
        done = request.kind in (Kind.ERASURE, Kind.RECTIFICATION, Kind.OBJECTION) or status is Status.REFUSED
        store.conn.execute(
            "UPDATE requests SET status = ?, decision_reason = ?, decided_by = ?, decided_on = ?, done_on = ?"
            " WHERE id = ?",
            (
                Status.DONE.value if done and status is not Status.REFUSED else status.value,
                reason or None,
                session.user.name,
                session.today().isoformat(),
                session.today().isoformat() if done else None,
                request.id,
            ),
        )
        session.audit(
            "access.decided",
            audit.reference("employee", request.employee_id),
            {"request": request.id, "late": late, **detail},
        )
    return _load(store, request.id)


def mark_done(session: Session, request_id: int) -> Request:
    """The answer reached the employee (an access copy exported and handed over)."""
    session.require(Action.REQUEST_MANAGE)
    request = _load(session.casebook.store, request_id)
    if request.status not in DECIDED:
        return request
    return _change(
        session,
        request,
        "access.answered",
        "UPDATE requests SET status = 'done', done_on = ? WHERE id = ?",
        (session.today().isoformat(), request.id),
        {},
    )


def overdue(session: Session) -> list[Request]:
    today = session.today()
    return [r for r in listing(session, only_due=True, limit=10_000) if r.overdue(today)]
