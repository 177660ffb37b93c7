"""Every kind of document `casebook report` and the app can make: one entry each, the renderers shared.

A kind names its builder (a function from a Session, and for a report of a period that period, to a
Document), who may read it and, for a kept kind, who may make a new version of it
(casebook.documents.archive keeps those). The formats are the shared renderers' names. Adding a
report is adding one entry to REPORTS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from casebook.documents import gdpr, render_csv, render_json, render_md
from casebook.documents.model import Document
from casebook.errors import Refused
from casebook.logs.rollups import Period
from casebook.permissions import Action
from casebook.reporting import board, evaluation
from casebook.reporting import receipts as receipts_report

if TYPE_CHECKING:
    from casebook.session import Session


def _pdf(document: Document) -> bytes:
    # Imported when a PDF is written: fpdf takes a sixth of a second to import, which every command (an import of
    # logs too) would pay otherwise.
    from casebook.documents import render_pdf

    return render_pdf.render(document)


# Each renderer writes a whole document as bytes: Markdown, CSV and JSON as UTF-8 text, or PDF.
RENDERERS: dict[str, Callable[[Document], bytes]] = {
    "md": lambda document: render_md.render(document).encode("utf-8"),
    "csv": lambda document: render_csv.render(document).encode("utf-8"),
    "json": lambda document: render_json.render(document).encode("utf-8"),
    "pdf": _pdf,
}
REPORT_FORMATS = ("md", "csv", "json", "pdf")


@dataclass(frozen=True)
class ReportKind:
    name: str  # as the command line writes it: `casebook report NAME`
    summary: str  # its --help line (in English, as every --help)
    build: Callable[..., Document]  # (session) -> Document; a report of a period: (session, period)
    read: Action  # who may read it
    make: Action | None = None  # kept kinds: who may make a new version; None: made anew at every call
    formats: tuple[str, ...] = ("md", "pdf")
    periodic: bool = False  # a report of a period (--from, --to): what happened in it

    @property
    def kept(self) -> bool:
        return self.make is not None

    @property
    def key(self) -> str:
        """Its catalogue keys' part: documents.kind.KEY, documents.file.KEY."""
        return self.name.replace("-", "_")


REPORTS: dict[str, ReportKind] = {
    kind.name: kind
    for kind in (
        ReportKind(
            "notice",
            "The privacy notice for employees (GDPR art. 13), made from the current policy.",
            partial(gdpr.build, kind="notice"),
            Action.READ_NOTICE,
            Action.MAKE_DOCUMENTS,
        ),
        ReportKind(
            "processing-record",
            "The record of processing activities (GDPR art. 30) for the control.",
            partial(gdpr.build, kind="processing-record"),
            Action.READ_GDPR_RECORDS,
            Action.MAKE_DOCUMENTS,
        ),
        ReportKind(
            "dpia",
            "A draft data-protection impact assessment (GDPR art. 35) for the organisation to complete.",
            partial(gdpr.build, kind="dpia"),
            Action.READ_GDPR_RECORDS,
            Action.MAKE_DOCUMENTS,
        ),
        ReportKind(
            "board",
            "The report to the board on the controls of a period: cases by number, no person.",
            board.build,
            Action.REPORT_BOARD,
            formats=REPORT_FORMATS,
            periodic=True,
        ),
        ReportKind(
            "evaluation",
            "The evaluation report for the consultation body: the same figures for groups only, and usage.",
            evaluation.build,
            Action.REPORT_EVALUATION,
            formats=REPORT_FORMATS,
            periodic=True,
        ),
        ReportKind(
            "receipts",
            "For HR: who has not yet received the current policy text, and the receipts of a period.",
            receipts_report.build,
            Action.REPORT_RECEIPTS,
            formats=REPORT_FORMATS,
            periodic=True,
        ),
    )
}


def kind(name: str) -> ReportKind:
    found = REPORTS.get(name)
    if found is None:
        raise Refused("documents.kind", "refused.document_kind", kind=name, known=", ".join(REPORTS))
    return found


def build(session: Session, name: str, period: Period | None = None) -> Document:
    """The document as the casebook makes it now, for whoever may read it (kept kinds: see archive.make);
    a report of a period needs its period."""
    report = kind(name)
    session.require(report.read)
    if not report.periodic:
        return report.build(session)
    if period is None or period.last_day < period.first_day:
        raise Refused("documents.period", "refused.report_period")
    return report.build(session, period)


def periodic(session: Session) -> list[ReportKind]:
    """The reports of a period this person may make, in the registry's order (the Reports mode's list)."""
    session.require(Action.MODE_REPORTS)
    return [k for k in REPORTS.values() if k.periodic and session.may(k.read)]


def render(document: Document, fmt: str) -> bytes:
    renderer = RENDERERS.get(fmt)
    if renderer is None or fmt not in kind(document.kind).formats:
        raise Refused("documents.format", "refused.document_format", format=fmt, known=", ".join(RENDERERS))
    return renderer(document)
