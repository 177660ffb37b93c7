"""The answer to an access request (GDPR art. 15): what is processed and why, and a copy of the person's data.

The information part says the purposes, the categories of data, the recipients, how long and where
data is kept, the rights (rectification, erasure, restriction, objection), the complaint to the Data
Protection Authority, the source, and that no decision is automated. The copy holds the directory
entry and identifiers, the visits and events that resolve to the person within the retention period
(resolved with the key for this answer only, audited), the cases concerning them, their receipts,
their requests, what was corrected in their entry and the statements they added (rectification), and the
audit rows about them.

Whoever handles requests sees the answer before deciding (a preview); the employee sees it once the
request is granted, and only their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from casebook import audit
from casebook import clock as clocks
from casebook.access import personal, rectify
from casebook.access.requests import DECIDED, Kind, Request, Status, get
from casebook.errors import Refused
from casebook.formatting import long_date
from casebook.i18n import t_in
from casebook.permissions import Action
from casebook.policy import versions

if TYPE_CHECKING:
    from casebook.session import Session

LANGUAGE = "nl"  # the answer goes to the employee: in Dutch


@dataclass(frozen=True)
class Visit:
    domain: str
    start: datetime
    end: datetime
    requests: int
    bytes: int


@dataclass
class Answer:
    request: Request
    information: list[tuple[str, str]]  # (heading, text)
    person: dict[str, Any]
    identifiers: list[dict[str, Any]]
    counts: dict[str, int]
    since: date  # the retention window's first day: older data is no longer kept
    cases: list[dict[str, Any]] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    audit_rows: list[dict[str, Any]] = field(default_factory=list)
    # Rectification: their statements on their data, and what was corrected in their entry (before, after).
    annotations: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)


def _readable(session: Session, request_id: int) -> Request:
    """The request whose answer may be read now by this person (a preview for whoever handles requests)."""
    request = get(session, request_id)
    if request.kind not in (Kind.ACCESS, Kind.INFORMATION):
        raise Refused("access.kind", "refused.access_no_answer", kind=request.kind.value)
    if not session.may(Action.REQUEST_MANAGE) and request.status not in (*DECIDED, Status.DONE):
        raise Refused("access.granted", "refused.access_not_granted", id=request.id)
    return request


def _since(session: Session) -> date:
    retention = versions.current(session.casebook).settings.retention_days or 0
    return session.today() - timedelta(days=retention) if retention else date.min


def _information(session: Session) -> list[tuple[str, str]]:
    settings = versions.current(session.casebook).settings
    purposes = "; ".join(t_in(LANGUAGE, f"letter.purpose.{p}") for p in settings.purposes)
    return [
        (t_in(LANGUAGE, "answer.h.controller"), settings.organisation_name),
        (t_in(LANGUAGE, "answer.h.purposes"), purposes),
        (t_in(LANGUAGE, "answer.h.basis"), t_in(LANGUAGE, "answer.basis")),
        (t_in(LANGUAGE, "answer.h.categories"), t_in(LANGUAGE, "answer.categories")),
        (t_in(LANGUAGE, "answer.h.recipients"), t_in(LANGUAGE, "answer.recipients")),
        (
            t_in(LANGUAGE, "answer.h.retention"),
            t_in(LANGUAGE, "answer.retention", days=settings.retention_days or 0, place=settings.storage_location),
        ),
        (t_in(LANGUAGE, "answer.h.rights"), t_in(LANGUAGE, "answer.rights")),
        (t_in(LANGUAGE, "answer.h.objection"), t_in(LANGUAGE, "answer.objection")),
        (t_in(LANGUAGE, "answer.h.complaint"), t_in(LANGUAGE, "answer.complaint")),
        (t_in(LANGUAGE, "answer.h.source"), t_in(LANGUAGE, "answer.source")),
        (t_in(LANGUAGE, "answer.h.automated"), t_in(LANGUAGE, "answer.automated")),
    ]


def build(session: Session, request_id: int) -> Answer:
    """The whole answer but the visits themselves (those page: `visits`); resolving the person is audited."""
    request = _readable(session, request_id)
    book = session.casebook
    store = book.store
    employee = store.query_one("SELECT id, name, email, department FROM employees WHERE id = ?", [request.employee_id])
    assert employee is not None
    answer = Answer(
        request=request,
        information=_information(session),
        person={"name": employee["name"], "email": employee["email"], "department": employee["department"]},
        identifiers=[
            {"kind": r["kind"], "value": r["value"], "from": r["valid_from"], "to": r["valid_to"]}
            for r in store.query(
                "SELECT kind, value, valid_from, valid_to FROM identifiers WHERE employee_id = ? ORDER BY id",
                [request.employee_id],
            )
        ],
        counts={},
        since=_since(session),
    )
    if request.kind is Kind.ACCESS:
        found = personal.windows(book, request.employee_id)
        for table, (column, when) in {
            "events": ("pseudonym_id", "ts"),
            "visits": ("pseudonym_id", "start"),
            "mail_sent": ("sender_id", "ts"),
            "mail_received": ("recipient_id", "ts"),
        }.items():
            sql_table = "mail_events" if table.startswith("mail") else table
            where, params = personal.where(found, column, when)
            row = store.query_one(f"SELECT count(*) AS n FROM {sql_table} WHERE {where}", params)
            answer.counts[table] = int(row["n"]) if row else 0
        answer.cases = [
            {
                "case": int(r["case_id"]),
                "purpose": int(r["purpose"]),
                "state": r["state"],
                "track": r["track"],
                "events": int(r["events"]),
                "sanction": r["kind"],
                "decided_on": r["decided_on"],
            }
            for r in store.query(
                """SELECT p.case_id, c.purpose, c.state, p.state AS track, p.events, s.kind, s.decided_on
                   FROM case_people p JOIN cases c ON c.id = p.case_id LEFT JOIN sanctions s ON s.case_person_id = p.id
                   WHERE p.employee_id = ? ORDER BY p.case_id""",
                [request.employee_id],
            )
        ]
        answer.receipts = [
            {"version": int(r["policy_version"]), "received_on": r["received_on"], "method": r["method"]}
            for r in store.query(
                "SELECT policy_version, received_on, method FROM receipts WHERE employee_id = ? ORDER BY policy_version",
                [request.employee_id],
            )
        ]
        for made in rectify.of_person(store, request.employee_id):
            at = clocks.local(made.made_at).date().isoformat()
            if made.kind == "annotation":
                answer.annotations.append({"request": made.request_id, "on": at, "text": made.text})
            else:  # the handler's note may name a colleague (whose address it was): not part of the copy
                answer.corrections.append(
                    {"request": made.request_id, "on": at, "before": made.before, "after": made.after}
                )
        reference = audit.reference("employee", request.employee_id)
        answer.audit_rows = [
            {"at": r["at"], "action": r["action"], "detail": json.loads(str(r["detail"]))}
            for r in store.query("SELECT at, action, detail FROM audit WHERE subject = ? ORDER BY id", [reference])
        ]
        with store.transaction():
            session.audit("access.resolved", reference, {"request": request.id, "counts": answer.counts})
    answer.requests = [
        {"id": int(r["id"]), "kind": r["kind"], "received": r["received_on"], "status": r["status"]}
        for r in store.query(
            "SELECT id, kind, received_on, status FROM requests WHERE employee_id = ? ORDER BY id",
            [request.employee_id],
        )
    ]
    return answer


def visits(session: Session, request_id: int, *, offset: int = 0, limit: int = 200) -> list[Visit]:
    """A page of the person's visits, newest first (a year of them is long: the screen pages)."""
    request = _readable(session, request_id)
    if request.kind is not Kind.ACCESS:
        return []
    found = personal.windows(session.casebook, request.employee_id)
    where, params = personal.where(found, "v.pseudonym_id", "v.start")
    rows = session.casebook.store.query(
        f"""SELECT d.domain, v.start, v.end, v.requests, v.bytes FROM visits v JOIN sites s ON s.id = v.site_id
            JOIN domains d ON d.id = s.domain_id
            WHERE {where} ORDER BY v.start DESC LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    )
    return [
        Visit(
            str(r["domain"]),
            datetime.fromtimestamp(float(r["start"]), UTC),
            datetime.fromtimestamp(float(r["end"]), UTC),
            int(r["requests"]),
            int(r["bytes"]),
        )
        for r in rows
    ]


def as_json(session: Session, request_id: int) -> dict[str, Any]:
    answer = build(session, request_id)
    every: list[Visit] = []
    while True:
        page = visits(session, request_id, offset=len(every), limit=5000)
        every.extend(page)
        if len(page) < 5000:
            break
    return {
        "request": answer.request.as_json(session.today()),
        "information": [{"heading": h, "text": t} for h, t in answer.information],
        "person": answer.person,
        "identifiers": answer.identifiers,
        "kept_since": answer.since.isoformat() if answer.since != date.min else None,
        "counts": answer.counts,
        "visits": [
            {
                "domain": v.domain,
                "start": clocks.to_text(v.start),
                "end": clocks.to_text(v.end),
                "requests": v.requests,
                "bytes": v.bytes,
            }
            for v in every
        ],
        "cases": answer.cases,
        "receipts": answer.receipts,
        "requests": answer.requests,
        "annotations": answer.annotations,
        "corrections": answer.corrections,
        "audit": answer.audit_rows,
    }


def as_markdown(session: Session, request_id: int) -> str:
    """The answer as a letter the employee can read: the information, then the copy, visits per day and site."""
    data = as_json(session, request_id)
    settings = versions.current(session.casebook).settings
    lines = [
        f"# {t_in(LANGUAGE, 'answer.title', organisation=settings.organisation_name)}",
        "",
        t_in(
            LANGUAGE,
            "answer.to",
            name=data["person"]["name"],
            email=data["person"]["email"],
            received=long_date(date.fromisoformat(data["request"]["received"]), LANGUAGE),
            made=long_date(session.today(), LANGUAGE),
        ),
        "",
    ]
    for heading, text in ((i["heading"], i["text"]) for i in data["information"]):
        lines += [f"## {heading}", "", text, ""]
    lines += [f"## {t_in(LANGUAGE, 'answer.h.copy')}", ""]
    lines += [
        f"- {i['kind']}: {i['value']}" + (f" ({i['from'] or ''}..{i['to'] or ''})" if i["from"] or i["to"] else "")
        for i in data["identifiers"]
    ]
    lines.append("")
    if data["counts"]:
        lines.append(t_in(LANGUAGE, "answer.counts", **data["counts"]))
        lines.append("")
        per_day: dict[tuple[str, str], list[int]] = {}
        for visit in data["visits"]:
            day = clocks.local(clocks.from_text(visit["start"])).date().isoformat()
            cell = per_day.setdefault((day, visit["domain"]), [0, 0, 0])
            cell[0] += 1
            cell[1] += visit["requests"]
            cell[2] += int((clocks.from_text(visit["end"]) - clocks.from_text(visit["start"])).total_seconds())
        if per_day:
            lines += [
                f"| {t_in(LANGUAGE, 'answer.col.day')} | {t_in(LANGUAGE, 'answer.col.site')} | "
                f"{t_in(LANGUAGE, 'answer.col.visits')} | {t_in(LANGUAGE, 'answer.col.requests')} | "
                f"{t_in(LANGUAGE, 'answer.col.seconds')} |",
                "| --- | --- | ---: | ---: | ---: |",
            ]
            for (day, domain), (count, requests, seconds) in sorted(per_day.items(), reverse=True):
                lines.append(f"| {day} | {domain} | {count} | {requests} | {seconds} |")
            lines.append("")
    if data["annotations"]:
        lines += [f"### {t_in(LANGUAGE, 'answer.h.annotations')}", ""]
        lines += [
            "- " + t_in(LANGUAGE, "answer.annotation", on=a["on"], request=a["request"], text=a["text"])
            for a in data["annotations"]
        ]
        lines.append("")
    if data["corrections"]:
        lines += [f"### {t_in(LANGUAGE, 'answer.h.corrections')}", ""]
        for c in data["corrections"]:
            changes = "; ".join(
                t_in(
                    LANGUAGE,
                    "answer.correction_field",
                    field=t_in(LANGUAGE, f"rectify.field.{name}"),
                    before=rectify.shown(c["before"][name]) or "-",
                    after=rectify.shown(c["after"][name]) or "-",
                )
                for name in c["after"]
            )
            lines.append("- " + t_in(LANGUAGE, "answer.correction", on=c["on"], request=c["request"], changes=changes))
        lines.append("")
    for key, rows in (
        ("cases", data["cases"]),
        ("receipts", data["receipts"]),
        ("requests", data["requests"]),
        ("audit", data["audit"]),
    ):
        if rows:
            lines += [f"### {t_in(LANGUAGE, f'answer.h.{key}')}", ""]
            lines += [f"- {json.dumps(row, ensure_ascii=False, sort_keys=True)}" for row in rows]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
