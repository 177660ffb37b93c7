"""Who received the policy (CAO 81 art. 8): the list, a receipt recorded, a receipt form written out."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Select, Static

from casebook import clock as clocks
from casebook import exports
from casebook.clock import parse_day
from casebook.errors import CasebookError
from casebook.formatting import number
from casebook.i18n import t
from casebook.permissions import Action
from casebook.policy import receipts, versions
from casebook.policy.receipts import ReceiptStatus
from casebook.session import Session
from screens.base import CasebookModal, CasebookScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.widgets.text_input import TextInput
from screens.workers import read_in_worker

COLUMNS = ("name", "current", "version", "received", "email", "department")


class ReceiptsTable(DataTable[Text]):
    """The employees and their receipts; the current-text column says ja/nee in words, coloured as a help only."""

    COMPONENT_CLASSES = {"receipts-table--covered", "receipts-table--missing"}


class ReceiptsScreen(CasebookScreen[None]):
    CSS_PATH = "policy.tcss"
    ACTIONS = ("receipts.missing", "receipts.record", "receipts.export", "receipts.back")

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[ReceiptStatus] = []
        self.current_version = 0
        self.only_missing = False

    def may(self, action: Action) -> bool:
        """What the signed-in person may do; nothing once they signed out (a worker may still report back)."""
        session = self.casebook_app.session
        return session is not None and session.may(action)

    def compose(self) -> ComposeResult:
        yield Static(Text(t("receipts.title")), id="receipts-title")
        yield Static(Text(t("receipts.loading")), id="receipts-summary")
        yield ReceiptsTable(id="receipts-table", cursor_type="row")
        yield Static(Text(t("receipts.empty")), id="receipts-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(ReceiptsTable)
        # Whether the current text was received comes right after the name: it must show at 80 columns.
        for key in COLUMNS:
            table.add_column(Text(t(f"receipts.col.{key}")), key=key)
        self.query_one("#receipts-empty").display = False
        table.focus()
        self.reload()

    def reload(self) -> None:
        self._load()

    def _load(self) -> None:
        def query(session: Session) -> tuple[list[ReceiptStatus], int]:
            return receipts.statuses(session), versions.read(session).version

        read_in_worker(self, self.casebook_app, query, lambda found: self._show(*found), "receipts-load")

    def _show(self, rows: list[ReceiptStatus], current: int) -> None:
        if not self.is_attached:
            return  # signed out while the worker read
        self.statuses = rows
        self.current_version = current
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(ReceiptsTable)
        selected = self.selected()
        covered = table.get_component_rich_style("receipts-table--covered", partial=True)
        missing = table.get_component_rich_style("receipts-table--missing", partial=True)
        table.clear()
        shown = [s for s in self.statuses if not (self.only_missing and s.covers_current)]
        for status in shown:
            employee = status.employee
            table.add_row(
                plain(employee.name),
                Text(t("common.yes"), covered) if status.covers_current else Text(t("common.no"), missing),
                Text(f"v{status.version}" if status.version else "-"),
                Text(status.received_on.isoformat() if status.received_on else "-"),
                # The e-mail address is an identifier of the logs: the directory's keeper alone sees it.
                plain(employee.email or "-"),
                plain(employee.department or "-"),
                key=str(employee.id),
            )
        if selected is not None:
            index = next((i for i, s in enumerate(shown) if s.employee.id == selected.employee.id), None)
            if index is not None:
                table.move_cursor(row=index, animate=False)
        have = sum(1 for s in self.statuses if s.covers_current)
        summary = Text(
            t(
                "receipts.summary",
                have=number(have),
                total=number(len(self.statuses)),
                version=self.current_version,
            )
        )
        if self.only_missing:
            summary.append("  ·  " + t("receipts.only_missing"), "bold")
        self.query_one("#receipts-summary", Static).update(summary)
        empty = self.query_one("#receipts-empty", Static)
        empty.display = not shown
        if not self.statuses:
            empty.update(Text(t("receipts.empty")))
        elif not shown:
            empty.update(Text(t("receipts.none_missing")))
        self.refresh_bindings()

    def selected(self) -> ReceiptStatus | None:
        table = self.query_one(ReceiptsTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((s for s in self.statuses if str(s.employee.id) == key), None)

    def action_toggle_missing(self) -> None:
        self.only_missing = not self.only_missing
        self._fill()

    def action_record(self) -> None:
        status = self.selected()
        if status is None or not self.may(Action.MANAGE_EMPLOYEES):
            return

        def recorded(result: ReceiptStatus | None) -> None:
            if result is not None:
                self.notify(
                    t("receipts.recorded", name=result.employee.name, version=result.version or 0), markup=False
                )
                self.reload()

        self.app.push_screen(RecordReceiptScreen(status, self.current_version), recorded)

    def action_export(self) -> None:
        status = self.selected()
        if status is None or not self.may(Action.MANAGE_EMPLOYEES):
            return

        def written(path: str | None) -> None:
            if path is not None:
                self.notify(t("receipts.exported", path=path), markup=False)

        self.app.push_screen(ExportReceiptScreen(status), written)

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"record", "export"}:
            if not self.may(Action.MANAGE_EMPLOYEES):
                return False
            return True if self.query_one(ReceiptsTable).row_count else None
        return True


def _parse_day(text: str) -> date | None:
    try:
        return parse_day(text)
    except ValueError:
        return None


class RecordReceiptScreen(CasebookModal[ReceiptStatus | None]):
    """The selected employee received the current version: when, and how."""

    CSS_PATH = "policy.tcss"
    ACTIONS = ("receipts.record.save", "receipts.record.cancel")

    def __init__(self, status: ReceiptStatus, version: int) -> None:
        super().__init__()
        self.status = status
        self.version = version
        self.saving = False

    def compose(self) -> ComposeResult:
        session = self.casebook_app.session
        today = clocks.local(session.now()).date() if session else date.today()
        employee = self.status.employee
        with Vertical(id="record-box", classes="dialog"):
            yield Static(Text(t("receipts.record.title", version=self.version)), classes="dialog-title")
            yield Static(plain(f"{employee.name} <{employee.email}>"), id="record-who")
            yield Static(Text(t("receipts.record.date")), classes="setting-label")
            yield TextInput(value=today.isoformat(), id="record-date", blink=self.casebook_app.cursor_blink)
            yield Static(Text(t("receipts.record.method")), classes="setting-label")
            yield Select(
                [(t(f"receipts.method.{m}"), m) for m in receipts.METHODS],
                value=receipts.METHODS[0],
                allow_blank=False,
                id="record-method",
            )
            yield Static(id="record-message", classes="setting-error")
            yield Static(Text(t("receipts.record.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#record-message").display = False
        self.query_one("#record-date", Input).focus()

    def _message(self, message: str) -> None:
        widget = self.query_one("#record-message", Static)
        widget.update(plain(message))
        widget.display = bool(message)

    @on(Input.Submitted, "#record-date")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.saving:
            return
        text = self.query_one("#record-date", Input).value
        day = _parse_day(text)
        if day is None:
            self._message(t("receipts.record.bad_date", value=text))
            self.query_one("#record-date", Input).focus()
            return
        method = str(self.query_one("#record-method", Select).value)
        self.saving = True
        self._message("")
        self._record(day, method)

    @work(thread=True, exclusive=True, group="receipts-record")
    def _record(self, day: date, method: str) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            result = receipts.record(session, self.status.employee.email, received_on=day, method=method)
        except CasebookError as exc:
            app.call_from_thread(self._refused, exc.message)
            return
        app.call_from_thread(self.dismiss, result)

    def _refused(self, message: str) -> None:
        self.saving = False
        self._message(message)

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)


def export_stem(email: str) -> str:
    """ontvangstbewijs-<local part>; the day and the suffix are added to make the file's name."""
    return f"ontvangstbewijs-{email.partition('@')[0]}"


class ExportReceiptScreen(CasebookModal[str | None]):
    """Write the employee's filled-in receipt form into the casebook's exports folder, as text or Markdown.

    Nobody picks a path here: the app names the file and never writes over one
    (casebook.exports), and the administrator collects it from the exports folder.
    """

    CSS_PATH = "policy.tcss"
    ACTIONS = ("receipts.export.save", "receipts.export.cancel")

    def __init__(self, status: ReceiptStatus) -> None:
        super().__init__()
        self.status = status
        self.saving = False

    def compose(self) -> ComposeResult:
        employee = self.status.employee
        session = self.casebook_app.session
        try:
            where = t("receipts.export.where", folder=str(exports.folder(session))) if session else ""
        except CasebookError as exc:
            where = exc.message  # a folder the setting may not name (any more): saving says so again
        with Vertical(id="export-box", classes="dialog"):
            yield Static(Text(t("receipts.export.title")), classes="dialog-title")
            yield Static(plain(f"{employee.name} <{employee.email}>"), id="export-who")
            yield Static(Text(t("receipts.export.format")), classes="setting-label")
            yield Select(
                [(t("receipts.export.format.txt"), "txt"), (t("receipts.export.format.md"), "md")],
                value="txt",
                allow_blank=False,
                id="export-format",
            )
            yield Static(plain(where), id="export-where", classes="setting-help")
            yield Static(id="export-message", classes="setting-error")
            yield Static(Text(t("receipts.export.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#export-message").display = False
        self.query_one("#export-format", Select).focus()

    def _message(self, message: str) -> None:
        widget = self.query_one("#export-message", Static)
        widget.update(plain(message))
        widget.display = bool(message)

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self._message("")
        self._write(str(self.query_one("#export-format", Select).value) == "md")

    @work(thread=True, exclusive=True, group="receipts-export")
    def _write(self, markdown: bool) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        email = self.status.employee.email
        try:
            form = receipts.receipt_form(session, email, markdown=markdown)
            name = f"{export_stem(email)}-{session.today().isoformat()}.{'md' if markdown else 'txt'}"
            path = exports.save(session, Action.VIEW_RECEIPTS, name, form)
        except CasebookError as exc:
            app.call_from_thread(self._failed, exc.message)
            return
        app.call_from_thread(self.dismiss, str(path))

    def _failed(self, message: str) -> None:
        self.saving = False
        self._message(message)

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)
