"""Logs mode: the logs read into the casebook, and the global figures they add up to.

The mode's own view is the list of imports (ImportsView); the global overview
(`o`, screens/logs/overview.py) and the irregularities (`u`,
screens/logs/irregularities.py) open over it. Keys that belong to the whole
mode (import, remove, reload) sit on the screen; a view's own keys sit on its
widgets. `x` removes the highlighted import after a question (the IT officer):
its requests, visits and mails go, with their part of every figure. While the policy is not
ready the core refuses every import: the list says so above it, and `i` says why.
"""

from __future__ import annotations

from pathlib import PurePath

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, DataTable, Footer, Static

from casebook import formatting
from casebook.errors import CasebookError, Refused
from casebook.formatting import number
from casebook.i18n import t
from casebook.logs import history, importer, removal
from casebook.logs.history import ImportRecord
from casebook.permissions import Action
from screens import actions
from screens.base import ModeScreen
from screens.logs.import_file import LogsImportScreen
from screens.logs.irregularities import IrregularitiesScreen
from screens.logs.overview import OverviewScreen
from screens.widgets.confirm import ConfirmScreen
from screens.widgets.empty_state import EmptyState
from screens.widgets.paged_table import Column, PagedTable
from screens.widgets.plain_text import plain

# Rows read at a time; the next page loads when the cursor reaches the last row.
PAGE = 200
COLUMNS = ("when", "file", "format", "lines", "imported", "rejected", "first", "last", "by")
NUMBERS = {"lines", "imported", "rejected"}


class ImportsTable(PagedTable[ImportRecord]):
    """The imports, newest first; Enter opens the highlighted one's rejected lines."""

    COMPONENT_CLASSES = {"imports-table--rejected"}
    BINDINGS = actions.bindings(("logs.rejects",))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            lambda session, offset, limit, _order: history.imports(session, limit, offset),
            self._cells,
            page_size=PAGE,
            count=history.count,
            identity=lambda record: record.id,
            **kwargs,
        )
        actions.translate_bindings(self)

    def _cells(self, record: ImportRecord) -> list[Text]:
        rejected_style = self.get_component_rich_style("imports-table--rejected", partial=True)
        local = self.casebook_app.book.local_time_text
        return [
            Text(local(record.imported_at)),
            plain(PurePath(record.path).name),
            plain(record.format),
            Text(number(record.lines), justify="right"),
            Text(number(record.imported), justify="right"),
            Text(number(record.rejected), justify="right", style=rejected_style if record.rejected else ""),
            Text(local(record.first_ts) if record.first_ts else "-"),
            Text(local(record.last_ts) if record.last_ts else "-"),
            plain(record.imported_by_name),
        ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return bool(self.row_count)
        return True


class ImportsView(Vertical):
    """Every import, newest first: how many there are, one page at a time, the highlighted one's file in full."""

    def __init__(self, importer: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.importer = importer  # whether the person may import (the empty state says what to do)

    def compose(self) -> ComposeResult:
        refused = Static(id="logs-refused")
        refused.display = False
        yield refused
        yield Static(Text(t("logs.list.loading")), id="logs-count")
        yield ImportsTable(id="logs-table")
        detail = Static(id="logs-detail")
        detail.display = False
        yield detail
        paragraphs = [t("logs.empty.formats")] if self.importer else [t("logs.empty.others")]
        title = t("logs.empty.importer") if self.importer else t("logs.empty.title")
        # Hidden from the start: a scrollable empty state shown for a moment would take the screen's first focus.
        empty = EmptyState(title, [*paragraphs, t("mode.logs.purpose")], id="logs-empty")
        empty.display = False
        yield empty

    def on_mount(self) -> None:
        table = self.query_one(ImportsTable)
        table.set_columns(
            [Column(key, Text(t(f"logs.col.{key}"), justify="right" if key in NUMBERS else "left")) for key in COLUMNS]
        )
        table.focus()
        self.reload()

    def reload(self) -> None:
        """Read the list again from the top, as many rows as were loaded, the cursor kept on its import."""
        self._refusal()
        self.query_one(ImportsTable).reload()

    def _refusal(self) -> None:
        """Whoever imports is told, above the list, when the core refuses imports now (the policy not ready)."""
        widget = self.query_one("#logs-refused", Static)
        session = getattr(self.app, "session", None)
        message = None
        if self.importer and session is not None:
            try:
                importer.may_import(session)
            except Refused as exc:
                message = exc.message
        widget.display = message is not None
        widget.update(plain("✖ " + message if message else ""))
        if self.importer:  # "press i to import" only when an import can be taken
            title = t("logs.empty.title") if message else t("logs.empty.importer")
            self.query_one("#logs-empty").query_one(".title", Static).update(Text(title))

    @on(PagedTable.Changed, "#logs-table")
    def _loaded(self, event: PagedTable.Changed) -> None:
        if event.error:
            self.notify(event.error, severity="error", markup=False)
            return
        table = self.query_one(ImportsTable)
        empty = not table.items
        self.query_one("#logs-empty").display = empty
        table.display = not empty
        self.query_one("#logs-count").display = not empty
        self._count_line()
        self._detail()
        self.screen.refresh_bindings()

    def _count_line(self) -> None:
        table = self.query_one(ImportsTable)
        total = table.total or 0
        line = t("logs.list.count", count=total)
        if len(table.items) < total:
            line += t("logs.list.loaded", loaded=number(len(table.items)))
        self.query_one("#logs-count", Static).update(Text(line))

    # -- the highlighted import ------------------------------------------------

    def selected(self) -> ImportRecord | None:
        return self.query_one(ImportsTable).selected()

    def _detail(self) -> None:
        detail = self.query_one("#logs-detail", Static)
        record = self.selected()
        detail.display = record is not None
        if record is None:
            return
        text = t("logs.list.detail", path=record.path, duration=formatting.elapsed(record.seconds))
        if record.prefix_of is not None:
            text += t("logs.list.continues")
        detail.update(plain(text))

    @on(DataTable.RowHighlighted, "#logs-table")
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected, "#logs-table")
    def _chosen(self) -> None:
        from screens.logs.rejects import LogsRejectsScreen

        record = self.selected()
        if record is not None:
            self.app.push_screen(LogsRejectsScreen(record.id))


class LogsScreen(ModeScreen):
    mode_id = "logs"
    action = Action.MODE_LOGS
    CSS_PATH = "logs.tcss"
    ACTIONS = ("logs.overview", "logs.irregularities", "logs.import", "logs.reload", "logs.remove")

    def __init__(self) -> None:
        super().__init__()
        self._fresh = True

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="logs-imports", id="logs-views"):
            yield ImportsView(self.may(Action.IMPORT_LOGS), id="logs-imports")

    def on_mount(self) -> None:
        self.query_one(Footer).compact = True
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.action_reload())

    def on_screen_resume(self) -> None:
        # Back from the import or a rejects list, or from another mode: others may have imported meanwhile.
        if self._fresh:
            self._fresh = False
            return
        self.action_reload()

    def action_import_log(self) -> None:
        session = self.casebook_app.session
        if session is None or not self.may(Action.IMPORT_LOGS):
            return
        try:
            importer.may_import(session)
        except Refused as exc:  # the policy not ready: no file is picked for nothing
            self.query_one(ImportsView).reload()
            self.notify(exc.message, severity="error", markup=False)
            return
        self.app.push_screen(LogsImportScreen())

    def action_reload(self) -> None:
        self.query_one(ImportsView).reload()

    def action_remove_import(self) -> None:
        """Remove the highlighted import, once the person said yes: it cannot be undone but by importing again."""
        record = self.query_one(ImportsView).selected()
        if record is None or not self.may(Action.REMOVE_IMPORTS):
            return
        question = t(
            "logs.remove.question",
            id=record.id,
            file=PurePath(record.path).name,
            lines=number(record.lines),
            imported=number(record.imported),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(record.id)

        self.app.push_screen(ConfirmScreen(question), answered)

    @work(thread=True, exclusive=True, group="logs-remove")
    def _remove(self, import_id: int) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        # On a connection of its own, like an import: a large one takes a while, the app keeps reading.
        book = app.book.second_connection()
        try:
            done = removal.remove(session.on(book), import_id)
        except CasebookError as exc:  # a Refused among them: a later import continues this one
            app.call_from_thread(self.notify, exc.message, severity="error", markup=False)
            return
        finally:
            book.close()
        message = t(
            "logs.removed",
            id=done.import_id,
            path=PurePath(done.path).name,
            events=number(done.events),
            visits=number(done.visits),
            mails=number(done.mails),
        )
        app.call_from_thread(self._removed, message)

    def _removed(self, message: str) -> None:
        if self.is_attached:
            self.notify(message, markup=False)
            self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_import":
            if not self.may(Action.REMOVE_IMPORTS):
                return False
            return self.query_one(ImportsView).selected() is not None
        return super().check_action(action, parameters)

    def action_overview(self) -> None:
        self.app.push_screen(OverviewScreen())

    def action_irregularities(self) -> None:
        self.app.push_screen(IrregularitiesScreen())
