"""Cases mode: the cases of the casebook, newest first, a page at a time, filtered by step, purpose and 'due'.

Each row says where a case stands (its step in words), what it is about (purpose, period), how much
it found and how many people it names (a number; never who), and the nearest date something is due on
it, with ✖ when that date has passed. `n` opens a new case (a supervisor's decision); Enter opens a
case's page (screens/cases/page.py). Every read goes through casebook.cases in a worker.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from casebook import cases
from casebook.cases import CaseLine, CaseState, DueItem
from casebook.formatting import number
from casebook.i18n import t
from casebook.permissions import Action
from casebook.session import Session
from screens import actions
from screens.base import ModeScreen
from screens.cases import labels
from screens.cases.new_case import open_new_case
from screens.cases.page import CaseScreen
from screens.widgets.paged_table import Column, PagedTable
from screens.workers import read_in_worker

# Rows read at a time; the next page loads when the cursor reaches the last row.
PAGE = 50
STATES: tuple[CaseState | None, ...] = (None, *CaseState)
PURPOSES: tuple[int | None, ...] = (None, 1, 2, 3, 4)
COLUMNS = ("id", "purpose", "state", "period", "findings", "people", "due")
NUMBERS = {"id", "findings", "people"}
# Widths at 80 columns: together with the cells' padding they fill the table exactly.
WIDTHS = {"id": 3, "purpose": 4, "state": 18, "period": 18, "findings": 5, "people": 5, "due": 12}
OVERDUE = "✖"
# Room a wide terminal gives the purpose's name beside its number ("2 vertrouwelijk").
WIDE_PURPOSE = 12


def due_cell(line: CaseLine) -> Text:
    if line.due is None:
        return Text("-")
    if line.overdue:
        return Text(f"{OVERDUE} {line.due.isoformat()}", style="bold")
    return Text(line.due.isoformat())


class CasesTable(PagedTable[CaseLine]):
    """The cases, newest first; Enter opens the highlighted one."""

    BINDINGS = actions.bindings(("cases.open",))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(self._fetch, self._cells, page_size=PAGE, identity=lambda line: line.id, **kwargs)
        actions.translate_bindings(self)
        self.state: CaseState | None = None
        self.purpose: int | None = None
        self.only_due = False
        self.wide = False

    def _fetch(self, session: Session, offset: int, limit: int, order: str | None) -> list[CaseLine]:
        return cases.listing(
            session, state=self.state, purpose=self.purpose, only_due=self.only_due, limit=limit, offset=offset
        )

    def _cells(self, line: CaseLine) -> list[Text]:
        purpose = f"{line.purpose} {labels.purpose_name(line.purpose)}" if self.wide else str(line.purpose)
        return [
            Text(str(line.id), justify="right"),
            Text(purpose, no_wrap=True, overflow="ellipsis"),
            Text(labels.state_text(line.state), no_wrap=True, overflow="ellipsis"),
            Text(labels.period_text(line.period_from, line.period_to)),
            Text(number(line.findings), justify="right"),
            Text(number(line.people), justify="right"),
            due_cell(line),
        ]

    def filter(self, state: CaseState | None, purpose: int | None, only_due: bool) -> None:
        """Show the cases that match, from the first page."""
        self.state, self.purpose, self.only_due = state, purpose, only_due
        # The fetch reads the filters when it runs: a worker started now uses these.
        state_now, purpose_now, due_now = state, purpose, only_due
        self.fetch = lambda session, offset, limit, order: cases.listing(
            session, state=state_now, purpose=purpose_now, only_due=due_now, limit=limit, offset=offset
        )
        self.reload(keep=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return bool(self.row_count)
        return True


class CasesView(Vertical):
    """The filter line, the table (or the empty state that says why it is empty), the highlighted case in words."""

    def compose(self) -> ComposeResult:
        yield Static(Text(t("cases.loading")), id="cases-filter")
        yield CasesTable(id="cases-table")
        detail = Static(id="cases-detail")
        detail.display = False
        yield detail
        # Hidden from the start: a scrollable empty state shown for a moment would take the screen's first focus.
        with VerticalScroll(id="cases-empty") as empty:
            empty.display = False
            yield Static(id="cases-empty-title")
            yield Static(id="cases-empty-body")


class CasesScreen(ModeScreen):
    mode_id = "cases"
    action = Action.MODE_CASES
    CSS_PATH = "cases.tcss"
    ACTIONS = ("cases.new", "cases.filter_state", "cases.filter_purpose", "cases.filter_due", "cases.reload")

    def __init__(self) -> None:
        super().__init__()
        self.state: CaseState | None = None
        self.purpose: int | None = None
        self.only_due = False
        self.due_items: list[DueItem] = []
        self._fresh = True

    def compose_body(self) -> ComposeResult:
        yield CasesView(id="cases-view")

    def on_mount(self) -> None:
        self._columns()
        self.query_one(CasesTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        # Back from a case's page or from another mode: steps may have been taken meanwhile.
        if self._fresh:
            self._fresh = False
            return
        self.reload(keep=True)

    def on_resize(self) -> None:
        self._columns()

    def _columns(self) -> None:
        table = self.query_one(CasesTable)
        width = (table.size.width or self.app.size.width) - 2
        fixed = sum(WIDTHS.values()) + 2 * table.cell_padding * len(COLUMNS)
        spare = max(0, width - fixed)
        # A wide terminal names the purpose beside its number.
        table.wide = spare >= 12
        widths = dict(WIDTHS, purpose=WIDTHS["purpose"] + (min(spare, WIDE_PURPOSE) if table.wide else 0))
        table.set_columns(
            [
                Column(key, Text(t(f"cases.col.{key}"), justify="right" if key in NUMBERS else "left"), widths[key])
                for key in COLUMNS
            ]
        )

    # -- loading -----------------------------------------------------------------

    def reload(self, keep: bool = False) -> None:
        self._filter_line(loading=True)
        table = self.query_one(CasesTable)
        if keep and table.loaded:
            table.reload(keep=True)
        else:
            table.filter(self.state, self.purpose, self.only_due)
        read_in_worker(self, self.casebook_app, cases.due, self._due, "cases-due")

    def _due(self, items: list[DueItem]) -> None:
        if not self.is_attached:
            return
        self.due_items = items
        self._detail()

    @on(PagedTable.Changed, "#cases-table")
    def _paged(self, event: PagedTable.Changed) -> None:
        if event.error:
            self.notify(event.error, severity="error", markup=False)
            return
        table = self.query_one(CasesTable)
        empty = not table.items
        table.display = not empty
        self.query_one("#cases-empty").display = empty
        if empty:
            self._empty_state()
        self._filter_line()
        self._detail()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#cases-table")
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected, "#cases-table")
    def _chosen(self) -> None:
        line = self.query_one(CasesTable).selected()
        if line is not None:
            self.app.push_screen(CaseScreen(line.id))

    def _filtered(self) -> bool:
        return self.state is not None or self.purpose is not None or self.only_due

    def _empty_state(self) -> None:
        """Why the list is empty: no case yet (and how one begins), or none that matches the filters."""
        if self._filtered():
            title = t("cases.empty.filtered_title")
            keys = ", ".join(
                actions.BY_ID[i].keys for i in ("cases.filter_state", "cases.filter_purpose", "cases.filter_due")
            )
            paragraphs = [t("cases.empty.filtered", filters=self._filters_text(), keys=keys)]
        else:
            title = t("cases.empty.title")
            if self.may(Action.CASE_DECIDE):
                paragraphs = [t("cases.empty.supervisor", key=actions.BY_ID["cases.new"].keys)]
            else:
                paragraphs = [t("cases.empty.officer")]
            paragraphs.append(t("mode.cases.purpose"))
        self.query_one("#cases-empty-title", Static).update(Text(title))
        self.query_one("#cases-empty-body", Static).update(Text("\n\n".join(paragraphs)))

    def _filters_text(self) -> str:
        parts = []
        if self.state is not None:
            parts.append(f"{t('cases.filter.state')} {labels.state_text(self.state)}")
        if self.purpose is not None:
            parts.append(f"{t('cases.filter.purpose')} {self.purpose} {labels.purpose_name(self.purpose)}")
        if self.only_due:
            parts.append(f"{t('cases.filter.due')} {t('cases.filter.due_only')}")
        return " · ".join(parts)

    def _filter_line(self, loading: bool = False) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        all_ = t("cases.filter.all")

        def part(label: str, value: str, chosen: bool, key: str) -> None:
            line.append(f"{label} ", "bold")
            line.append(f"[{value}]" if chosen else value, "bold reverse" if chosen else "")
            line.append(f" ({key})  ")

        part(
            t("cases.filter.state"),
            labels.state_text(self.state) if self.state else all_,
            self.state is not None,
            actions.BY_ID["cases.filter_state"].keys,
        )
        part(
            t("cases.filter.purpose"),
            f"{self.purpose} {labels.purpose_name(self.purpose)}" if self.purpose else all_,
            self.purpose is not None,
            actions.BY_ID["cases.filter_purpose"].keys,
        )
        part(
            t("cases.filter.due"),
            t("cases.filter.due_only") if self.only_due else all_,
            self.only_due,
            actions.BY_ID["cases.filter_due"].keys,
        )
        table = self.query_one(CasesTable)
        count = Text(no_wrap=True, overflow="ellipsis")
        if loading:
            count.append(t("cases.loading"))
        else:
            count.append(t("cases.shown", count=len(table.items)))
            if table.more:
                count.append(" · " + t("cases.more"), "italic")
            if any(item.overdue for item in table.items):
                count.append(" · " + t("cases.legend"), "bold")
        self.query_one("#cases-filter", Static).update(Text("\n").join([line, count]))

    def _detail(self) -> None:
        """The highlighted case in words: purpose, circumstance, what is due on it and by when."""
        table = self.query_one(CasesTable)
        line = table.selected() if table.display else None
        detail = self.query_one("#cases-detail", Static)
        detail.display = line is not None
        if line is None:
            return
        head = t(
            "cases.detail",
            id=line.id,
            purpose=line.purpose,
            purpose_name=labels.purpose_name(line.purpose),
            circumstance=labels.circumstance_text(line.circumstance),
            opened=self.casebook_app.book.local_time_text(line.opened_at),
        )
        items = [i for i in self.due_items if i.case_id == line.id]
        if items:
            whats = []
            for item in items:
                what = t(f"cases.due.{item.verb}")
                if item.due is not None:
                    key = "cases.due.late" if item.overdue else "cases.due.by"
                    what = t(key, what=what, date=item.due.isoformat())
                whats.append(what)
            due = t("cases.detail.due", what=", ".join(whats))
        else:
            due = t("cases.detail.nothing_due")
        detail.update(Text("\n").join([Text(head, no_wrap=True, overflow="ellipsis"), Text(due)]))

    # -- actions -----------------------------------------------------------------

    def action_cycle_state(self) -> None:
        self.state = STATES[(STATES.index(self.state) + 1) % len(STATES)]
        self.reload()

    def action_cycle_purpose(self) -> None:
        self.purpose = PURPOSES[(PURPOSES.index(self.purpose) + 1) % len(PURPOSES)]
        self.reload()

    def action_toggle_due(self) -> None:
        self.only_due = not self.only_due
        self.reload()

    def action_reload(self) -> None:
        self.reload(keep=True)

    def action_new_case(self) -> None:
        if not self.may(Action.CASE_DECIDE):
            return

        def opened(case_id: int) -> None:
            self.reload()
            self.app.push_screen(CaseScreen(case_id))

        open_new_case(self, opened)
