"""The irregularities the global control found: newest first, a page at a time, per purpose or all.

Each says what happened globally ("1 user over 2048 MB on 5 Nov") and how many events it keeps for
an individualisation a supervisor may approve later; never who. `r` runs the adopted purposes' rules
(who may run the control only; a policy that is not ready refuses, and the refusal shows here). While
the policy is not ready the list itself is refused too: the refusal shows in its place.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from casebook import rules
from casebook.errors import CasebookError
from casebook.formatting import number
from casebook.i18n import t
from casebook.permissions import Action
from casebook.rules import Irregularity, RunReport
from screens.base import CasebookScreen
from screens.logs.labels import overview_refusal
from screens.widgets.key_bar import KeyBar
from screens.widgets.paged_table import Column, PagedTable
from screens.widgets.plain_text import clean, plain

PAGE = 50
PURPOSES = (1, 2, 3, 4)
COLUMNS = ("day", "purpose", "events", "summary")


def _cells(item: Irregularity) -> list[Text]:
    return [
        Text(item.day.isoformat()),
        Text(str(item.purpose), justify="center"),
        Text(number(item.events), justify="right"),
        # It names a domain from the logs: plain text, control characters stripped.
        Text(clean(item.summary), no_wrap=True, overflow="ellipsis"),
    ]


class IrregularitiesTable(PagedTable[Irregularity]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(self._all, _cells, page_size=PAGE, **kwargs)

    @staticmethod
    def _all(session: object, offset: int, limit: int, order: str | None) -> list[Irregularity]:
        return rules.listing(session, limit=limit, offset=offset)  # type: ignore[arg-type]

    def filter(self, purpose: int | None) -> None:
        """Show one purpose's irregularities (None: all), from the first page."""
        self.fetch = lambda session, offset, limit, order: rules.listing(
            session, limit=limit, offset=offset, purpose=purpose
        )
        self.reload(keep=False)


class IrregularitiesScreen(CasebookScreen[None]):
    CSS_PATH = "overview.tcss"
    ACTIONS = (
        "irregularities.run",
        "irregularities.case",
        *(f"irregularities.purpose_{p}" for p in (0, *PURPOSES)),
        "irregularities.back",
    )

    def __init__(self, purpose: int | None = None) -> None:
        super().__init__()
        self.purpose = purpose
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static(Text(t("irregularities.title")), id="irregularities-title", classes="logs-title")
        yield Static(id="irregularities-filter")
        yield Static(id="irregularities-message")
        yield IrregularitiesTable(id="irregularities-table")
        yield Static(id="irregularities-empty")
        yield Static(id="irregularities-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(IrregularitiesTable)
        self._columns()
        self.query_one("#irregularities-message").display = False
        self.query_one("#irregularities-empty").display = False
        table.focus()
        self.reload()

    def _columns(self) -> None:
        """The summary takes what the other columns leave (cut with …; the line below shows it whole)."""
        table = self.query_one(IrregularitiesTable)
        labels = {key: Text(t(f"irregularities.col.{key}")) for key in COLUMNS}
        labels["events"].justify = "right"
        fixed = {"day": 10, "purpose": len(labels["purpose"]), "events": max(len(labels["events"]), 5)}
        padding = 2 * table.cell_padding
        # The table's width less its left bar and scroll bar; the screen's while it has no size yet.
        width = (table.size.width or self.app.size.width) - 2
        summary = max(len(labels["summary"]), width - sum(fixed.values()) - padding * len(COLUMNS))
        table.set_columns([Column(key, labels[key], fixed.get(key, summary)) for key in COLUMNS])

    def on_resize(self) -> None:
        self._columns()

    # -- loading -------------------------------------------------------------

    def reload(self) -> None:
        session = self.casebook_app.session
        if session is None:
            return
        refusal = overview_refusal(session)
        if refusal is not None:
            self._refused(refusal)
            return
        self._filter_line(loading=True)
        self.query_one(IrregularitiesTable).filter(self.purpose)

    def _refused(self, refusal: Text) -> None:
        """The core's refusal to show the list (the policy not ready), in the list's place."""
        self.query_one(IrregularitiesTable).display = False
        self.query_one("#irregularities-detail").display = False
        empty = self.query_one("#irregularities-empty", Static)
        empty.update(refusal)
        empty.set_class(True, "-refused")
        empty.display = True
        self._filter_line(loading=False)
        self.refresh_bindings()

    @on(PagedTable.Changed, "#irregularities-table")
    def _paged(self, event: PagedTable.Changed) -> None:
        if event.error:
            self._message(event.error, ok=False)
            return
        table = self.query_one(IrregularitiesTable)
        empty = self.query_one("#irregularities-empty", Static)
        empty.set_class(False, "-refused")
        empty.display = not table.items
        empty.update(Text(t("irregularities.empty" if self.purpose is None else "irregularities.empty_purpose")))
        table.display = bool(table.items)
        self._filter_line()
        self._detail()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#irregularities-table")
    def _highlighted(self) -> None:
        self._detail()
        table = self.query_one(IrregularitiesTable)
        if table.fetching:
            self._filter_line(loading=True)

    def _filter_line(self, loading: bool = False) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(t("irregularities.filter") + " ", "bold")
        for purpose in (0, *PURPOSES):
            label = f"{purpose} {t(f'irregularities.purpose.{purpose}.short')}"
            if (self.purpose or 0) == purpose:
                line.append(f"[{label}]", "bold reverse")
            else:
                line.append(f" {label} ")
            line.append(" ")
        table = self.query_one(IrregularitiesTable)
        count = Text()
        if loading:
            count.append(t("overview.loading"))
        else:
            count.append(t("irregularities.shown", count=number(len(table.items))))
            if table.more:
                count.append(" · " + t("irregularities.more"), "italic")
        self.query_one("#irregularities-filter", Static).update(Text("\n").join([line, count]))

    def _detail(self) -> None:
        """The highlighted irregularity in full, wrapped: its summary is longer than 80 columns."""
        item = self.selected()
        detail = self.query_one("#irregularities-detail", Static)
        detail.display = item is not None
        if item is None:
            return
        head = Text(
            t(
                "irregularities.detail",
                rule=t(f"irregularities.rule.{item.rule}"),
                purpose=item.purpose,
                purpose_name=t(f"irregularities.purpose.{item.purpose}.long"),
                events=number(item.events),
            ),
            "bold",
        )
        detail.update(Text("\n").join([head, plain(item.summary)]))

    def selected(self) -> Irregularity | None:
        table = self.query_one(IrregularitiesTable)
        return table.selected() if table.display else None

    def _message(self, message: str, ok: bool) -> None:
        widget = self.query_one("#irregularities-message", Static)
        widget.set_class(not ok, "-error")
        widget.update(plain(("✔ " if ok else "✖ ") + message))
        widget.display = bool(message)

    # -- actions -------------------------------------------------------------

    def action_purpose(self, purpose: int) -> None:
        self.purpose = purpose or None
        self.reload()

    def action_run(self) -> None:
        if self.running or not self.may(Action.RUN_CONTROL):
            return
        self.running = True
        self._message(t("irregularities.running"), ok=True)
        self.refresh_bindings()
        self._run()

    @work(thread=True, exclusive=True, group="irregularities-run")
    def _run(self) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            report = rules.run(session)
        except CasebookError as exc:  # a Refused among them: the policy not ready, the role gone
            app.call_from_thread(self._ran, None, exc.message)
            return
        app.call_from_thread(self._ran, report, "")

    def _ran(self, report: RunReport | None, refusal: str) -> None:
        if not self.is_attached:
            return
        self.running = False
        self.refresh_bindings()
        if report is None:
            self._message(refusal, ok=False)
            self.notify(refusal, severity="error", markup=False)
            return
        message = "\n".join([report.said(), *report.not_judged()])
        self._message(message, ok=True)
        self.notify(message, markup=False)
        self.reload()

    def action_open_case(self) -> None:
        """A case from the highlighted irregularity (supervisor): its purpose and the days around it filled in.

        Meaningful under permanent control; whatever the law forbids, the core refuses and the form says why.
        """
        item = self.selected()
        if item is None or not self.may(Action.CASE_DECIDE):
            return
        from screens.cases.new_case import open_new_case

        open_new_case(self, lambda case_id: None, irregularity=item)

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return True
        if not self.may(Action.MODE_LOGS):
            return False
        if action == "run":
            if not self.may(Action.RUN_CONTROL):
                return False
            return None if self.running else True
        if action == "open_case":
            if not self.may(Action.CASE_DECIDE):
                return False
            return self.selected() is not None
        return super().check_action(action, parameters)
