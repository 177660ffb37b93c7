"""Logs mode: the logs read into the casebook, and the global figures they add up to.

The mode's own view is the list of imports (ImportsView); the global overview
(`o`, screens/logs/overview.py) and the irregularities (`u`,
screens/logs/irregularities.py) open over it. Keys that belong to the whole
mode (import, remove, reload) sit on the screen; a view's own keys sit on its
widgets. `x` removes the highlighted import after a question (the IT officer):
its requests, visits and mails go, with their part of every figure.
"""

from __future__ import annotations

from pathlib import PurePath

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, DataTable, Static

from casebook import formatting
from casebook.errors import CasebookError
from casebook.formatting import number
from casebook.i18n import t
from casebook.logs import history, removal, summary
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
NUMBERS = {"lines", "imported", "rejected"}
# The columns by the terminal's width, so that none is cut (who imported a file least of all); what a
# narrower table leaves out, the highlighted import's detail lines say.
COLUMNS_WIDE = ("when", "by", "file", "format", "lines", "imported", "rejected", "first", "last")
COLUMNS_MEDIUM = ("when", "by", "file", "format", "lines", "imported", "rejected")
COLUMNS_NARROW = ("when", "by", "file", "lines", "imported", "rejected")
WIDE, MEDIUM = 140, 100
FILE_WIDTH_NARROW = 18


def columns_for(width: int) -> tuple[str, ...]:
    return COLUMNS_WIDE if width >= WIDE else COLUMNS_MEDIUM if width >= MEDIUM else COLUMNS_NARROW


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
        self.keys: tuple[str, ...] = COLUMNS_WIDE

    def _cells(self, record: ImportRecord) -> list[Text]:
        rejected_style = self.get_component_rich_style("imports-table--rejected", partial=True)
        local = self.casebook_app.book.local_time_text
        file = plain(PurePath(record.path).name)
        file.no_wrap, file.overflow = True, "ellipsis"
        cells = {
            "when": Text(local(record.imported_at)),
            "by": plain(record.imported_by_name),
            "file": file,
            "format": plain(record.format),
            "lines": Text(number(record.lines), justify="right"),
            "imported": Text(number(record.imported), justify="right"),
            "rejected": Text(number(record.rejected), justify="right", style=rejected_style if record.rejected else ""),
            "first": Text(local(record.first_ts) if record.first_ts else "-"),
            "last": Text(local(record.last_ts) if record.last_ts else "-"),
        }
        return [cells[key] for key in self.keys]

    def show_columns(self, keys: tuple[str, ...]) -> None:
        """Show these columns (the rows kept); the file's name is cut with an ellipsis where room is short."""
        self.keys = keys
        narrow = keys == COLUMNS_NARROW
        self.set_columns(
            [
                Column(
                    key,
                    Text(t(f"logs.col.{key}"), justify="right" if key in NUMBERS else "left"),
                    width=FILE_WIDTH_NARROW if narrow and key == "file" else None,
                )
                for key in keys
            ]
        )

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
        table.show_columns(columns_for(self.app.size.width))
        table.focus()
        self.reload()

    def on_resize(self) -> None:
        table = self.query_one(ImportsTable)
        keys = columns_for(self.app.size.width)
        if keys != table.keys:
            table.show_columns(keys)
            self._detail()

    def reload(self) -> None:
        """Read the list again from the top, as many rows as were loaded, the cursor kept on its import."""
        self.query_one(ImportsTable).reload()

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
        lines = [t("logs.list.detail", path=record.path, duration=formatting.elapsed(record.seconds))]
        if record.prefix_of is not None:
            lines[0] += t("logs.list.continues")
        keys = self.query_one(ImportsTable).keys
        if "first" not in keys:
            local = self.query_one(ImportsTable).casebook_app.book.local_time_text
            first = local(record.first_ts) if record.first_ts else "-"
            last = local(record.last_ts) if record.last_ts else "-"
            lines.append(t("logs.list.detail_span", format=record.format, first=first, last=last))
        not_events = record.lines - record.imported - record.rejected
        if not_events > 0:
            lines.append(t("logs.counts.not_events", count=not_events, what=summary.not_events_text(record.format)))
        detail.update(plain("\n".join(lines)))

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

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="logs-imports", id="logs-views"):
            yield ImportsView(self.may(Action.IMPORT_LOGS), id="logs-imports")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.action_reload())

    def came_back(self) -> None:
        # From the import or a rejects list, or from another mode: others may have imported meanwhile.
        self.action_reload()

    def action_import_log(self) -> None:
        if self.may(Action.IMPORT_LOGS):
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
