"""Reading cases from the casebook: one case whole, lists, the sanctions register, the due list.

Identities (the people a case individualised) are read only for the case's participants (whoever
took a step on it) and administrators; for anyone else a case shows how many people it names, not
who. Every reading that shows identities is written to the audit trail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from casebook import audit
from casebook import clock as clocks
from casebook.cases import deadlines
from casebook.cases.model import (
    Case,
    CaseState,
    Circumstance,
    Finding,
    Person,
    PersonState,
    Sanction,
    SanctionKind,
    Source,
    Step,
    Warning,
)
from casebook.errors import Refused
from casebook.permissions import Action
from casebook.rules import Irregularity
from schema.roles import Role

if TYPE_CHECKING:
    from casebook.session import Session
    from casebook.store import Store


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _moment(value: object) -> datetime | None:
    return clocks.from_text(str(value)) if value else None


def participants(store: Store, case_id: int) -> set[str]:
    """The accounts that took a step on the case: they see its identities."""
    rows = store.query("SELECT DISTINCT by FROM case_steps WHERE case_id = ?", [case_id])
    return {str(r["by"]) for r in rows}


def may_see_identities(session: Session, case_id: int) -> bool:
    if Role.ADMIN in session.roles:
        return True
    return session.user.name in participants(session.casebook.store, case_id)


def load(store: Store, case_id: int, *, identities: bool) -> Case | None:
    """The whole case as the core's own read (the procedure checks its guards against it)."""
    row = store.query_one("SELECT * FROM cases WHERE id = ?", [case_id])
    if row is None:
        return None
    warning_row = store.query_one("SELECT * FROM case_warnings WHERE case_id = ?", [case_id])
    warning = (
        Warning(
            tuple(json.loads(str(warning_row["rules"]))),
            str(warning_row["told_how"]),
            clocks.from_text(str(warning_row["told_at"])),
            str(warning_row["issued_by"]),
        )
        if warning_row
        else None
    )
    people = _people(store, case_id)
    steps = [
        Step(
            clocks.from_text(str(r["at"])),
            str(r["by"]),
            str(r["verb"]),
            r["case_person_id"],
            json.loads(str(r["detail"])),
            bool(r["late"]),
        )
        for r in store.query("SELECT * FROM case_steps WHERE case_id = ? ORDER BY id", [case_id])
    ]
    unresolved = sum(int(s.detail.get("unresolved", 0)) for s in steps if s.verb == "individualise")
    return Case(
        id=int(row["id"]),
        purpose=int(row["purpose"]),
        circumstance=Circumstance(str(row["circumstance"])),
        period_from=date.fromisoformat(str(row["period_from"])),
        period_to=date.fromisoformat(str(row["period_to"])),
        sources=tuple(Source(s) for s in json.loads(str(row["sources"]))),
        reason=str(row["reason"]),
        state=CaseState(str(row["state"])),
        version=int(row["version"]),
        opened_by=str(row["opened_by"]),
        opened_at=clocks.from_text(str(row["opened_at"])),
        approved_by=row["approved_by"],
        outcome=row["outcome"],
        closed_at=_moment(row["closed_at"]),
        findings=findings(store, case_id),
        warning=warning,
        people=people if identities else [],
        people_count=len(people),
        unresolved=unresolved,
        timeline=steps,
        identities_shown=identities and bool(people),
    )


def findings(store: Store, case_id: int) -> list[Finding]:
    rows = store.query(
        """SELECT f.irregularity_id, f.stage, i.rule, i.purpose, i.day, i.subject, i.figures,
                  (SELECT count(*) FROM irregularity_events x WHERE x.irregularity_id = i.id) AS events
           FROM case_findings f JOIN irregularities i ON i.id = f.irregularity_id
           WHERE f.case_id = ? ORDER BY i.day, i.rule, i.subject""",
        [case_id],
    )
    out = []
    for r in rows:
        irregularity = Irregularity.of_row(r, "irregularity_id")
        out.append(
            Finding(
                irregularity.id,
                irregularity.rule,
                irregularity.day,
                irregularity.summary,
                str(r["stage"]),
                irregularity.events,
            )
        )
    return out


def _people(store: Store, case_id: int) -> list[Person]:
    rows = store.query(
        """SELECT p.*, e.name, e.email, e.department, e.protected,
                  s.kind, s.detail, s.restricts, s.partial, s.until, s.decided_on, s.decision_due, s.reasons_due,
                  s.reasons_on, s.reasons_by
           FROM case_people p JOIN employees e ON e.id = p.employee_id
           LEFT JOIN sanctions s ON s.case_person_id = p.id
           WHERE p.case_id = ? ORDER BY p.id""",
        [case_id],
    )
    out = []
    for r in rows:
        sanction = (
            Sanction(
                str(r["kind"]),
                str(r["detail"]),
                r["restricts"],
                bool(r["partial"]),
                _day(r["until"]),
                date.fromisoformat(str(r["decided_on"])),
                _day(r["decision_due"]),
                _day(r["reasons_due"]),
                _day(r["reasons_on"]),
                r["reasons_by"],
            )
            if r["kind"] is not None
            else None
        )
        out.append(
            Person(
                id=int(r["id"]),
                employee_id=int(r["employee_id"]),
                name=str(r["name"]),
                email=str(r["email"]),
                department=str(r["department"]),
                protected=bool(r["protected"]),
                state=PersonState(str(r["state"])),
                first_fact=clocks.from_text(str(r["first_fact"])),
                events=int(r["events"]),
                hearing_at=_moment(r["hearing_at"]),
                hearing_place=r["hearing_place"],
                suspension=r["suspension"],
                known_on=_day(r["known_on"]),
                sanction=sanction,
            )
        )
    return out


def show(session: Session, case_id: int) -> Case:
    """One case as the signed-in person may see it; showing identities is audited."""
    session.require(Action.CASE_VIEW)
    store = session.casebook.store
    identities = may_see_identities(session, case_id)
    case = load(store, case_id, identities=identities)
    if case is None:
        raise Refused("case.exists", "refused.case_missing", case=case_id)
    people = [audit.reference("employee", p.employee_id) for p in case.people]
    # Once per sign-in for the same people: the case's page reloads after every step taken on it.
    seen = ("case.viewed", case_id, *people)
    if case.identities_shown and seen not in session.seen:
        with store.transaction():
            session.audit("case.viewed", audit.reference("case", case_id), {"people": people})
        session.seen.add(seen)
    return case


@dataclass(frozen=True)
class CaseLine:
    """A case in a list: enough to choose it, no identity."""

    id: int
    purpose: int
    circumstance: Circumstance
    state: CaseState
    period_from: date
    period_to: date
    opened_at: datetime
    findings: int
    people: int
    due: date | None  # the nearest date something is due on it
    overdue: bool


def listing(
    session: Session,
    *,
    state: CaseState | None = None,
    purpose: int | None = None,
    only_due: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[CaseLine]:
    """Cases newest first, a page at a time; `only_due` keeps those with something waiting."""
    session.require(Action.CASE_VIEW)
    store = session.casebook.store
    where, params = [], []
    if state is not None:
        where.append("c.state = ?")
        params.append(state.value)
    if purpose is not None:
        where.append("c.purpose = ?")
        params.append(purpose)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    due_by_case: dict[int, list[DueItem]] = {}
    for item in due_items(store, session.today()):
        due_by_case.setdefault(item.case_id, []).append(item)
    if only_due:
        ids = sorted(due_by_case, reverse=True)
        clause = (clause + " AND " if clause else "WHERE ") + f"c.id IN ({', '.join('?' * len(ids)) or 'NULL'})"
        params.extend(ids)
    rows = store.query(
        f"""SELECT c.*, (SELECT count(*) FROM case_findings f WHERE f.case_id = c.id) AS findings,
                   (SELECT count(*) FROM case_people p WHERE p.case_id = c.id) AS people
            FROM cases c {clause} ORDER BY c.id DESC LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    )
    out = []
    for r in rows:
        items = due_by_case.get(int(r["id"]), [])
        dated = [i.due for i in items if i.due is not None]
        out.append(
            CaseLine(
                int(r["id"]),
                int(r["purpose"]),
                Circumstance(str(r["circumstance"])),
                CaseState(str(r["state"])),
                date.fromisoformat(str(r["period_from"])),
                date.fromisoformat(str(r["period_to"])),
                clocks.from_text(str(r["opened_at"])),
                int(r["findings"]),
                int(r["people"]),
                min(dated) if dated else None,
                any(i.overdue for i in items),
            )
        )
    return out


@dataclass(frozen=True)
class DueItem:
    """A step waiting on a case, with its date when the law or the case gives one."""

    case_id: int
    case_person_id: int | None
    verb: str  # the step that is due
    due: date | None
    overdue: bool


def due_items(store: Store, today: date) -> list[DueItem]:
    """What waits on every open case: the next step, and the running deadlines (the core's own read)."""
    items: list[DueItem] = []
    for row in store.query("SELECT id, state, purpose, circumstance, period_to FROM cases WHERE state != 'closed'"):
        case_id, state = int(row["id"]), CaseState(str(row["state"]))
        period_to = date.fromisoformat(str(row["period_to"]))
        if state is CaseState.DECIDED and row["circumstance"] != Circumstance.PROFESSIONAL:
            # The control can run on the whole scope once its last day is over.
            due = min(period_to, today)
            items.append(DueItem(case_id, None, "control", due, False))
        elif state is CaseState.CONTROLLED:
            items.append(DueItem(case_id, None, "approve", None, False))
        elif state is CaseState.APPROVED:
            items.append(DueItem(case_id, None, "individualise", None, False))
        elif state is CaseState.CONSULTED:
            items.append(DueItem(case_id, None, "close", None, False))
    people = store.query(
        """SELECT p.id, p.case_id, p.state, p.hearing_at, p.known_on, s.kind, s.decision_due, s.reasons_due,
                  s.reasons_on
           FROM case_people p JOIN cases c ON c.id = p.case_id LEFT JOIN sanctions s ON s.case_person_id = p.id
           WHERE c.state != 'closed'"""
    )
    for r in people:
        case_id, person_id, state = int(r["case_id"]), int(r["id"]), PersonState(str(r["state"]))
        if state is PersonState.IDENTIFIED:
            items.append(DueItem(case_id, person_id, "notify", None, False))
        elif state is PersonState.NOTIFIED:
            items.append(DueItem(case_id, person_id, "invite", None, False))
        elif state is PersonState.INVITED:
            hearing = clocks.local(clocks.from_text(str(r["hearing_at"]))).date() if r["hearing_at"] else None
            items.append(DueItem(case_id, person_id, "hear", hearing, bool(hearing and hearing < today)))
        elif state in (PersonState.HEARD, PersonState.SUSPENDED):
            # The decision waits; the date is the last day a dismissal for serious cause could still be given
            # (art. 35): a running deadline for that decision only, never an overdue step for the others.
            known = _day(r["known_on"])
            due = deadlines.dismissal_decision_due(known) if known else None
            items.append(DueItem(case_id, person_id, "sanction", due, False))
        elif state is PersonState.SANCTIONED and r["kind"] == SanctionKind.DISMISSAL and not r["reasons_on"]:
            due = _day(r["reasons_due"])
            items.append(DueItem(case_id, person_id, "reasons", due, bool(due and due < today)))
    return items


def due(session: Session) -> list[DueItem]:
    session.require(Action.CASE_VIEW)
    return due_items(session.casebook.store, session.today())


@dataclass(frozen=True)
class RegisterLine:
    """A line of the sanctions register (law of 8 April 1965): which case, whom, what, when."""

    case_id: int
    employee_id: int
    name: str
    kind: str
    detail: str
    decided_on: date


def sanctions_register(session: Session) -> list[RegisterLine]:
    """Every sanction imposed, oldest first: the register the work-rules law asks for (supervisors, admins)."""
    session.require(Action.CASE_VIEW)
    rows = session.casebook.store.query(
        """SELECT p.case_id, p.employee_id, e.name, s.kind, s.detail, s.decided_on
           FROM sanctions s JOIN case_people p ON p.id = s.case_person_id JOIN employees e ON e.id = p.employee_id
           WHERE s.kind != 'none' ORDER BY s.decided_on, s.id"""
    )
    return [
        RegisterLine(
            int(r["case_id"]),
            int(r["employee_id"]),
            str(r["name"]),
            str(r["kind"]),
            str(r["detail"]),
            date.fromisoformat(str(r["decided_on"])),
        )
        for r in rows
    ]


def json_of(case: Case) -> dict[str, Any]:
    """`case show --json`: the agreed keys (id, purpose, step, version, irregularities, people) and the rest."""
    return {
        "id": case.id,
        "purpose": case.purpose,
        "circumstance": case.circumstance.value,
        "step": case.state.value,
        "version": case.version,
        "from": case.period_from.isoformat(),
        "to": case.period_to.isoformat(),
        "sources": [s.value for s in case.sources],
        "reason": case.reason,
        "irregularities": [f.irregularity_id for f in case.findings],
        "findings": [
            {
                "irregularity": f.irregularity_id,
                "rule": f.rule,
                "day": f.day.isoformat(),
                "stage": f.stage,
                "summary": f.summary,
            }
            for f in case.findings
        ],
        "warning": None
        if case.warning is None
        else {
            "rules": list(case.warning.rules),
            "told_how": case.warning.told_how,
            "told_at": clocks.to_text(case.warning.told_at),
        },
        "people_count": case.people_count,
        "unresolved": case.unresolved,
        "people": [
            {
                "email": p.email,
                "name": p.name,
                "step": p.state.value,
                "sanction": None if p.sanction is None else p.sanction.kind,
                "decision_due": p.sanction.decision_due.isoformat() if p.sanction and p.sanction.decision_due else None,
            }
            for p in case.people
        ],
        "outcome": case.outcome,
        "timeline": [{"at": clocks.to_text(s.at), "by": s.by, "step": s.verb, "late": s.late} for s in case.timeline],
    }
