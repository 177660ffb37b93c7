"""Access mode: the employee's rights (GDPR art. 12-21) as requests with their deadlines.

An employee sees their own requests (their account linked to their person in the directory; an
unlinked account is told so and whom to ask) and files a new one with `n`. Whoever handles requests
(the administrator, the IT officer) sees every request, the most urgent first; the administrator files
one on an employee's behalf with `n`. Enter opens a request (screens/access/request.py). The core
decides what each person may see: this screen only ever asks for the signed-in person's own list.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from casebook import access
from casebook.access import Request
from casebook.errors import Refused
from casebook.i18n import t
from casebook.permissions import Action
from casebook.session import Session
from screens import actions
from screens.access.forms import NewRequestForm
from screens.access.labels import deadline_words, due_cell, kind_name, status_name
from screens.access.request import RequestScreen
from screens.base import ModeScreen
from screens.widgets.paged_table import Column, PagedTable
from screens.widgets.plain_text import plain
from screens.workers import read_in_worker

PAGE = 100
# At 80 columns there is no room for the date received: the line under the list says it.
MANAGER_COLUMNS = ("id", "kind", "employee", "due", "status")
EMPLOYEE_COLUMNS = ("kind", "received", "due", "status")


class RequestsTable(PagedTable[Request]):
    """Requests, the most urgent first (the core's order); Enter opens the highlighted one."""

    COMPONENT_CLASSES = {"requests-table--overdue"}
    BINDINGS = actions.bindings(("access.open",))

    def __init__(self, manager: bool, **kwargs: object) -> None:
        super().__init__(
            lambda session, offset, limit, _order: access.listing(session, limit=limit, offset=offset),
            self._cells,
            page_size=PAGE,
            identity=lambda request: request.id,
            **kwargs,
        )
        self.manager = manager
        self.today = date.min
        actions.translate_bindings(self)

    def _cells(self, request: Request) -> list[Text]:
        overdue = request.overdue(self.today)
        late = self.get_component_rich_style("requests-table--overdue", partial=True) if overdue else ""
        cells = {
            "id": Text(str(request.id), justify="right"),
            "kind": Text(kind_name(request.kind)),
            "employee": plain(request.employee_name),
            "received": Text(request.received_on.isoformat()),
            "due": Text(due_cell(request, self.today), style=late),
            "status": Text(status_name(request.status)),
        }
        return [cells[key] for key in (MANAGER_COLUMNS if self.manager else EMPLOYEE_COLUMNS)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return bool(self.row_count)
        return True


def _linked(session: Session) -> bool:
    """Whether the employee's account is linked to their person (without it there is nothing of theirs)."""
    try:
        access.own_employee(session)
    except Refused as refusal:
        if refusal.rule == "access.linked":
            return False
        raise
    return True


class AccessScreen(ModeScreen):
    mode_id = "access"
    action = Action.MODE_ACCESS
    CSS_PATH = "access.tcss"
    ACTIONS = ("access.new", "access.reload")

    def __init__(self) -> None:
        super().__init__()
        self._fresh = True
        self.linked: bool | None = None  # an employee's account: known once read
        self.late = 0  # requests past their deadline unanswered

    @property
    def manager(self) -> bool:
        """Whoever handles requests sees them all; anyone else only their own."""
        return self.may(Action.REQUEST_MANAGE)

    def compose_body(self) -> ComposeResult:
        yield Static(Text(t("access.screen.loading")), id="access-summary")
        yield RequestsTable(self.manager, id="access-table")
        detail = Static(id="access-detail")
        detail.display = False
        yield detail
        # Not a scrollable EmptyState: shown for a moment, it would take the screen's first focus.
        empty = Static(id="access-empty")
        empty.display = False
        yield empty

    def on_mount(self) -> None:
        table = self.query_one(RequestsTable)
        keys = MANAGER_COLUMNS if self.manager else EMPLOYEE_COLUMNS
        table.set_columns(
            [
                Column(key, Text(t(f"access.screen.col.{key}"), justify="right" if key == "id" else "left"))
                for key in keys
            ]
        )
        table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        # Back from a request, or from another mode: the request may have changed, others may have filed one.
        if self._fresh:
            self._fresh = False
            return
        self.action_reload()

    # -- loading ------------------------------------------------------------------

    def action_reload(self) -> None:
        if self.manager:
            self.linked = True
            self._reload_table()
            return
        read_in_worker(self, self.casebook_app, _linked, self._linked_known, "access-linked")

    def _linked_known(self, linked: bool) -> None:
        if not self.is_attached:
            return
        self.linked = linked
        if linked:
            self._reload_table()
            return
        self._show_empty(
            t("access.screen.not_linked.title"),
            [t("access.screen.not_linked.body", name=self.session.user.name), t("access.screen.not_linked.ask")],
        )
        self.query_one("#access-summary").display = False
        self.refresh_bindings()

    def _reload_table(self) -> None:
        table = self.query_one(RequestsTable)
        table.today = self.session.today()
        table.reload()
        read_in_worker(self, self.casebook_app, lambda session: len(access.overdue(session)), self._late, "access-late")

    def _late(self, count: int) -> None:
        if self.is_attached:
            self.late = count
            self._summary()

    @on(PagedTable.Changed, "#access-table")
    def _loaded(self, event: PagedTable.Changed) -> None:
        if event.error:
            self.notify(event.error, severity="error", markup=False)
            return
        table = self.query_one(RequestsTable)
        empty = not table.items
        table.display = not empty
        self.query_one("#access-summary").display = True
        if empty:
            self._show_empty(*self._empty_texts())
        else:
            self.query_one("#access-empty").display = False
        self._summary()
        self._detail()
        self.refresh_bindings()

    def _empty_texts(self) -> tuple[str, list[str]]:
        if self.manager:
            return t("access.screen.none.title"), [t("access.screen.none.manager"), t("mode.access.purpose")]
        return t("access.screen.none.title"), [t("access.screen.none.employee"), t("access.screen.rights")]

    def _show_empty(self, title: str, paragraphs: list[str]) -> None:
        text = Text(title, style="bold")
        for paragraph in paragraphs:
            text.append("\n\n" + paragraph)
        empty = self.query_one("#access-empty", Static)
        empty.update(text)
        empty.display = True
        self.query_one(RequestsTable).display = False
        self.query_one("#access-detail").display = False

    def _summary(self) -> None:
        table = self.query_one(RequestsTable)
        line = Text(t("access.screen.summary.manager" if self.manager else "access.screen.summary.employee"))
        if self.late:
            line.append("  ")
            line.append(t("access.overdue_count", count=self.late), "bold")
        if table.more:
            line.append(t("access.screen.loaded", count=len(table.items)))
        self.query_one("#access-summary", Static).update(line)

    # -- the highlighted request --------------------------------------------------------

    def selected(self) -> Request | None:
        return self.query_one(RequestsTable).selected()

    @on(DataTable.RowHighlighted, "#access-table")
    def _highlighted(self) -> None:
        self._detail()

    def _detail(self) -> None:
        detail = self.query_one("#access-detail", Static)
        request = self.selected()
        detail.display = request is not None
        if request is None:
            return
        today = self.query_one(RequestsTable).today
        params = {
            "id": request.id,
            "kind": kind_name(request.kind),
            "received": request.received_on.isoformat(),
            "due": request.due_on.isoformat(),
        }
        if self.manager:
            text = t("access.screen.detail.manager", name=request.employee_name, email=request.employee_email, **params)
        else:
            text = t("access.screen.detail.employee", **params)
        words = deadline_words(request, today)
        if request.decided_on is not None:
            words = t(
                "access.screen.detail.decided", status=status_name(request.status), date=request.decided_on.isoformat()
            )
        detail.update(plain(f"{text} · {words}" if words else text))

    @on(DataTable.RowSelected, "#access-table")
    def _chosen(self) -> None:
        request = self.selected()
        if request is not None:
            self.app.push_screen(RequestScreen(request.id))

    # -- filing a request ---------------------------------------------------------------

    def _may_file(self) -> bool:
        if self.manager:
            return self.may(Action.REQUEST_FOR)
        return self.may(Action.REQUEST_OWN) and self.linked is True

    def action_new_request(self) -> None:
        if not self._may_file():
            return

        def filed(request: Request | None) -> None:
            if request is None:
                return
            self.notify(
                t("access.filed", id=request.id, kind=kind_name(request.kind), due=request.due_on.isoformat()),
                markup=False,
            )
            self.action_reload()

        self.app.push_screen(NewRequestForm(on_behalf=self.manager), filed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.permitted(action):
            return False
        if action == "new_request":
            return self._may_file()
        return True
