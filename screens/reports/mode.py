"""Reports mode: pick a report and a period, then read it (screens/reports/view.py) and write it to a file.

The list holds the reports this person may make (the core's registry says which: the board report
for the board, the supervisors and the IT officer; the evaluation for them and the administrator;
the receipts status for the administrator); under it, what the highlighted one holds and leaves out.
The period is a calendar month, quarter or year (the current one up to today; `[` and `]` step back
and forward) or a period of one's own (`c`).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from casebook.documents import reports
from casebook.documents.reports import ReportKind
from casebook.i18n import t
from casebook.logs.rollups import Period
from casebook.permissions import Action
from casebook.reporting import periods
from screens import actions
from screens.base import ModeScreen
from screens.logs.overview import PeriodDialog
from screens.reports.labels import period_words
from screens.reports.view import ReportScreen
from screens.widgets.period_bar import PeriodBar
from screens.workers import read_in_worker

PERIOD_KINDS = (*periods.KINDS, "custom")


def period_bar() -> PeriodBar:
    """m Maand  [q Kwartaal]  y Jaar  c Eigen periode │ 1 oktober 2026 – 28 november 2026 (59 dagen)."""
    choices = [
        (kind, f"{actions.BY_ID[f'reports.{kind}'].keys} {t(f'reports.period.{kind}')}") for kind in PERIOD_KINDS
    ]
    return PeriodBar(choices, period_words, "quarter", id="reports-period")


class ReportsTable(DataTable[Text]):
    """The reports this person may make; Enter shows the highlighted one."""

    BINDINGS = actions.bindings(("reports.open",))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        actions.translate_bindings(self)


class ReportsScreen(ModeScreen):
    mode_id = "reports"
    action = Action.MODE_REPORTS
    CSS_PATH = "reports.tcss"
    ACTIONS = (
        "reports.month",
        "reports.quarter",
        "reports.year",
        "reports.custom",
        "reports.previous",
        "reports.next",
    )

    def __init__(self) -> None:
        super().__init__()
        self.kinds: list[ReportKind] = []
        self.kind = "quarter"
        self.shift = 0  # how many months, quarters or years before (negative) the current one
        self.span: Period | None = None

    def compose_body(self) -> ComposeResult:
        yield period_bar()
        yield Static(Text(t("reports.loading")), id="reports-summary")
        yield ReportsTable(id="reports-table")
        yield Static(id="reports-about")

    def on_mount(self) -> None:
        table = self.query_one(ReportsTable)
        table.add_column(Text(t("reports.col.report")), key="report")
        table.add_column(Text(t("reports.col.audience")), key="audience")
        table.focus()
        self._period()
        read_in_worker(self, self.casebook_app, reports.periodic, self._show, "reports-kinds")

    def _show(self, kinds: list[ReportKind]) -> None:
        if not self.is_attached:
            return
        self.kinds = kinds
        table = self.query_one(ReportsTable)
        table.clear()
        for kind in kinds:
            table.add_row(Text(t(f"documents.kind.{kind.key}")), Text(t(f"report.audience.{kind.key}")), key=kind.name)
        self.query_one("#reports-summary", Static).update(Text(t("reports.hint" if kinds else "reports.none")))
        self._about()
        self.refresh_bindings()

    def selected(self) -> ReportKind | None:
        table = self.query_one(ReportsTable)
        if not self.kinds or table.row_count == 0:
            return None
        return self.kinds[min(table.cursor_row, len(self.kinds) - 1)]

    @on(DataTable.RowHighlighted, "#reports-table")
    def _highlighted(self) -> None:
        self._about()

    def _about(self) -> None:
        kind = self.selected()
        self.query_one("#reports-about", Static).update(Text(t(f"report.about.{kind.key}")) if kind else Text(""))

    def _period(self) -> None:
        if self.kind != "custom" or self.span is None:
            self.span = periods.calendar(self.kind, self.session.today(), self.shift)
        self.query_one(PeriodBar).show(self.kind, self.span)

    # -- actions ---------------------------------------------------------------

    @on(DataTable.RowSelected, "#reports-table")
    def _selected(self) -> None:
        self.action_open_report()

    def action_open_report(self) -> None:
        kind = self.selected()
        if kind is None or self.span is None:
            return
        self.app.push_screen(ReportScreen(kind, self.span))

    def action_calendar(self, kind: str) -> None:
        if kind != self.kind:
            self.shift = 0
        self.kind = kind
        self._period()

    def action_step(self, step: int) -> None:
        if self.kind == "custom":
            self.notify(t("reports.custom_only"), markup=False)
            return
        self.shift += step
        self._period()

    def action_custom_period(self) -> None:
        def chosen(span: Period | None) -> None:
            if span is not None:
                self.kind = "custom"
                self.span = span
                self._period()

        self.app.push_screen(PeriodDialog(self.span or periods.calendar("month", self.session.today())), chosen)
