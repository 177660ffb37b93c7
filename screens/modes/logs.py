"""Logs mode: the logs read into the casebook, and (to come) the global figures they add up to.

The mode's own view is the list of imports (ImportsView); the global overview
(`o`, screens/logs_overview.py) and the irregularities (`u`,
screens/logs_irregularities.py) open over it. Keys that belong to
the whole mode (import, reload) sit on the screen; a view's own keys sit on
its widgets.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, DataTable, Footer, Static

from casebook.i18n import t
from casebook.logs import history
from casebook.logs.history import ImportRecord
from casebook.permissions import Action
from screens.bindings import translate_bindings
from screens.logs_import import LogsImportScreen, duration
from screens.logs_irregularities import IrregularitiesScreen
from screens.logs_overview import OverviewScreen
from screens.modes.base import ModeScreen
from screens.text import number, plain
from screens.widgets.empty_state import EmptyState
from screens.workers import read_in_worker

# Rows read at a time; the next page loads when the cursor reaches the last row.
PAGE = 200
COLUMNS = ("when", "file", "format", "lines", "imported", "rejected", "first", "last", "by")
NUMBERS = {"lines", "imported", "rejected"}


class ImportsTable(DataTable[Text]):
    """The imports; Enter opens the highlighted one's rejected lines."""

    COMPONENT_CLASSES = {"imports-table--rejected"}
    BINDINGS = [Binding("enter", "select_cursor", "logs.key.rejects", id="logs.rejects")]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        translate_bindings(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return bool(self.row_count)
        return True


class ImportsView(Vertical):
    """Every import, newest first: how many there are, one page at a time, the highlighted one's file in full."""

    def __init__(self, importer: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.importer = importer  # whether the person may import (the empty state says what to do)
        self.records: list[ImportRecord] = []
        self.total: int | None = None
        self._generation = 0
        self._loading_more = False

    @property
    def logs_screen(self) -> LogsScreen:
        screen = self.screen
        assert isinstance(screen, LogsScreen)
        return screen

    def compose(self) -> ComposeResult:
        yield Static(Text(t("logs.list.loading")), id="logs-count")
        yield ImportsTable(id="logs-table", cursor_type="row")
        yield Static(id="logs-detail")
        paragraphs = [t("logs.empty.formats")] if self.importer else [t("logs.empty.others")]
        title = t("logs.empty.importer") if self.importer else t("logs.empty.title")
        yield EmptyState(title, [*paragraphs, t("mode.logs.purpose")], id="logs-empty")

    def on_mount(self) -> None:
        table = self.query_one(ImportsTable)
        for key in COLUMNS:
            table.add_column(Text(t(f"logs.col.{key}"), justify="right" if key in NUMBERS else "left"), key=key)
        self.query_one("#logs-empty").display = False
        self.query_one("#logs-detail").display = False
        table.focus()
        self.reload()

    # -- loading -------------------------------------------------------------

    def reload(self) -> None:
        """Read the list again from the top, as many rows as were loaded, the cursor kept on its import."""
        self._generation += 1
        self._loading_more = False
        selected = self.selected()
        self._load(self._generation, max(PAGE, len(self.records)), selected.id if selected else None)

    def _load(self, generation: int, limit: int, keep: int | None) -> None:
        read_in_worker(
            self,
            self.logs_screen.casebook_app,
            lambda session: (history.count(session), history.imports(session, limit, 0)),
            lambda found: self._show(generation, *found, keep),
            "logs-load",
        )

    def _show(self, generation: int, total: int, rows: list[ImportRecord], keep: int | None) -> None:
        if not self.is_attached or generation != self._generation:
            return  # signed out meanwhile, or a newer load is on its way
        self.total = total
        self.records = []
        table = self.query_one(ImportsTable)
        table.clear()
        self._add(rows)
        if keep is not None:
            index = next((i for i, r in enumerate(self.records) if r.id == keep), None)
            if index is not None:
                table.move_cursor(row=index, animate=False)
        empty = not self.records
        self.query_one("#logs-empty").display = empty
        table.display = not empty
        self.query_one("#logs-count").display = not empty
        self._count_line()
        self._detail()
        self.logs_screen.refresh_bindings()

    def _more(self) -> None:
        if self._loading_more or self.total is None or len(self.records) >= self.total:
            return
        self._loading_more = True
        self._load_more(self._generation, len(self.records))

    def _load_more(self, generation: int, offset: int) -> None:
        read_in_worker(
            self,
            self.logs_screen.casebook_app,
            lambda session: history.imports(session, PAGE, offset),
            lambda rows: self._append(generation, rows),
            "logs-more",
        )

    def _append(self, generation: int, rows: list[ImportRecord]) -> None:
        if not self.is_attached or generation != self._generation:
            return
        self._loading_more = False
        if not rows:
            self.total = len(self.records)  # some were removed meanwhile
        self._add(rows)
        self._count_line()

    def _add(self, rows: list[ImportRecord]) -> None:
        table = self.query_one(ImportsTable)
        rejected_style = table.get_component_rich_style("imports-table--rejected", partial=True)
        book = self.logs_screen.casebook_app.book
        have = {r.id for r in self.records}
        for record in rows:
            if record.id in have:
                continue  # an import made meanwhile shifted the pages by a row
            self.records.append(record)
            first = book.local_time_text(record.first_ts) if record.first_ts else "-"
            last = book.local_time_text(record.last_ts) if record.last_ts else "-"
            table.add_row(
                Text(book.local_time_text(record.imported_at)),
                plain(PurePath(record.path).name),
                plain(record.format),
                Text(number(record.lines), justify="right"),
                Text(number(record.imported), justify="right"),
                Text(number(record.rejected), justify="right", style=rejected_style if record.rejected else ""),
                Text(first),
                Text(last),
                plain(record.imported_by_name),
                key=str(record.id),
            )

    def _count_line(self) -> None:
        total = self.total or 0
        key = "logs.list.count_one" if total == 1 else "logs.list.count"
        line = t(key, count=number(total))
        if len(self.records) < total:
            line += t("logs.list.loaded", loaded=number(len(self.records)))
        self.query_one("#logs-count", Static).update(Text(line))

    # -- the highlighted import ------------------------------------------------

    def selected(self) -> ImportRecord | None:
        table = self.query_one(ImportsTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self.records):
            return None
        return self.records[table.cursor_row]

    def _detail(self) -> None:
        detail = self.query_one("#logs-detail", Static)
        record = self.selected()
        detail.display = record is not None
        if record is None:
            return
        text = t("logs.list.detail", path=record.path, duration=duration(record.seconds))
        if record.prefix_of is not None:
            text += t("logs.list.continues")
        detail.update(plain(text))

    @on(DataTable.RowHighlighted, "#logs-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()
        if event.cursor_row >= event.data_table.row_count - 1:
            self._more()

    @on(DataTable.RowSelected, "#logs-table")
    def _chosen(self) -> None:
        from screens.logs_rejects import LogsRejectsScreen

        record = self.selected()
        if record is not None:
            self.app.push_screen(LogsRejectsScreen(record.id))


class LogsScreen(ModeScreen):
    mode_id = "logs"
    action = Action.MODE_LOGS
    CSS_PATH = "../logs.tcss"

    BINDINGS = [
        Binding("o", "overview", "logs.key.overview", id="logs.overview"),
        Binding("u", "irregularities", "logs.key.irregularities", id="logs.irregularities"),
        Binding("i", "import_log", "logs.key.import", id="logs.import"),
        Binding("f5,ctrl+r", "reload", "logs.key.reload", id="logs.reload"),
    ]

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

    def may(self, action: Action) -> bool:
        """What the signed-in person may do; nothing once they signed out (a worker may still report back)."""
        session = self.casebook_app.session
        return session is not None and session.may(action)

    def action_import_log(self) -> None:
        if self.may(Action.IMPORT_LOGS):
            self.app.push_screen(LogsImportScreen())

    def action_reload(self) -> None:
        self.query_one(ImportsView).reload()

    def action_overview(self) -> None:
        self.app.push_screen(OverviewScreen())

    def action_irregularities(self) -> None:
        self.app.push_screen(IrregularitiesScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "import_log":
            return self.may(Action.IMPORT_LOGS)
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("logs.palette.overview"), t("logs.palette.overview_help"), self.action_overview)
        yield SystemCommand(
            t("logs.palette.irregularities"), t("logs.palette.irregularities_help"), self.action_irregularities
        )
        if self.may(Action.IMPORT_LOGS):
            yield SystemCommand(t("logs.palette.import"), t("logs.palette.import_help"), self.action_import_log)
        yield SystemCommand(t("logs.palette.reload"), t("logs.palette.reload_help"), self.action_reload)
