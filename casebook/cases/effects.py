"""What each step of the case procedure writes, once its guards let it through.

Each effect runs inside the step's transaction and returns what the timeline records (no identity:
people by their case_people row, employees by reference). The state a step leads to is in the
procedure table; the control decides its own (findings or not).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from casebook import audit, rules
from casebook import clock as clocks
from casebook.cases import deadlines, individualise, letters
from casebook.cases.guards import Ctx
from casebook.cases.model import CaseState, LetterKind, PersonState, SanctionKind
from casebook.cases.records import load
from casebook.i18n import t


def _save_letter(ctx: Ctx, kind: LetterKind, text: str, person_id: int | None) -> int:
    assert ctx.case is not None or kind is LetterKind.WARNING
    case_id = ctx.case.id if ctx.case else ctx.params["case_id"]
    row = ctx.store.conn.execute(
        "SELECT coalesce(max(version), 0) + 1 FROM case_letters WHERE case_id = ? AND kind = ? AND "
        "coalesce(case_person_id, 0) = ?",
        (case_id, kind.value, person_id or 0),
    ).fetchone()
    version = int(row[0])
    ctx.store.conn.execute(
        "INSERT INTO case_letters (case_id, case_person_id, kind, version, text, saved_by, saved_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (case_id, person_id, kind.value, version, text, ctx.session.user.name, clocks.to_text(ctx.now)),
    )
    return version


def signatory(ctx: Ctx) -> str:
    return ctx.session.user.display_name


def _letter_text(ctx: Ctx, kind: LetterKind, extra: dict[str, Any] | None = None) -> str:
    """The text given with the step (edited), else the draft made from the case as it now stands."""
    given = str(ctx.params.get("letter") or "").strip()
    if given:
        return given + "\n"
    assert ctx.case is not None
    case = load(ctx.store, ctx.case.id, identities=True)
    assert case is not None
    person = next((p for p in case.people if ctx.person and p.id == ctx.person.id), None)
    return letters.draft(kind, case, ctx.policy, signatory(ctx), ctx.today, person=person, extra=extra)


def open_case(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    case_id = int(
        ctx.store.conn.execute(
            "INSERT INTO cases (purpose, circumstance, period_from, period_to, sources, reason, state, opened_by,"
            " opened_at) VALUES (?, ?, ?, ?, ?, ?, 'decided', ?, ?)",
            (
                p["purpose"],
                p["circumstance"].value,
                p["first"].isoformat(),
                p["last"].isoformat(),
                json.dumps(sorted(s.value for s in p["sources"])),
                " ".join(str(p["reason"]).split()),
                ctx.session.user.name,
                clocks.to_text(ctx.now),
            ),
        ).lastrowid
        or 0
    )
    ctx.params["case_id"] = case_id
    ctx.store.conn.executemany(
        "INSERT INTO case_findings (case_id, irregularity_id, stage, added_at) VALUES (?, ?, 'opened', ?)",
        [(case_id, i, clocks.to_text(ctx.now)) for i in p.get("irregularities", ())],
    )
    return {
        "purpose": p["purpose"],
        "circumstance": p["circumstance"].value,
        "from": p["first"].isoformat(),
        "to": p["last"].isoformat(),
        "irregularities": list(p.get("irregularities", ())),
    }


def control(ctx: Ctx) -> dict[str, Any]:
    """Run the case's purpose's rules over its scope (never beyond today) and attach what they found."""
    case = ctx.case
    assert case is not None
    last = min(case.period_to, ctx.today)
    report = rules.execute(ctx.session, case.period_from, last, (case.purpose,), audit.reference("case", case.id))
    # What this run found, not whatever the table holds for those days: an irregularity another case keeps as
    # its evidence may no longer be one under the policy as it stands now.
    seen = ", ".join(str(int(i)) for i in report.seen) or "NULL"
    after = case.warning
    if after is not None:
        # Purpose 4 after the warning: only the warned rules, with an event after the warning's moment, are a
        # recurrence. Irregularities are per day, so the warning's own day also holds what came before it.
        warned_day = clocks.local(after.told_at).date()
        found = ctx.store.query(
            f"""SELECT i.id FROM irregularities i WHERE i.purpose = ? AND i.day BETWEEN ? AND ?
                AND i.id IN ({seen}) AND i.rule IN ({", ".join("?" * len(after.rules))})
                AND EXISTS (SELECT 1 FROM irregularity_events x
                            LEFT JOIN events e ON x.kind = 'event' AND e.id = x.ref_id
                            LEFT JOIN mail_events m ON x.kind = 'mail' AND m.id = x.ref_id
                            LEFT JOIN visits v ON x.kind = 'visit' AND v.id = x.ref_id
                            WHERE x.irregularity_id = i.id AND coalesce(e.ts, m.ts, v.start) > ?)""",
            [
                case.purpose,
                max(case.period_from, warned_day).isoformat(),
                last.isoformat(),
                *after.rules,
                after.told_at.timestamp(),
            ],
        )
        stage = "recurrence"
    else:
        found = ctx.store.query(
            f"SELECT id FROM irregularities WHERE purpose = ? AND day BETWEEN ? AND ? AND id IN ({seen})",
            [case.purpose, case.period_from.isoformat(), last.isoformat()],
        )
        stage = "control"
    before = {f.irregularity_id for f in case.findings}
    new = [int(r["id"]) for r in found if int(r["id"]) not in before]
    ctx.store.conn.executemany(
        "INSERT INTO case_findings (case_id, irregularity_id, stage, added_at) VALUES (?, ?, ?, ?)",
        [(case.id, i, stage, clocks.to_text(ctx.now)) for i in new],
    )
    has_findings = bool(before or new)
    if after is not None:
        ctx.params["state"] = CaseState.CONTROLLED if new else CaseState.WARNED
    elif has_findings:
        ctx.params["state"] = CaseState.CONTROLLED
    else:
        # Nothing found and no warning pending: the case ends with that outcome.
        ctx.params["state"] = CaseState.CLOSED
        ctx.params["outcome"] = ctx.params.get("outcome") or "nothing_found"
    return {"days": report.days, "rules": report.rules, "found": len(new), "stage": stage, "until": last.isoformat()}


def warn(ctx: Ctx) -> dict[str, Any]:
    case = ctx.case
    assert case is not None
    told_at: datetime = ctx.params.get("told_at") or ctx.now
    warned_rules = sorted({f.rule for f in case.findings})
    ctx.store.conn.execute(
        "INSERT INTO case_warnings (case_id, rules, told_how, told_at, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            case.id,
            json.dumps(warned_rules),
            str(ctx.params["told_how"]).strip(),
            clocks.to_text(told_at),
            ctx.session.user.name,
            clocks.to_text(ctx.now),
        ),
    )
    version = _save_letter(ctx, LetterKind.WARNING, str(ctx.params["text"]).rstrip() + "\n", None)
    return {"rules": warned_rules, "told_at": clocks.to_text(told_at), "letter_version": version}


def approve(ctx: Ctx) -> dict[str, Any]:
    assert ctx.case is not None
    ctx.store.conn.execute("UPDATE cases SET approved_by = ? WHERE id = ?", (ctx.session.user.name, ctx.case.id))
    stages = ("recurrence",) if ctx.case.purpose == 4 else ("opened", "control")
    return {"findings": [f.irregularity_id for f in ctx.case.findings if f.stage in stages]}


def _informed(ctx: Ctx, employee_id: int, first_fact: datetime) -> bool:
    """A receipt, received by the day of the first fact, of a policy version that existed by then (art. 8)."""
    day = clocks.local(first_fact).date()
    row = ctx.store.query_one(
        "SELECT 1 AS x FROM receipts r JOIN policy_versions v ON v.version = r.policy_version"
        " WHERE r.employee_id = ? AND r.received_on <= ? AND substr(v.created_at, 1, 10) <= ?",
        [employee_id, day.isoformat(), day.isoformat()],
    )
    return row is not None


def individualise_case(ctx: Ctx) -> dict[str, Any]:
    """Resolve the approved findings' events to people: the one use of the key backwards, audited."""
    case = ctx.case
    assert case is not None
    stages = ("recurrence",) if case.purpose == 4 else ("opened", "control")
    ids = [f.irregularity_id for f in case.findings if f.stage in stages]
    refs = [
        (str(r["kind"]), int(r["ref_id"]))
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500))
        for r in ctx.store.query(
            f"SELECT kind, ref_id FROM irregularity_events WHERE irregularity_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
    ]
    after = case.warning.told_at if case.purpose == 4 and case.warning else None
    resolution = individualise.resolve(ctx.book, refs, after=after)
    people = []
    for employee_id, events in sorted(resolution.people.items()):
        first_fact = min(moment for _, _, moment in events)
        state = PersonState.IDENTIFIED if _informed(ctx, employee_id, first_fact) else PersonState.NOT_INFORMED
        person_id = int(
            ctx.store.conn.execute(
                "INSERT INTO case_people (case_id, employee_id, state, first_fact, events) VALUES (?, ?, ?, ?, ?)",
                (case.id, employee_id, state.value, clocks.to_text(first_fact), len(events)),
            ).lastrowid
            or 0
        )
        ctx.store.conn.executemany(
            "INSERT INTO case_person_events (case_person_id, kind, ref_id) VALUES (?, ?, ?)",
            [(person_id, kind, ref_id) for kind, ref_id, _ in events],
        )
        people.append((employee_id, state))
    return {
        "events": resolution.events,
        "unresolved": resolution.unresolved,
        "people": [audit.reference("employee", e) for e, _ in people],
        "not_informed": [audit.reference("employee", e) for e, s in people if s is PersonState.NOT_INFORMED],
        "after": clocks.to_text(after) if after else None,
    }


def consult(ctx: Ctx) -> dict[str, Any]:
    return {"consulted": " ".join(str(ctx.params["what"]).split())}


def notify(ctx: Ctx) -> dict[str, Any]:
    assert ctx.person is not None
    version = _save_letter(ctx, LetterKind.NOTIFICATION, _letter_text(ctx, LetterKind.NOTIFICATION), ctx.person.id)
    return {"letter_version": version}


def invite(ctx: Ctx) -> dict[str, Any]:
    assert ctx.person is not None
    at: datetime = ctx.params["at"]
    place = " ".join(str(ctx.params["place"]).split())
    ctx.store.conn.execute(
        "UPDATE case_people SET hearing_at = ?, hearing_place = ? WHERE id = ?",
        (clocks.to_text(at), place, ctx.person.id),
    )
    text = _letter_text(ctx, LetterKind.INVITATION, {"hearing_at": at, "hearing_place": place})
    version = _save_letter(ctx, LetterKind.INVITATION, text, ctx.person.id)
    return {"at": clocks.to_text(at), "place": place, "letter_version": version}


def hear(ctx: Ctx) -> dict[str, Any]:
    """The minutes, with the employee's own explanation; the hearing's day is when the facts became certain."""
    assert ctx.person is not None
    held = ctx.person.hearing_at or ctx.now
    ctx.store.conn.execute(
        "UPDATE case_people SET known_on = coalesce(known_on, ?) WHERE id = ?",
        (clocks.local(held).date().isoformat(), ctx.person.id),
    )
    minutes = str(ctx.params["minutes"]).strip()
    delegate = str(ctx.params.get("delegate") or "").strip()
    text = _letter_text(ctx, LetterKind.MINUTES, {"minutes": minutes, "delegate": delegate})
    version = _save_letter(ctx, LetterKind.MINUTES, text, ctx.person.id)
    return {"letter_version": version, "delegate": bool(delegate)}


def suspend(ctx: Ctx) -> dict[str, Any]:
    assert ctx.person is not None
    kind = ctx.params["kind"]
    reason = " ".join(str(ctx.params["reason"]).split())
    ctx.store.conn.execute(
        "UPDATE case_people SET suspension = ?, known_on = coalesce(known_on, ?) WHERE id = ?",
        (f"{kind.value}: {reason}", ctx.today.isoformat(), ctx.person.id),
    )
    return {"kind": kind.value, "written_defence": True}


def sanction(ctx: Ctx) -> dict[str, Any]:
    """The decision; for a dismissal the two deadlines of art. 35, a late one recorded and warned, not blocked."""
    person = ctx.person
    assert person is not None
    p = ctx.params
    kind: SanctionKind = p["kind"]
    decided_on = ctx.today
    decision_due = reasons_due = None
    if kind is SanctionKind.DISMISSAL:
        known: date = p.get("known") or person.known_on or decided_on
        if p.get("known"):
            ctx.store.conn.execute(
                "UPDATE case_people SET known_on = ?, known_reason = ? WHERE id = ?",
                (known.isoformat(), str(p["known_reason"]).strip(), person.id),
            )
        decision_due = deadlines.dismissal_decision_due(known)
        reasons_due = deadlines.dismissal_reasons_due(decided_on)
        if decided_on > decision_due:
            ctx.late = True
            ctx.warnings.append(t("case.warning.decision_late", due=decision_due.isoformat(), known=known.isoformat()))
    until: date | None = p.get("until")
    restricts = p.get("restricts")
    ctx.store.conn.execute(
        "INSERT INTO sanctions (case_person_id, kind, detail, restricts, partial, until, decided_on, decision_due,"
        " reasons_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            person.id,
            kind.value,
            " ".join(str(p.get("detail") or "").split()),
            restricts.value if restricts is not None else None,
            int(bool(p.get("partial"))),
            until.isoformat() if until else None,
            decided_on.isoformat(),
            decision_due.isoformat() if decision_due else None,
            reasons_due.isoformat() if reasons_due else None,
        ),
    )
    version = _save_letter(ctx, LetterKind.SANCTION, _letter_text(ctx, LetterKind.SANCTION), person.id)
    return {
        "kind": kind.value,
        "decision_due": decision_due.isoformat() if decision_due else None,
        "reasons_due": reasons_due.isoformat() if reasons_due else None,
        "letter_version": version,
    }


def reasons(ctx: Ctx) -> dict[str, Any]:
    """The written reasons of a dismissal delivered: when, and how (art. 35)."""
    person = ctx.person
    assert person is not None and person.sanction is not None
    on: date = ctx.params.get("on") or ctx.today
    if on > ctx.today:
        on = ctx.today
    ctx.store.conn.execute(
        "UPDATE sanctions SET reasons_on = ?, reasons_by = ? WHERE case_person_id = ?",
        (on.isoformat(), ctx.params["delivery"].value, person.id),
    )
    due = person.sanction.reasons_due
    if due is not None and on > due:
        ctx.late = True
        ctx.warnings.append(t("case.warning.reasons_late", due=due.isoformat()))
    return {"on": on.isoformat(), "delivery": ctx.params["delivery"].value}


def save_letter(ctx: Ctx) -> dict[str, Any]:
    kind: LetterKind = ctx.params["letter_kind"]
    version = _save_letter(ctx, kind, str(ctx.params["letter"]).rstrip() + "\n", ctx.person.id if ctx.person else None)
    return {"kind": kind.value, "letter_version": version}


def close(ctx: Ctx) -> dict[str, Any]:
    assert ctx.case is not None
    return {"outcome": " ".join(str(ctx.params["outcome"]).split())}
