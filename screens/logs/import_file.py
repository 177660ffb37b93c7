"""Importing one log file: pick it, start it, watch it, cancel it, read what it brought.

The screen has two faces. First the form: the path (typed, or picked in the
folder tree below it), the format (detected unless chosen) and, for web logs
whose lines hold a path only, the web server's host. Then the run: a progress
bar over the file's bytes and the live counts; Escape cancels, and a cancelled
import keeps nothing. When it ends, the summary stays until Escape takes the
person back to the list.

The import runs in a worker thread on a connection of its own: it holds the
casebook's write transaction for its whole length, and the app's connection
stays free to read meanwhile.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DirectoryTree, Input, ProgressBar, Select, Static
from textual.worker import get_current_worker

from casebook.book import Casebook
from casebook.errors import CasebookError
from casebook.formatting import number
from casebook.i18n import t
from casebook.logs import formats, importer, sources
from casebook.logs import summary as import_summary
from casebook.logs.importer import ImportResult, Progress
from casebook.permissions import Action
from screens.base import CasebookScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.widgets.text_input import TextInput

AUTO = "auto"


def moment_text(book: Casebook, ts: float | None) -> str:
    """An epoch time from a log, in Brussels time as the casebook writes it."""
    if ts is None:
        return "-"
    return book.local_time_text(datetime.fromtimestamp(ts, UTC))


class LogFileTree(DirectoryTree):
    """The folder tree to pick a log from; signs instead of pictures, so any terminal shows them alike.

    It shows only what the import may read (casebook.logs.sources): a link to the casebook's folder or the
    service account's home shows no more than a path typed by hand would reach.
    """

    ICON_NODE = "▸ "
    ICON_NODE_EXPANDED = "▾ "
    ICON_FILE = "  "

    def __init__(self, path: Path, reach: sources.Reach, **options: Any) -> None:
        self.reach = reach
        super().__init__(path, **options)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if self.reach(path)]


class LogsImportScreen(CasebookScreen[bool]):
    """Dismissed with True when something was imported (the list then shows it)."""

    CSS_PATH = "logs.tcss"
    ACTIONS = ("logs.import.start", "logs.import.back", "logs.import.cancel", "logs.import.rejects")

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        # The folder the tree starts in: given, else the first existing folder the app may import from.
        self.folder = folder
        # form -> running (-> cancelling) -> done | cancelled; back to form when the file cannot be read.
        self.phase = "form"
        self.result: ImportResult | None = None
        self.imported = False
        self._cancel = threading.Event()
        self._path = ""

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        blink = self.casebook_app.cursor_blink
        session = self.casebook_app.session
        assert session is not None  # the mode's key opens it for a signed-in IT officer only
        self.reach = sources.reach(session)
        if self.folder is None:
            self.folder = next((f for f in self.reach.allowed if f.is_dir()), self.reach.allowed[0])
        yield Static(Text(t("logs.import.title")), id="import-title")
        with Vertical(id="import-form"):
            yield Static(Text(t("logs.import.path")), classes="import-label")
            yield TextInput(value=str(self.folder) + os.sep, id="import-path", blink=blink)
            yield LogFileTree(self.folder, self.reach, id="import-tree")
            with Horizontal(id="import-options"):
                with Vertical(id="import-format-box"):
                    yield Static(Text(t("logs.import.format")), classes="import-label")
                    yield Select(
                        [(t("logs.format.auto"), AUTO), *((t(f"logs.format.{f}"), f) for f in formats.FORMATS)],
                        value=AUTO,
                        allow_blank=False,
                        compact=True,
                        id="import-format",
                    )
                with Vertical(id="import-host-box"):
                    yield Static(Text(t("logs.import.host")), classes="import-label")
                    yield TextInput(placeholder=t("logs.import.host_placeholder"), id="import-host", blink=blink)
            yield Static(id="import-message")
            yield Static(Text(t("logs.import.hint")), classes="import-hint")
        with VerticalScroll(id="import-run", can_focus=True):
            yield Static(id="run-title")
            yield ProgressBar(show_eta=False, id="run-bar")
            yield Static(id="run-counts")
            yield Static(id="run-summary")
            yield Static(id="run-hint", classes="import-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#import-run").display = False
        self.query_one("#import-message").display = False
        field = self.query_one("#import-path", Input)
        field.focus()
        field.action_end()

    # -- the form --------------------------------------------------------------

    @on(DirectoryTree.FileSelected, "#import-tree")
    def _file_picked(self, event: DirectoryTree.FileSelected) -> None:
        field = self.query_one("#import-path", Input)
        field.value = str(event.path)
        field.focus()
        field.action_end()
        self._message("")

    @on(Input.Changed, "#import-path")
    def _path_typed(self, event: Input.Changed) -> None:
        """A folder typed in the path field becomes the tree's root, so a long way is typed, not walked."""
        tree = self.query_one(LogFileTree)
        folder = self._typed_path(event.value)
        try:
            if not event.value.strip() or not folder.is_dir() or folder.resolve() == Path(tree.path).resolve():
                return
        except OSError:
            return
        if self.reach(folder):  # a folder the import may not read is not shown either
            tree.path = folder

    def _typed_path(self, text: str) -> Path:
        """A typed path; a relative one is taken in the folder the tree shows, not where the app was started."""
        return Path(self.query_one(LogFileTree).path) / Path(text.strip()).expanduser()

    @on(Input.Submitted, "#import-path")
    @on(Input.Submitted, "#import-host")
    def _submitted(self) -> None:
        self.action_start()

    def _message(self, message: str) -> None:
        widget = self.query_one("#import-message", Static)
        widget.update(plain(message))
        widget.display = bool(message)

    def may_import(self) -> bool:
        return self.may(Action.IMPORT_LOGS)

    def action_start(self) -> None:
        if self.phase != "form" or not self.may_import():
            return
        text = self.query_one("#import-path", Input).value.strip()
        if not text:
            self._message(t("logs.import.no_path"))
            return
        chosen = self.query_one("#import-format", Select).value
        fmt = None if chosen in (AUTO, Select.NULL) else str(chosen)
        host = self.query_one("#import-host", Input).value.strip() or None
        self._path = text
        self._cancel.clear()
        self._message("")
        self._show_phase("running")
        self.query_one("#run-title", Static).update(plain(t("logs.import.running", file=text)))
        bar = self.query_one("#run-bar", ProgressBar)
        bar.update(total=None, progress=0)
        counts = self.query_one("#run-counts", Static)
        counts.update(Text(t("logs.import.checking")))
        counts.set_class(False, "-void")
        self._summary("")
        self.query_one("#run-hint", Static).update(Text(t("logs.import.running_hint")))
        self._run(self._typed_path(text), fmt, host)

    def _show_phase(self, phase: str) -> None:
        self.phase = phase
        form = phase == "form"
        self.query_one("#import-form").display = form
        self.query_one("#import-run").display = not form
        if not form:
            # The run's own page takes the focus: a long summary scrolls with the arrow keys.
            self.query_one("#import-run").focus()
        self.refresh_bindings()

    # -- the run ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="logs-import")
    def _run(self, path: Path, fmt: str | None, host: str | None) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        worker = get_current_worker()

        def progress(report: Progress) -> None:
            if not worker.is_cancelled:  # the screen is gone: nobody to tell
                app.call_from_thread(self._progress, report)

        def cancelled() -> bool:
            # Escape, or the screen went away (signed out, app closing): nothing is kept.
            return self._cancel.is_set() or worker.is_cancelled

        book = app.book.second_connection()
        try:
            result = importer.import_file(
                session.on(book), path, fmt, progress=progress, cancelled=cancelled, default_host=host
            )
        except importer.Cancelled:
            if not worker.is_cancelled:
                app.call_from_thread(self._cancelled)
            return
        except CasebookError as exc:
            app.call_from_thread(self._failed, self._error_message(exc, str(path)))
            return
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            message = (
                t("logs.import.busy", path=str(path))
                if busy
                else t("logs.import.failed", path=str(path), detail=str(exc))
            )
            app.call_from_thread(self._failed, message)
            return
        except (OSError, EOFError, sqlite3.Error) as exc:
            app.call_from_thread(self._failed, t("logs.import.failed", path=str(path), detail=str(exc)))
            return
        finally:
            book.close()
        if not worker.is_cancelled:
            app.call_from_thread(self._done, result)

    @staticmethod
    def _error_message(exc: CasebookError, path: str) -> str:
        if exc.key == "logs.error.unknown_format":
            # The core's message names the command line's --format; here the choice is the form's.
            return t("logs.import.unknown_format", path=path, formats=", ".join(formats.FORMATS))
        return exc.message

    def _progress(self, report: Progress) -> None:
        if not self.is_attached or self.phase not in {"running", "cancelling"}:
            return
        self.query_one("#run-bar", ProgressBar).update(total=max(1, report.total_bytes), progress=report.bytes_read)
        self._show_counts(report.lines, report.imported, report.rejected)

    def _show_counts(self, lines: int, imported: int, rejected: int) -> None:
        counts = t("logs.import.counts", lines=number(lines), imported=number(imported), rejected=number(rejected))
        self.query_one("#run-counts", Static).update(Text(counts))

    def action_cancel(self) -> None:
        if self.phase != "running":
            return
        self._cancel.set()
        self.phase = "cancelling"
        self._summary(Text(t("logs.import.cancelling")))
        self.query_one("#run-hint", Static).update("")
        self.refresh_bindings()

    def _cancelled(self) -> None:
        if not self.is_attached:
            return
        self._show_phase("cancelled")
        self.query_one("#run-title", Static).update(plain(t("logs.import.cancelled_title", file=self._path)))
        # What was read before the cancel, shown faint: none of it was kept.
        self.query_one("#run-counts", Static).set_class(True, "-void")
        self._summary(Text(t("logs.import.cancelled"), style="bold"))
        self.query_one("#run-hint", Static).update(Text(t("logs.import.after_hint")))

    def _failed(self, message: str) -> None:
        if not self.is_attached:
            return
        self._show_phase("form")
        self._message(message)
        field = self.query_one("#import-path", Input)
        field.focus()
        field.action_end()

    def _done(self, result: ImportResult) -> None:
        if not self.is_attached:
            return
        late = self.phase == "cancelling"
        self.result = result
        self.imported = result.import_id is not None
        self._show_phase("done")
        summary = Text()
        bar = self.query_one("#run-bar", ProgressBar)
        if result.skipped:
            self.query_one("#run-title", Static).update(plain(t("logs.import.skipped_title", file=self._path)))
            bar.display = False
            self.query_one("#run-counts", Static).display = False
            summary.append(t("logs.import.skipped", reason=t(f"logs.skipped.{result.skipped}")))
        else:
            fmt = result.format or "-"
            self.query_one("#run-title", Static).update(plain(t("logs.import.done", file=self._path, format=fmt)))
            bar.update(total=max(1, bar.total or 1), progress=max(1, bar.total or 1))
            counts = import_summary.counts_text(
                result.format, result.lines, result.imported, result.not_events, result.rejected, result.seconds
            )
            self.query_one("#run-counts", Static).update(Text(counts + "."))
            if result.first_ts is not None:
                book = self.casebook_app.book
                first, last = moment_text(book, result.first_ts), moment_text(book, result.last_ts)
                summary.append(t("logs.import.period", first=first, last=last))
                summary.append("\n\n")
            if result.reasons:
                summary.append(t("logs.import.reasons"))
                width = max(len(number(c)) for c in result.reasons.values())
                for reason, count in sorted(result.reasons.items(), key=lambda item: (-item[1], item[0])):
                    summary.append(f"\n  {number(count):>{width}} × {t(f'logs.reject.{reason}')}")
            else:
                summary.append(t("logs.import.no_rejects"))
            if result.continues is not None:
                summary.append("\n\n" + t("logs.summary_continues", id=result.continues))
            if result.pending:
                summary.append("\n\n" + t("logs.summary_pending"))
        if late:
            summary.append("\n\n")
            summary.append(t("logs.import.too_late"), style="bold")
        self._summary(summary)
        hint = "logs.import.after_hint_rejects" if self._has_rejects() else "logs.import.after_hint"
        self.query_one("#run-hint", Static).update(Text(t(hint)))

    def _summary(self, text: Text | str) -> None:
        summary = self.query_one("#run-summary", Static)
        summary.update(text)
        summary.display = bool(str(text))

    def _has_rejects(self) -> bool:
        return self.result is not None and self.result.import_id is not None and self.result.rejected > 0

    # -- leaving -----------------------------------------------------------------

    def action_rejects(self) -> None:
        from screens.logs.rejects import LogsRejectsScreen

        if self.phase == "done" and self._has_rejects():
            assert self.result is not None and self.result.import_id is not None
            self.app.push_screen(LogsRejectsScreen(self.result.import_id))

    def action_back(self) -> None:
        if self.phase in {"form", "done", "cancelled"}:
            self.dismiss(self.imported)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start":
            return self.phase == "form" and self.may_import()
        if action == "back":
            return self.phase in {"form", "done", "cancelled"}
        if action == "cancel":
            if self.phase == "cancelling":
                return None
            return self.phase == "running"
        if action == "rejects":
            return self.phase == "done" and self._has_rejects()
        return True
