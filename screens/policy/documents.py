"""The GDPR's documents in Policy mode: the notice, the record of processing, the DPIA draft.

The list shows each document the person may read with its newest version; Enter reads it (the
Markdown as plain text), `m` makes it again from the current policy (administrator), `e` and `p`
write it as Markdown or PDF into the exports folder (casebook.exports) and say where.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from casebook import clock as clocks
from casebook.documents import archive, export
from casebook.documents.archive import Kept, Shelf
from casebook.errors import CasebookError
from casebook.formatting import long_date
from casebook.i18n import t
from casebook.policy import versions
from casebook.session import Session
from screens.base import CasebookScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.workers import read_in_worker

# Whether a document is current comes right after its version: it must show at 80 columns.
COLUMNS = ("document", "version", "current", "made_at", "policy")


def kind_title(kind: str) -> str:
    return t(f"documents.kind.{kind.replace('-', '_')}")


def short_title(kind: str) -> str:
    return t(f"documents.short.{kind.replace('-', '_')}")


def made_text(kept: Kept) -> str:
    return long_date(clocks.local(kept.made_at).date())


class DocumentsTable(DataTable[Text]):
    COMPONENT_CLASSES = {"documents-table--stale"}


class DocumentsScreen(CasebookScreen[None]):
    CSS_PATH = "documents.tcss"
    ACTIONS = (
        "documents.show",
        "documents.make",
        "documents.export_md",
        "documents.export_pdf",
        "documents.back",
    )

    def __init__(self) -> None:
        super().__init__()
        self.shelves: list[Shelf] = []
        self.policy_version = 0
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static(Text(t("documents.title")), id="documents-title")
        yield Static(Text(t("documents.loading")), id="documents-summary")
        yield DocumentsTable(id="documents-table", cursor_type="row")
        yield Static(id="documents-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DocumentsTable)
        for key in COLUMNS:
            table.add_column(Text(t(f"documents.col.{key}")), key=key)
        self.query_one("#documents-message").display = False
        table.focus()
        self.reload()

    def reload(self) -> None:
        def query(session: Session) -> tuple[list[Shelf], int]:
            return archive.overview(session), versions.read(session).version

        read_in_worker(self, self.casebook_app, query, lambda found: self._show(*found), "documents-load")

    def _show(self, shelves: list[Shelf], policy_version: int) -> None:
        if not self.is_attached:
            return  # signed out while the worker read
        self.shelves = shelves
        self.policy_version = policy_version
        table = self.query_one(DocumentsTable)
        row = table.cursor_row
        stale = table.get_component_rich_style("documents-table--stale", partial=True)
        table.clear()
        for shelf in shelves:
            kept = shelf.newest
            if shelf.current is None or kept is None:
                current = Text("-")
            elif shelf.current:
                current = Text(t("common.yes"))
            else:
                current = Text(t("documents.stale"), stale)
            table.add_row(
                Text(short_title(shelf.kind.name)),
                Text(f"v{kept.version}" if kept else "-"),
                current,
                Text(made_text(kept) if kept else t("documents.not_made")),
                Text(str(kept.policy_version) if kept else "-"),
                key=shelf.kind.name,
            )
        if shelves:
            table.move_cursor(row=min(row, len(shelves) - 1), animate=False)
        self.query_one("#documents-summary", Static).update(Text(t("documents.summary", version=policy_version)))
        self._describe()
        self.refresh_bindings()

    def selected(self) -> Shelf | None:
        table = self.query_one(DocumentsTable)
        if not self.shelves or table.row_count == 0:
            return None
        return self.shelves[min(table.cursor_row, len(self.shelves) - 1)]

    @on(DataTable.RowHighlighted, "#documents-table")
    def _highlighted(self) -> None:
        self._describe()
        self.refresh_bindings()

    def _describe(self) -> None:
        """Under the list: what the highlighted document still lacks from the policy (for its maker)."""
        shelf = self.selected()
        if shelf is not None and shelf.missing:
            self._message(t("documents.missing", count=len(shelf.missing), facts=", ".join(shelf.missing)))
        else:
            self._message("")

    def _message(self, message: str) -> None:
        widget = self.query_one("#documents-message", Static)
        widget.update(plain(message))
        widget.display = bool(message)

    # -- actions ---------------------------------------------------------------

    @on(DataTable.RowSelected, "#documents-table")
    def _selected(self) -> None:
        self.action_show()

    def action_show(self) -> None:
        shelf = self.selected()
        if shelf is None:
            return
        if shelf.newest is None:
            self.notify(t("documents.none_yet", kind=kind_title(shelf.kind.name)), markup=False)
            return
        self.app.push_screen(DocumentTextScreen(shelf.newest))

    def action_make(self) -> None:
        shelf = self.selected()
        if shelf is None or not shelf.may_make or self.busy:
            return
        self.busy = True
        self._make(shelf.kind.name)

    @work(thread=True, exclusive=True, group="documents-make")
    def _make(self, kind: str) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            made = archive.make(session, kind)
        except CasebookError as exc:
            app.call_from_thread(self._done, exc.message, "error")
            return
        key = "documents.made" if made.new else "documents.unchanged"
        message = t(key, kind=kind_title(kind), version=made.kept.version, policy=made.kept.policy_version)
        app.call_from_thread(self._done, message, "information")
        app.call_from_thread(self.reload)

    def action_export(self, fmt: str) -> None:
        shelf = self.selected()
        if shelf is None or shelf.newest is None or self.busy:
            return
        self.busy = True
        self._export(shelf.kind.name, shelf.newest.version, fmt)

    @work(thread=True, exclusive=True, group="documents-export")
    def _export(self, kind: str, version: int, fmt: str) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            path = export.export_to_folder(session, kind, fmt, version)
        except CasebookError as exc:
            app.call_from_thread(self._done, exc.message, "error")
            return
        message = t("documents.exported", path=str(path))
        app.call_from_thread(self._done, message, "information")
        app.call_from_thread(self._message, message)

    def _done(self, message: str, severity: str) -> None:
        self.busy = False
        if self.is_attached:
            self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.permitted(action):
            return False
        shelf = self.selected()
        if action == "make":
            return False if shelf is not None and not shelf.may_make else True
        if action in {"show", "export"}:
            return True if shelf is not None and shelf.newest is not None else None
        return True


class DocumentTextScreen(CasebookScreen[None]):
    """One kept version as its Markdown, plain text that scrolls; nothing in it is read as markup."""

    CSS_PATH = "documents.tcss"
    ACTIONS = ("documents.text.back",)

    def __init__(self, kept: Kept) -> None:
        super().__init__()
        self.kept = kept

    def compose(self) -> ComposeResult:
        kept = self.kept
        title = t(
            "documents.text.title",
            kind=kind_title(kept.kind),
            version=kept.version,
            date=made_text(kept),
            policy=kept.policy_version,
        )
        yield Static(Text(title), id="documents-text-title")
        with VerticalScroll(id="documents-text"):
            yield Static(plain(kept.markdown), id="documents-text-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#documents-text").focus()

    def action_back(self) -> None:
        self.dismiss(None)
