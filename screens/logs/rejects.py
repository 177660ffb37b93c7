"""The lines one import rejected: where, why, and what they held (identities left out by the import).

An import keeps its first rejected lines only (the count covers them all).
The samples come from logs, so they are shown as inert text: a URL such as
`[red]x` or an escape sequence shows as written and cannot drive the terminal.
"""

from __future__ import annotations

from pathlib import PurePath

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from casebook.formatting import number
from casebook.i18n import t
from casebook.logs import history
from casebook.logs.history import ImportRecord, RejectedLine
from casebook.session import Session
from screens.base import CasebookScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.workers import read_in_worker

LINE_WIDTH = 7
# The reason takes at most this share of the room the line number leaves; the sample gets the rest.
REASON_SHARE = 0.4
# Padding DataTable puts around each of the three cells, and its vertical scrollbar.
TABLE_CHROME = 3 * 2 + 2


class RejectsTable(DataTable[Text]):
    pass


class LogsRejectsScreen(CasebookScreen[None]):
    CSS_PATH = "logs.tcss"
    ACTIONS = ("logs.rejects.back",)

    def __init__(self, import_id: int) -> None:
        super().__init__()
        self.import_id = import_id
        self.record: ImportRecord | None = None
        self.lines: list[RejectedLine] = []
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Static(Text(t("logs.rejects.title")), id="rejects-title")
        yield Static(Text(t("logs.list.loading")), id="rejects-summary")
        yield RejectsTable(id="rejects-table", cursor_type="row")
        yield Static(id="rejects-detail")
        yield Static(id="rejects-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#rejects-empty").display = False
        self.query_one("#rejects-detail").display = False
        self.query_one(RejectsTable).focus()
        self._load()

    def _load(self) -> None:
        def query(session: Session) -> tuple[ImportRecord | None, list[RejectedLine]]:
            record = history.find(session, self.import_id)
            return record, history.rejects(session, self.import_id) if record is not None else []

        read_in_worker(self, self.casebook_app, query, lambda found: self._show(*found), "logs-rejects")

    def _show(self, record: ImportRecord | None, lines: list[RejectedLine]) -> None:
        if not self.is_attached:
            return
        self.record = record
        self.lines = lines
        self._summary()
        self._fill()

    def _summary(self) -> None:
        summary = self.query_one("#rejects-summary", Static)
        record = self.record
        if record is None:
            summary.update(Text(t("logs.rejects.gone")))
            return
        text = t(
            "logs.rejects.summary",
            file=PurePath(record.path).name,
            format=record.format,
            when=self.casebook_app.book.local_time_text(record.imported_at),
            by=record.imported_by_name,
            rejected=number(record.rejected),
            lines=number(record.lines),
        )
        if len(self.lines) < record.rejected:
            text += t("logs.rejects.kept", kept=number(len(self.lines)))
        if self.lines:
            text += " " + t("logs.rejects.identities")
        summary.update(plain(text))

    def _fill(self) -> None:
        """(Re)build the table: the sample column takes the width the screen has."""
        table = self.query_one(RejectsTable)
        cursor = table.cursor_row
        self._width = self.size.width
        table.clear(columns=True)
        reasons = [t(f"logs.reject.{line.reason}") for line in self.lines]
        room = max(30, self._width - LINE_WIDTH - TABLE_CHROME)
        reason_width = min(max((len(r) for r in reasons), default=10), int(room * REASON_SHARE))
        sample_width = max(10, room - reason_width)
        table.add_column(Text(t("logs.rejects.col.line"), justify="right"), key="line", width=LINE_WIDTH)
        table.add_column(Text(t("logs.rejects.col.reason")), key="reason", width=reason_width)
        table.add_column(Text(t("logs.rejects.col.sample")), key="sample", width=sample_width)
        for line, reason in zip(self.lines, reasons, strict=True):
            table.add_row(
                Text(number(line.line_no), justify="right"),
                Text(reason, no_wrap=True, overflow="ellipsis"),
                self._cell(line.sample),
                key=str(line.line_no),
            )
        if self.lines:
            table.move_cursor(row=min(cursor, len(self.lines) - 1), animate=False)
        empty = self.query_one("#rejects-empty", Static)
        empty.display = self.record is not None and not self.lines
        table.display = bool(self.lines)
        if empty.display:
            empty.update(Text(t("logs.rejects.none")))
        self._detail()

    @staticmethod
    def _cell(sample: str) -> Text:
        text = plain(sample)
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text

    def on_resize(self) -> None:
        if self.size.width != self._width and self.record is not None:
            self._fill()

    @on(DataTable.RowHighlighted, "#rejects-table")
    def _highlighted(self) -> None:
        self._detail()

    def _detail(self) -> None:
        """The highlighted line in full, wrapped: the table cuts a long sample short."""
        detail = self.query_one("#rejects-detail", Static)
        table = self.query_one(RejectsTable)
        if not self.lines or not 0 <= table.cursor_row < len(self.lines):
            detail.display = False
            return
        line = self.lines[table.cursor_row]
        text = Text(t("logs.rejects.line", line_no=number(line.line_no), reason=t(f"logs.reject.{line.reason}")))
        text.stylize("bold")
        text.append("\n")
        text.append_text(plain(line.sample))
        detail.update(text)
        detail.display = True

    def action_back(self) -> None:
        self.dismiss(None)
