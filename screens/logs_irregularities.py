"""The irregularities the global control found: newest first, a page at a time, per purpose or all.

Each says what happened globally ("1 user over 2048 MB on 5 Nov") and how many events it keeps for
an individualisation a supervisor may approve later; never who. `r` runs the adopted purposes' rules
(who may run the control only; a policy that is not ready refuses, and the refusal shows here).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from casebook import rules
from casebook.errors import CasebookError
from casebook.i18n import t
from casebook.permissions import Action
from casebook.rules import Irregularity, RunReport
from screens.base import CasebookScreen
from screens.logs_format import number
from screens.text import clean, plain

PAGE = 50
PURPOSES = (1, 2, 3, 4)
COLUMNS = ("day", "purpose", "events", "summary")
# 0 1 2 3 4 share one label in the footer.
PURPOSE_KEYS = Binding.Group("irregularities.key.purpose_group", compact=True)


class IrregularitiesTable(DataTable[Text]):
    pass


class IrregularitiesScreen(CasebookScreen[None]):
    CSS_PATH = "logs_overview.tcss"
    BINDINGS = [
        Binding("r", "run", "irregularities.key.run", id="irregularities.run"),
        *(
            Binding(
                str(p),
                f"purpose({p})",
                f"irregularities.key.purpose_{p}",
                id=f"irregularities.purpose_{p}",
                group=PURPOSE_KEYS,
            )
            for p in (0, *PURPOSES)
        ),
        Binding("escape", "back", "irregularities.key.back", id="irregularities.back"),
    ]

    def __init__(self, purpose: int | None = None) -> None:
        super().__init__()
        self.purpose = purpose
        self.items: list[Irregularity] = []
        self.more = False
        self.busy = False
        self.running = False
        self.generation = 0

    def may(self, action: Action) -> bool:
        session = self.casebook_app.session
        return session is not None and session.may(action)

    def compose(self) -> ComposeResult:
        yield Static(Text(t("irregularities.title")), id="irregularities-title", classes="logs-title")
        yield Static(id="irregularities-filter")
        yield Static(id="irregularities-message")
        yield IrregularitiesTable(id="irregularities-table", cursor_type="row")
        yield Static(id="irregularities-empty")
        yield Static(id="irregularities-detail")
        yield Footer(compact=True)

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
        table.clear(columns=True)
        for key in COLUMNS:
            table.add_column(labels[key], key=key, width=fixed.get(key, summary))
        self._add_rows(self.items, 0)

    def on_resize(self) -> None:
        cursor = self.query_one(IrregularitiesTable).cursor_row
        self._columns()
        if self.items:
            self.query_one(IrregularitiesTable).move_cursor(row=min(cursor, len(self.items) - 1), animate=False)

    def _add_rows(self, rows: list[Irregularity], start: int) -> None:
        table = self.query_one(IrregularitiesTable)
        for index, item in enumerate(rows, start):
            table.add_row(
                Text(item.day.isoformat()),
                Text(str(item.purpose), justify="center"),
                Text(number(item.events), justify="right"),
                # It names a domain from the logs: plain text, control characters stripped.
                Text(clean(item.summary), no_wrap=True, overflow="ellipsis"),
                key=str(index),
            )

    # -- loading -------------------------------------------------------------

    def reload(self) -> None:
        self.generation += 1
        self.busy = True
        self.items = []
        self.more = False
        self.query_one(IrregularitiesTable).clear()
        self._filter_line(loading=True)
        self._page(self.purpose, 0, self.generation)

    @work(thread=True, exclusive=True, group="irregularities-page")
    def _page(self, purpose: int | None, offset: int, generation: int) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            # One more than a page: whether there is a next one, without counting them all.
            found = rules.listing(session, limit=PAGE + 1, offset=offset, purpose=purpose)
        except CasebookError as exc:
            app.call_from_thread(self._failed, exc.message, generation)
            return
        app.call_from_thread(self._paged, found, offset, generation)

    def _failed(self, message: str, generation: int) -> None:
        if self.is_attached and generation == self.generation:
            self.busy = False
            self._message(message, ok=False)

    def _paged(self, found: list[Irregularity], offset: int, generation: int) -> None:
        if not self.is_attached or generation != self.generation or offset != len(self.items):
            return
        self.busy = False
        self.more = len(found) > PAGE
        rows = found[:PAGE]
        table = self.query_one(IrregularitiesTable)
        self._add_rows(rows, len(self.items))
        self.items.extend(rows)
        empty = self.query_one("#irregularities-empty", Static)
        empty.display = not self.items
        empty.update(Text(t("irregularities.empty" if self.purpose is None else "irregularities.empty_purpose")))
        table.display = bool(self.items)
        self._filter_line()
        self._detail()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#irregularities-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()
        if event.cursor_row >= event.data_table.row_count - 1:
            self.load_more()

    def load_more(self) -> None:
        if self.busy or not self.more:
            return
        self.busy = True
        self._filter_line(loading=True)
        self._page(self.purpose, len(self.items), self.generation)

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
        count = Text()
        if loading:
            count.append(t("overview.loading"))
        else:
            count.append(t("irregularities.shown", count=number(len(self.items))))
            if self.more:
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
        if not table.row_count or not table.display:
            return None
        index = table.cursor_row
        return self.items[index] if 0 <= index < len(self.items) else None

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
        message = t("rules.ran", days=report.days, rules=len(report.rules), found=report.found, updated=report.updated)
        self._message(message, ok=True)
        self.notify(message, markup=False)
        self.reload()

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
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        if self.may(Action.RUN_CONTROL):
            yield SystemCommand(t("irregularities.palette.run"), t("irregularities.palette.run_help"), self.action_run)
        if self.may(Action.MODE_LOGS):
            for purpose in (0, *PURPOSES):
                yield SystemCommand(
                    t("irregularities.palette.purpose", purpose=t(f"irregularities.purpose.{purpose}.short")),
                    t("irregularities.palette.purpose_help"),
                    lambda purpose=purpose: self.action_purpose(purpose),
                )
        yield SystemCommand(t("irregularities.palette.back"), t("irregularities.palette.back_help"), self.action_back)
