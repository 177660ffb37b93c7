"""The report to the board (policy 2.4: the supervisors and the IT officer report the controls performed).

For one period: the controls by purpose and circumstance, the irregularities found, the
individualisations and every step after them, the sanctions by kind, the cases opened, closed and
open, the legal deadlines met and missed, the employees' requests and their deadlines, the purges.
The cases are listed by number, without a person and without the free text of a case (its reason,
its letters), which may name one: whoever needs a name opens the case, where reading it is audited.

`sections` is shared with the evaluation report, which shows the same figures folded by the rule on
small groups and without the list of cases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casebook import clock as clocks
from casebook import i18n
from casebook.documents.model import Bar, BarGroup, Body, Document, FigureTable, Paragraph, Section
from casebook.i18n import t
from casebook.logs.rollups import Period
from casebook.permissions import Action
from casebook.policy import versions
from casebook.reporting import figures
from casebook.reporting.common import (
    about,
    bars_of,
    breakdown,
    chart,
    column,
    language,
    named,
    purpose_name,
    rule_name,
    sanction_name,
)
from casebook.small_groups import shown

if TYPE_CHECKING:
    from casebook.session import Session

CIRCUMSTANCES = ("permanent", "periodic", "event", "professional")
STATES = ("decided", "controlled", "warned", "approved", "individualised", "consulted", "closed")
REQUEST_KINDS = ("information", "access", "rectification", "erasure", "objection")
DECISIONS = ("granted", "partly", "refused")


def _controls(cases: figures.CaseFigures, adopted: tuple[int, ...]) -> FigureTable:
    purposes = sorted(set(adopted) | {p for p, _ in cases.controls})
    rows = []
    for purpose in purposes:
        counts = [cases.controls.get((purpose, c), 0) for c in CIRCUMSTANCES]
        rows.append((purpose_name(purpose), *counts, sum(counts)))
    totals = [sum(cases.controls.get((p, c), 0) for p in purposes) for c in CIRCUMSTANCES]
    rows.append((t("report.figure.total"), *totals, sum(totals)))
    return FigureTable(
        key="controls",
        columns=(
            column("purpose", "text"),
            *(column(c, title=t(f"report.circumstance.{c}")) for c in CIRCUMSTANCES),
            column("total"),
        ),
        rows=tuple(rows),
        row_keys=(*(str(p) for p in purposes), "total"),
    )


def _irregularities(found: list[figures.IrregularityLine]) -> FigureTable | Paragraph:
    if not found:
        return Paragraph(text=t("report.irregularities.none"))
    return FigureTable(
        key="irregularities",
        columns=(column("rule", "text"), column("purpose"), column("found"), column("in_case")),
        rows=tuple((rule_name(i.rule), i.purpose, i.found, i.in_case) for i in found),
        row_keys=tuple(i.rule for i in found),
    )


def _outcomes(key: str, parts: dict[str, int], minimum: int) -> FigureTable:
    return breakdown(key, parts, [(o, t(f"report.outcome.{o}")) for o in figures.OUTCOMES], minimum)


def _case_list(cases: figures.CaseFigures) -> FigureTable | Paragraph:
    if not cases.cases:
        return Paragraph(text=t("report.cases.none"))
    rows = []
    for c in cases.cases:
        notes = []
        if c.nothing_found:
            notes.append(t("report.case.nothing_found"))
        if c.on_hold:
            notes.append(t("report.case.on_hold"))
        if c.late_steps:
            notes.append(t("report.case.late", count=c.late_steps))
        rows.append(
            (
                c.id,
                c.purpose,
                t(f"report.circumstance.{c.circumstance}"),
                c.opened_on.isoformat(),
                t(f"case.state.{c.state}"),
                c.findings,
                c.people,
                c.closed_on.isoformat() if c.closed_on else "-",
                "; ".join(notes) or "-",
            )
        )
    return FigureTable(
        key="case_list",
        columns=(
            column("case"),
            column("purpose"),
            column("circumstance", "text"),
            column("opened", "date"),
            column("state", "text"),
            column("findings"),
            column("people"),
            column("closed", "date"),
            column("notes", "text"),
        ),
        rows=tuple(rows),
    )


def _table_name(table: str) -> str:
    key = f"report.table.{table}"
    return t(key) if key in i18n.catalogue() else table


def sections(session: Session, span: Period, minimum: int, *, detail: bool) -> list[Section]:
    """The figures of the controls for the period; `minimum` folds the figures about people (1: none),
    `detail` adds the list of cases (the board's report only)."""
    store = session.casebook.store
    today = session.today()
    settings = versions.read(session).settings
    cases = figures.cases(store, span, today)
    requests = figures.requests(store, span, today)
    purged = figures.purges(store, span)

    controls = Section(
        title=t("report.section.controls"),
        blocks=(
            Paragraph(text=t("report.controls.intro")),
            _controls(cases, settings.purposes),
            named(
                "control_activity",
                [("decided", cases.decided), ("control_runs", cases.control_runs), ("global_runs", cases.global_runs)],
            ),
        ),
    )
    irregularities = Section(
        title=t("report.section.irregularities"),
        blocks=(Paragraph(text=t("report.irregularities.intro")), _irregularities(figures.irregularities(store, span))),
    )
    people = [
        ("identified", cases.identified),
        ("not_informed", cases.not_informed),
        *((f"step_{verb}", count) for verb, count in cases.steps.items()),
    ]
    follow_up = named("follow_up", [(k, shown(v, minimum)) for k, v in people], kind="people", value="people")
    individualisations = Section(
        title=t("report.section.individualisations"),
        blocks=(
            Paragraph(text=t("report.individualisations.intro")),
            named(
                "individualisations",
                [
                    ("approved", cases.approved),
                    ("executed", cases.executed),
                    ("executed_nobody", cases.executed_nobody),
                    ("unresolved_events", cases.unresolved_events),
                ],
            ),
            follow_up,
        ),
    )
    sanction_table = breakdown("sanctions", cases.sanctions, [(k, sanction_name(k)) for k in cases.sanctions], minimum)
    sanctions = Section(
        title=t("report.section.sanctions"),
        blocks=(
            Paragraph(text=t("report.sanctions.intro")),
            sanction_table if cases.sanctions else Paragraph(text=t("report.sanctions.none")),
        ),
    )
    by_state = [(s, cases.by_state.get(s, 0)) for s in STATES if cases.by_state.get(s)]
    case_blocks = [
        named("cases", [("opened", cases.decided), ("closed", cases.closed), ("open_at_end", cases.open_at_end)]),
        chart(
            "cases_by_step",
            t("report.chart.cases_by_step"),
            "count",
            [BarGroup(label="", bars=tuple(Bar(label=t(f"case.state.{s}"), value=n) for s, n in by_state))]
            if by_state
            else [],
        ),
    ]
    if detail:
        case_blocks += [Paragraph(text=t("report.cases.list_intro")), _case_list(cases)]
    case_section = Section(title=t("report.section.cases"), blocks=tuple(case_blocks))

    case_deadlines = _outcomes("case_deadlines", cases.deadlines, minimum)
    request_deadlines = _outcomes("request_deadlines", requests.deadlines, minimum)
    deadlines = Section(
        title=t("report.section.deadlines"),
        blocks=(
            Paragraph(text=t("report.deadlines.intro")),
            case_deadlines,
            request_deadlines,
            chart(
                "deadlines",
                t("report.chart.deadlines"),
                "people",
                [
                    bars_of(case_deadlines, t("report.deadlines.cases")),
                    bars_of(request_deadlines, t("report.deadlines.requests")),
                ],
            ),
            named("late_steps", [("late_steps", shown(cases.late_steps, minimum))], "people", "people"),
        ),
    )
    received = breakdown(
        "requests_received",
        {k: requests.received.get(k, 0) for k in REQUEST_KINDS if requests.received.get(k)},
        [(k, t(f"access.kind.{k}")) for k in REQUEST_KINDS],
        minimum,
    )
    decided = breakdown(
        "requests_decided",
        {k: requests.decided.get(k, 0) for k in DECISIONS if requests.decided.get(k)},
        [(k, t(f"report.decision.{k}")) for k in DECISIONS],
        minimum,
    )
    request_section = Section(
        title=t("report.section.requests"),
        blocks=(
            Paragraph(text=t("report.requests.intro")),
            received,
            decided,
            named("requests_extended", [("extended", shown(requests.extended, minimum))], "people", "people"),
        ),
    )
    purge_blocks = [
        Paragraph(
            text=t("report.purges.retention", days=settings.retention_days)
            if settings.retention_days
            else t("report.purges.no_retention")
        ),
        named("purges", [("purges", purged.runs), ("deleted_rows", sum(purged.deleted.values()))]),
    ]
    if purged.last_cutoff is not None:
        purge_blocks.append(
            Paragraph(text=t("report.purges.cutoff", date=clocks.local(purged.last_cutoff).date().isoformat()))
        )
    if detail and purged.deleted:
        purge_blocks.append(
            FigureTable(
                key="deleted",
                columns=(column("table", "text"), column("rows")),
                rows=tuple((_table_name(k), v) for k, v in purged.deleted.items() if v),
                row_keys=tuple(k for k, v in purged.deleted.items() if v),
            )
        )
    purges = Section(title=t("report.section.purges"), blocks=tuple(purge_blocks))
    return [
        controls,
        irregularities,
        individualisations,
        sanctions,
        case_section,
        deadlines,
        request_section,
        purges,
    ]


def build(session: Session, span: Period) -> Document:
    session.require(Action.REPORT_BOARD)
    body = Body(
        title=t("report.kind.board"),
        intro=(Paragraph(text=t("report.board.intro")),),
        sections=tuple(sections(session, span, 1, detail=True)),
    )
    return Document(kind="board", about=about(session, span), body=body, language=language(), min_group_size=1)
