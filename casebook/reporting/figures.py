"""The figures the reports are made of, read from the core's own tables for one period (whole local days).

Cases: the controls performed (a control run, or a consultation of professional data) by purpose and
circumstance, the decisions, the irregularities found, the individualisations (approved, carried out,
what matched nobody), every step after them (notification, invitation, hearing, suspension), the
sanctions by kind, cases opened and closed, and the legal deadlines (art. 35: the dismissal's decision
and its written reasons) met or missed. Requests (GDPR art. 12-21): received, decided, extended, and
their one-month deadline met or missed. Purges: how many, what they deleted. Usage: the global figures
per category per month, from the rollups, small groups folded there.

A step counts in the period when it was taken on one of its days (Brussels time). A deadline counts
once it is settled in the period (the step taken, in time or late), or as still open at the period's
end (overdue, or still running), where the end is today at the latest. Nothing here names a person:
people are counted, cases are numbered.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.logs import rollups
from casebook.logs.rollups import Figures, Period, Row

if TYPE_CHECKING:
    from casebook.store import Store

# How a deadline ended up, in the order the reports show them.
OUTCOMES = ("met", "late", "overdue", "running")


def _day(moment: object) -> date:
    return clocks.local(clocks.from_text(str(moment))).date()


def _optional_day(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _in(day: date | None, span: Period, until: date | None = None) -> bool:
    return day is not None and span.first_day <= day <= (until or span.last_day)


def deadline(done: date | None, due: date, span: Period, until: date) -> str | None:
    """How a deadline stands for the period: met or late when settled in it, overdue or running when still
    open at its end (`until`: the last day, today at the latest); None when it has nothing to do with it."""
    if done is not None and _in(done, span, until):
        return "met" if done <= due else "late"
    if done is None or done > until:
        return "overdue" if due < until else "running"
    return None


@dataclass(frozen=True)
class CaseLine:
    """A case the period concerns, as the board reads it: numbered, no person, no free text."""

    id: int
    purpose: int
    circumstance: str
    opened_on: date
    state: str  # where it stood at the period's end (today at the latest)
    findings: int
    people: int
    closed_on: date | None
    nothing_found: bool
    late_steps: int
    on_hold: bool


@dataclass(frozen=True)
class CaseFigures:
    controls: dict[tuple[int, str], int]  # (purpose, circumstance) -> cases whose control was performed
    control_runs: int  # control steps taken (a case's control may run again)
    global_runs: int  # runs of the rules outside any case (permanent control)
    decided: int  # cases opened (decisions taken)
    closed: int
    open_at_end: int
    by_state: dict[str, int]  # the cases the period concerns, by where they stood at its end (`state_on`)
    approved: int
    executed: int
    executed_nobody: int  # individualisations that resolved nobody
    unresolved_events: int  # events of approved findings that matched no one in the directory
    identified: int
    not_informed: int
    steps: dict[str, int]  # notify, invite, hear, suspend: steps taken on people
    sanctions: dict[str, int]  # by kind: "dismissal", "none", "restriction:internet", "work_rules:blaam", ...
    deadlines: dict[str, int]  # by outcome (OUTCOMES)
    late_steps: int  # steps recorded after their legal deadline
    cases: list[CaseLine] = field(default_factory=list)


@dataclass(frozen=True)
class IrregularityLine:
    purpose: int
    rule: str
    found: int
    in_case: int  # of which a case took up


@dataclass(frozen=True)
class RequestFigures:
    received: dict[str, int]  # by kind
    decided: dict[str, int]  # by decision: granted, partly, refused
    extended: int
    deadlines: dict[str, int]  # by outcome (OUTCOMES)


@dataclass(frozen=True)
class PurgeFigures:
    runs: int
    deleted: dict[str, int]  # rows per table, summed over the runs
    last_cutoff: datetime | None


@dataclass(frozen=True)
class Month:
    first_day: date  # the month's first day (the figures cover its days within the period)
    totals: Figures
    categories: list[Row]  # empty when who was there is no longer known
    # False when the month has figures but who was there was deleted with the retention period: its people
    # cannot be counted, nor can its categories be told apart by the rule on small groups.
    people_known: bool = True


def until_of(span: Period, today: date) -> date:
    return min(span.last_day, today)


def cases(store: Store, span: Period, today: date) -> CaseFigures:
    until = until_of(span, today)
    rows = store.query("SELECT * FROM cases ORDER BY id")
    by_id = {int(r["id"]): r for r in rows}
    steps = store.query(
        "SELECT case_id, case_person_id, verb, at, detail, late, case_state FROM case_steps ORDER BY id"
    )
    in_period = [s for s in steps if _in(_day(s["at"]), span)]
    verbs = Counter(str(s["verb"]) for s in in_period)

    performed = {int(s["case_id"]) for s in in_period if s["verb"] in ("control", "consult")}
    controls: Counter[tuple[int, str]] = Counter(
        (int(by_id[i]["purpose"]), str(by_id[i]["circumstance"])) for i in performed
    )
    individualised = [json.loads(str(s["detail"])) for s in in_period if s["verb"] == "individualise"]

    concerned = []
    for r in rows:
        opened, closed = _day(r["opened_at"]), _day(r["closed_at"]) if r["closed_at"] else None
        if opened <= span.last_day and (closed is None or closed >= span.first_day):
            concerned.append(r)
    open_at_end = sum(
        1 for r in rows if _day(r["opened_at"]) <= until and (not r["closed_at"] or _day(r["closed_at"]) > until)
    )

    sanctions: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for s in store.query(
        "SELECT kind, detail, restricts, decided_on, decision_due, reasons_due, reasons_on FROM sanctions"
    ):
        decided_on = date.fromisoformat(str(s["decided_on"]))
        if _in(decided_on, span):
            sanctions[_sanction_kind(s)] += 1
        if s["kind"] != "dismissal":
            continue
        if s["decision_due"] and _in(decided_on, span, until):
            outcomes[deadline(decided_on, date.fromisoformat(str(s["decision_due"])), span, until) or ""] += 1
        if s["reasons_due"] and decided_on <= until:
            settled = deadline(_optional_day(s["reasons_on"]), date.fromisoformat(str(s["reasons_due"])), span, until)
            if settled:
                outcomes[settled] += 1

    holds = {int(r["case_id"]) for r in store.query("SELECT case_id FROM holds WHERE released_at IS NULL")}
    counts = {
        int(r["case_id"]): (int(r["findings"]), int(r["people"]))
        for r in store.query(
            "SELECT c.id AS case_id, (SELECT count(*) FROM case_findings f WHERE f.case_id = c.id) AS findings,"
            " (SELECT count(*) FROM case_people p WHERE p.case_id = c.id) AS people FROM cases c"
        )
    }
    late_by_case = Counter(int(s["case_id"]) for s in steps if s["late"])
    # Where each case stood at the period's end: what its last step up to then left it in (steps in id order).
    state_on: dict[int, str] = {}
    for s in steps:
        if s["case_state"] and _day(s["at"]) <= until:
            state_on[int(s["case_id"])] = str(s["case_state"])
    lines = [
        CaseLine(
            int(r["id"]),
            int(r["purpose"]),
            str(r["circumstance"]),
            _day(r["opened_at"]),
            state_on.get(int(r["id"]), str(r["state"])),
            *counts.get(int(r["id"]), (0, 0)),
            _day(r["closed_at"]) if r["closed_at"] else None,
            r["outcome"] == "nothing_found",
            late_by_case.get(int(r["id"]), 0),
            int(r["id"]) in holds,
        )
        for r in concerned
    ]
    return CaseFigures(
        controls=dict(sorted(controls.items())),
        control_runs=verbs["control"],
        global_runs=_global_runs(store, span),
        decided=verbs["open"],
        closed=sum(1 for r in rows if r["closed_at"] and _in(_day(r["closed_at"]), span)),
        open_at_end=open_at_end,
        by_state=dict(Counter(line.state for line in lines)),
        approved=verbs["approve"],
        executed=verbs["individualise"],
        executed_nobody=sum(1 for d in individualised if not d.get("people")),
        unresolved_events=sum(int(d.get("unresolved", 0)) for d in individualised),
        identified=sum(len(d.get("people", [])) for d in individualised),
        not_informed=sum(len(d.get("not_informed", [])) for d in individualised),
        steps={verb: verbs[verb] for verb in ("notify", "invite", "hear", "suspend")},
        sanctions=dict(sorted(sanctions.items())),
        deadlines={outcome: outcomes[outcome] for outcome in OUTCOMES},
        late_steps=sum(1 for s in in_period if s["late"]),
        cases=lines,
    )


def _sanction_kind(row: dict[str, Any]) -> str:
    """A sanction's kind as the reports group them: a work-rules sanction by its name, a restriction by what."""
    kind = str(row["kind"])
    if kind == "work_rules":
        return f"work_rules:{' '.join(str(row['detail']).split()) or '?'}"
    if kind == "restriction":
        return f"restriction:{row['restricts'] or 'internet'}"
    return kind


def _global_runs(store: Store, span: Period) -> int:
    """The rules run over everyone's data outside a case: the permanent control (audited, one row a run)."""
    rows = store.query(
        "SELECT at FROM audit WHERE action = 'control.rules_run' AND (subject IS NULL OR subject NOT LIKE 'case:%')"
    )
    return sum(1 for r in rows if _in(_day(r["at"]), span))


def irregularities(store: Store, span: Period) -> list[IrregularityLine]:
    rows = store.query(
        """SELECT i.purpose, i.rule, count(*) AS found,
                  sum(EXISTS (SELECT 1 FROM case_findings f WHERE f.irregularity_id = i.id)) AS in_case
           FROM irregularities i WHERE i.day BETWEEN ? AND ? GROUP BY i.purpose, i.rule ORDER BY i.purpose, i.rule""",
        [span.first_day.isoformat(), span.last_day.isoformat()],
    )
    return [IrregularityLine(int(r["purpose"]), str(r["rule"]), int(r["found"]), int(r["in_case"])) for r in rows]


def requests(store: Store, span: Period, today: date) -> RequestFigures:
    until = until_of(span, today)
    received: Counter[str] = Counter()
    decided: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    extended = 0
    for r in store.query("SELECT * FROM requests ORDER BY id"):
        received_on = date.fromisoformat(str(r["received_on"]))
        if received_on > until:
            continue
        if _in(received_on, span):
            received[str(r["kind"])] += 1
        decided_on = _optional_day(r["decided_on"])
        if r["extension_reason"] and _in(received_on, span):
            extended += 1
        due = _optional_day(r["extended_to"]) or date.fromisoformat(str(r["due_on"]))
        settled = deadline(decided_on, due, span, until)
        if settled:
            outcomes[settled] += 1
    # The decision as it was taken (the audit trail keeps it; the request's status moves on to "done").
    for row in store.query("SELECT at, detail FROM audit WHERE action = 'access.decided'"):
        if _in(_day(row["at"]), span):
            decided[str(json.loads(str(row["detail"])).get("decision", "granted"))] += 1
    return RequestFigures(
        dict(sorted(received.items())),
        dict(sorted(decided.items())),
        extended,
        {outcome: outcomes[outcome] for outcome in OUTCOMES},
    )


def purges(store: Store, span: Period) -> PurgeFigures:
    rows = [r for r in store.query("SELECT at, cutoff, counts FROM purges ORDER BY at") if _in(_day(r["at"]), span)]
    deleted: Counter[str] = Counter()
    for r in rows:
        deleted.update({str(k): int(v) for k, v in json.loads(str(r["counts"])).items()})
    last = clocks.from_text(str(rows[-1]["cutoff"])) if rows else None
    return PurgeFigures(len(rows), dict(deleted), last)


def months(span: Period) -> list[Period]:
    """The calendar months the period touches, each cut to the period."""
    out = []
    first = span.first_day
    while first <= span.last_day:
        next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        out.append(Period(first, min(span.last_day, next_month - timedelta(days=1))))
        first = next_month
    return out


def usage(store: Store, span: Period, minimum: int) -> list[Month]:
    """Per month of the period: the global totals and the categories, small groups folded by the rollups."""
    out = []
    for part in months(span):
        totals = rollups.period_totals(store, part, minimum)
        first, last = part.days
        present = store.query_one(
            "SELECT 1 AS x FROM rollup_category_users WHERE day BETWEEN ? AND ? LIMIT 1", [first, last]
        )
        if totals.requests and present is None:
            out.append(Month(part.first_day.replace(day=1), totals, [], people_known=False))
            continue
        out.append(Month(part.first_day.replace(day=1), totals, rollups.period_categories(store, part, minimum)))
    return out
