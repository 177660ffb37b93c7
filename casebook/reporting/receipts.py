"""The receipts status for HR (CAO 81 art. 8: each employee receives the policy, and signs for it).

Who in the directory holds no receipt of the current text (never received it, or received a text
that has changed since), with their department and the newest version they did receive; and the
receipts recorded in the period, by how they were handed over. It names people: it is the
administrator's, who keeps the directory and records the receipts.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from casebook.documents.model import Bar, BarGroup, Body, Document, FigureTable, Paragraph, Section
from casebook.formatting import long_date
from casebook.i18n import t
from casebook.logs.rollups import Period
from casebook.permissions import Action
from casebook.plaintext import inert, one_line
from casebook.policy import receipts, versions
from casebook.reporting.common import about, chart, column, language, named

if TYPE_CHECKING:
    from casebook.session import Session


def _clean(text: str) -> str:
    return inert(one_line(text))


def build(session: Session, span: Period) -> Document:
    session.require(Action.REPORT_RECEIPTS)
    policy = versions.read(session)
    statuses = receipts.statuses(session)
    missing = [s for s in statuses if not s.covers_current]
    covered = len(statuses) - len(missing)
    received = [s for s in statuses if s.received_on is not None and span.first_day <= s.received_on <= span.last_day]
    methods = Counter(s.method or "" for s in received)

    status = Section(
        title=t("report.section.receipts_status"),
        blocks=(
            Paragraph(
                text=t(
                    "report.receipts.current",
                    version=policy.version,
                    date=long_date(policy.created_at.date()),
                )
            ),
            named("receipts", [("employees", len(statuses)), ("covered", covered), ("missing", len(missing))]),
            chart(
                "receipts",
                t("report.chart.receipts"),
                "count",
                [
                    BarGroup(
                        label="",
                        bars=(
                            Bar(label=t("report.figure.covered"), value=covered),
                            Bar(label=t("report.figure.missing"), value=len(missing)),
                        ),
                    )
                ],
            ),
        ),
    )
    missing_rows = tuple(
        (
            _clean(s.employee.name),
            _clean(s.employee.department) or "-",
            s.employee.email,
            str(s.version) if s.version is not None else "-",
            s.received_on.isoformat() if s.received_on else "-",
        )
        for s in sorted(missing, key=lambda s: (s.employee.department.lower(), s.employee.name.lower()))
    )
    who = Section(
        title=t("report.section.receipts_missing"),
        blocks=(
            FigureTable(
                key="missing",
                columns=(
                    column("name", "text"),
                    column("department", "text"),
                    column("email", "text"),
                    column("version_received", "text"),
                    column("received_on", "date"),
                ),
                rows=missing_rows,
            )
            if missing_rows
            else Paragraph(text=t("report.receipts.none_missing")),
        ),
    )
    in_period = Section(
        title=t("report.section.receipts_period"),
        blocks=(
            FigureTable(
                key="received_by_method",
                columns=(column("method", "text"), column("count")),
                rows=tuple((t(f"receipts.method.{m}") if m else "-", n) for m, n in sorted(methods.items())),
                row_keys=tuple(m or "unknown" for m in sorted(methods)),
            )
            if received
            else Paragraph(text=t("report.receipts.none_received")),
        ),
    )
    body = Body(
        title=t("report.kind.receipts"),
        intro=(Paragraph(text=t("report.receipts.intro")),),
        sections=(status, who, in_period),
    )
    return Document(kind="receipts", about=about(session, span), body=body, language=language())
