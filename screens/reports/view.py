"""One report on screen: the document the core made, section by section, its figures as tables and its
charts drawn (screens.widgets.charts.BarChart), exactly what the exports hold.

`[` and `]` jump between the sections; `e`, `c`, `j`, `p` write the report as shown into the casebook
folder's exports/ subfolder as Markdown, CSV, JSON or PDF and say where. Nothing in a report is read
as markup: text from the casebook (a category's name, an employee's in the receipts) shows as written.
"""

from __future__ import annotations

from rich import box
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from casebook.documents import cells, export, reports
from casebook.documents.model import Block, Bullets, Chart, Document, FigureTable, Highlight, Paragraph, ToComplete
from casebook.documents.model import Table as Grid
from casebook.documents.render_md import about_lines
from casebook.documents.reports import ReportKind
from casebook.errors import CasebookError
from casebook.i18n import t
from casebook.logs.rollups import Period
from screens.base import CasebookScreen
from screens.reports.labels import period_words
from screens.widgets.charts import BarChart
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.workers import read_in_worker

NUMERIC = ("count", "people", "bytes", "seconds")


def figure_table(block: FigureTable, minimum: int) -> Table:
    """A table of figures as Rich draws it: numbers to the right, every cell plain text."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, header_style="bold")
    for column in block.columns:
        table.add_column(plain(column.title), justify="right" if column.kind in NUMERIC else "left")
    for row in block.rows:
        table.add_row(
            *(plain(cells.text(value, column.kind, minimum)) for value, column in zip(row, block.columns, strict=True))
        )
    return table


def records(block: FigureTable, minimum: int) -> Text:
    """A table too wide for the screen as one paragraph per row: its first cell, then each column's title and
    value ("nr 1 · doel 1 · omstandigheid gebeurtenis · ..."), wrapped to the width."""
    out = Text()
    titles = [c.title for c in block.columns]
    for index, row in enumerate(block.rows):
        values = [cells.text(v, c.kind, minimum) for v, c in zip(row, block.columns, strict=True)]
        if index:
            out.append("\n")
        out.append(f"{titles[0]} {values[0]}", style="bold")
        for title, value in zip(titles[1:], values[1:], strict=True):
            out.append(" · ")
            out.append(f"{title} ", style="dim")
            out.append_text(plain(value))
    return out


class FigureView(Widget):
    """A table of figures: as a table where the screen is wide enough for it, else a paragraph per row."""

    DEFAULT_CSS = """
    FigureView { height: auto; }
    """

    def __init__(self, block: FigureTable, minimum: int, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.block = block
        self.minimum = minimum

    def renderable(self, width: int) -> Table | Text:
        table = figure_table(self.block, self.minimum)
        needed = Measurement.get(self.app.console, self.app.console.options, table).maximum
        return table if needed <= width else records(self.block, self.minimum)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        console = self.app.console
        lines = console.render_lines(self.renderable(width), console.options.update_width(width), pad=False)
        return len(lines)

    def render(self) -> Table | Text:
        return self.renderable(self.content_size.width or 80)


def grid(block: Grid) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, header_style="bold")
    for header in block.headers:
        table.add_column(plain(header))
    for row in block.rows:
        table.add_row(*(plain(cell) for cell in row))
    return table


def block_widget(block: Block, minimum: int) -> Widget:
    if isinstance(block, FigureTable):
        return FigureView(block, minimum, classes="report-table")
    if isinstance(block, Chart):
        return BarChart(block, minimum, classes="report-chart")
    if isinstance(block, Grid):
        return Static(grid(block), classes="report-table")
    if isinstance(block, Bullets):
        return Static(plain("\n".join(f"• {item}" for item in block.items)), classes="report-text")
    if isinstance(block, Highlight | ToComplete | Paragraph):
        return Static(plain(block.text), classes="report-text")
    raise TypeError(block)


class ReportScreen(CasebookScreen[None]):
    CSS_PATH = "reports.tcss"
    ACTIONS = (
        "report.next_section",
        "report.previous_section",
        "report.export_md",
        "report.export_csv",
        "report.export_json",
        "report.export_pdf",
        "report.back",
    )

    def __init__(self, kind: ReportKind, span: Period) -> None:
        super().__init__()
        self.kind = kind
        self.span = span
        self.document: Document | None = None
        self.section = -1  # the heading last jumped to (-1: the top)
        self.busy = False

    def compose(self) -> ComposeResult:
        title = t("report.view.title", title=t(f"documents.kind.{self.kind.key}"), period=period_words(self.span))
        yield Static(Text(title), id="report-title")
        with VerticalScroll(id="report-body"):
            yield Static(Text(t("report.view.loading")), id="report-loading")
        yield Static(id="report-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#report-message").display = False
        self.query_one("#report-body").focus()
        kind, span = self.kind.name, self.span
        read_in_worker(
            self,
            self.casebook_app,
            lambda session: reports.build(session, kind, span),
            self._show,
            "report-build",
            failed=self._failed,
        )

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#report-loading", Static).update(plain("✖ " + message, "bold"))

    def _show(self, document: Document) -> None:
        if not self.is_attached:
            return
        self.document = document
        body = self.query_one("#report-body", VerticalScroll)
        body.remove_children()
        minimum = document.min_group_size
        about = Text()
        for index, (label, value) in enumerate(about_lines(document)):
            about.append(("\n" if index else "") + f"{label}: ", "bold")
            about.append(plain(value))
        widgets: list[Widget] = [Static(about, classes="report-about")]
        widgets += [block_widget(block, minimum) for block in document.body.intro]
        for section in document.body.sections:
            widgets.append(Static(plain(section.title), classes="report-heading"))
            widgets += [block_widget(block, minimum) for block in section.blocks]
        body.mount_all(widgets)
        self.refresh_bindings()

    def headings(self) -> list[Widget]:
        return list(self.query(".report-heading"))

    # -- actions ---------------------------------------------------------------

    def action_section(self, step: int) -> None:
        headings = self.headings()
        if not headings:
            return
        self.section = max(-1, min(len(headings) - 1, self.section + step))
        body = self.query_one("#report-body", VerticalScroll)
        if self.section < 0:
            body.scroll_home(animate=False)
        else:
            body.scroll_to_widget(headings[self.section], top=True, animate=False)

    def action_export(self, fmt: str) -> None:
        if self.document is None or self.busy:
            return
        self.busy = True
        self._export(self.document, fmt)

    @work(thread=True, exclusive=True, group="report-export")
    def _export(self, document: Document, fmt: str) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            path = export.export_document(session, document, fmt)
        except CasebookError as exc:
            app.call_from_thread(self._done, "✖ " + exc.message, "error")
            return
        app.call_from_thread(self._done, t("report.view.exported", path=str(path)), "information")

    def _done(self, message: str, severity: str) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]
        widget = self.query_one("#report-message", Static)
        widget.update(plain(message))
        widget.display = True

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"export", "section"}:
            return True if self.document is not None else None
        return super().check_action(action, parameters)
