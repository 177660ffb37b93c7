"""The global overview of the logs (CAO 81: global first): what was visited in a period, by how many, when.

Only sums and counts from `casebook.aggregate`: never a person, a pseudonym, an address or a name.
A period bar (t, w, m, c), the totals and mail volume, the domains (a page from SQL at a time, more
when the cursor reaches the end; `o` changes the order), the categories, and activity per hour of
the day with the policy's working hours marked. Enter on a domain or a category opens its details.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Static

from casebook.logs import rollups as aggregate
from casebook.logs.rollups import ORDERS, Figures, Period, Row
from casebook.errors import CasebookError, Refused
from casebook.i18n import t
from casebook.permissions import Action
from casebook.policy.fields import parse_date
from schema.policy import WorkingHours
from screens.base import CasebookModal, CasebookScreen
from screens.bindings import translate_bindings
from screens.logs_drill import DrillScreen
from screens.logs_format import (
    category_name,
    clock_time,
    human_bytes,
    number,
    period_text,
    today_of,
    totals_text,
    working_hours_of,
)
from screens.text import plain
from screens.widgets.charts import MEASURES, HourChart
from screens.widgets.field import Field

PAGE = 20
PERIOD_KEYS = (("today", "t"), ("week", "w"), ("month", "m"), ("custom", "c"))
MAIL_DIRECTIONS = ("internal", "outgoing", "incoming", "external")
# Domain table: (column key, the figure it is sorted by, if any).
DOMAIN_COLUMNS = (
    ("domain", None),
    ("requests", "requests"),
    ("bytes", "bytes"),
    ("visits", "visits"),
    ("seconds", "seconds"),
    ("median", None),
    ("users", "users"),
    ("category", None),
)
# Visits per category are left out: the table must fit beside the chart (they are in its details).
CATEGORY_COLUMNS = ("category", "requests", "bytes", "seconds", "users")
CATEGORY_WIDTH = 18
SORTED_MARK = " ▼"
# From this many columns the categories and the chart stand side by side under the domains.
WIDE = 110


def right(value: str) -> Text:
    return Text(value, justify="right")


def figure_cells(row: Figures) -> list[Text]:
    """Requests, volume, visits, time spent (h:mm), as table cells."""
    return [
        right(number(row.requests)),
        right(human_bytes(row.bytes)),
        right(number(row.visits)),
        right(clock_time(row.seconds)),
    ]


@dataclass(frozen=True)
class Overview:
    """Everything one period shows, read in one worker."""

    span: Period
    totals: Figures
    domains: list[Row]
    domain_count: int
    categories: list[Row]
    hours: list[Figures]
    mail: dict[str, tuple[int, int]]
    working: WorkingHours | None


class OverviewTable(DataTable[Text]):
    """A table of the overview: Enter opens the highlighted row's details."""

    BINDINGS = [Binding("enter", "select_cursor", "overview.key.open", id="overview.open")]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        translate_bindings(self)


class PeriodBar(Widget):
    """t Vandaag  w 7 dagen  [m 30 dagen]  c Eigen periode │ 2026-10-30 – 2026-11-28 (30 dagen).

    The current period is bracketed and reversed: it shows without colour too. On a narrow
    terminal the days go to a second line.
    """

    DEFAULT_CSS = """
    PeriodBar { height: auto; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.kind = "month"
        self.span: Period | None = None

    def show(self, kind: str, span: Period | None) -> None:
        self.kind, self.span = kind, span
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Text]:
        keys = Text(no_wrap=True, overflow="ellipsis")
        for key_kind, key in PERIOD_KEYS:
            label = f"{key} {t(f'overview.period.{key_kind}')}"
            if key_kind == self.kind:
                keys.append(f"[{label}]", "bold reverse")
            else:
                keys.append(f" {label} ")
            keys.append(" ")
        if self.span is None:
            return [keys]
        days = Text(period_text(self.span), "bold", no_wrap=True, overflow="ellipsis")
        if keys.cell_len + 2 + days.cell_len <= width:
            return [Text.assemble(keys, ("│ ", "dim"), days)]
        return [keys, days]

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_size.width))


class OverviewScreen(CasebookScreen[None]):
    CSS_PATH = "logs_overview.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    BINDINGS = [
        # The period bar shows these keys itself; the footer keeps its room at 80 columns.
        Binding("t", "period('today')", "overview.key.today", id="overview.today", show=False),
        Binding("w", "period('week')", "overview.key.week", id="overview.week", show=False),
        Binding("m", "period('month')", "overview.key.month", id="overview.month", show=False),
        Binding("c", "custom_period", "overview.key.custom", id="overview.custom", show=False),
        Binding("o", "order", "overview.key.order", id="overview.order"),
        Binding("g", "measure", "overview.key.measure", id="overview.measure"),
        Binding("escape", "back", "overview.key.back", id="overview.back"),
    ]

    def __init__(self, kind: str = "month", span: Period | None = None) -> None:
        """Opens on `kind` ("today", "week", "month"), or on `span` as a custom period."""
        super().__init__()
        if span is None and kind not in {k for k, _ in PERIOD_KEYS[:3]}:
            raise ValueError(f"a period of its own needs its days: {kind!r}")
        self.kind = "custom" if span is not None else kind
        self.span: Period | None = span
        self.order = ORDERS[0]
        self.measure = MEASURES[0]
        self.overview: Overview | None = None
        self.domains: list[Row] = []
        self.categories: list[Row] = []
        self.busy = False
        self.paging = False
        # Bumped on every new period or order: a page that comes back for an older one is dropped.
        self.generation = 0

    def may(self, action: Action) -> bool:
        session = self.casebook_app.session
        return session is not None and session.may(action)

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text(t("overview.title")), id="overview-title", classes="logs-title")
        yield PeriodBar(id="overview-period")
        yield Static(Text(t("overview.loading")), id="overview-totals")
        yield Static(id="overview-mail")
        with VerticalScroll(id="overview-body"):
            with Vertical(id="overview-domains-box"):
                yield Static(id="overview-domains-label", classes="section-label")
                yield OverviewTable(id="overview-domains")
            with Horizontal(id="overview-lower"):
                with Vertical(id="overview-categories-box"):
                    yield Static(Text(t("overview.categories.label")), classes="section-label")
                    yield OverviewTable(id="overview-categories")
                yield HourChart(id="overview-hours")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._domain_columns()
        categories = self.query_one("#overview-categories", OverviewTable)
        for key in CATEGORY_COLUMNS:
            # The core lists categories by requests, always.
            width = CATEGORY_WIDTH if key == "category" else None
            categories.add_column(self._header(key, None), key=key, width=width)
        self.query_one(PeriodBar).show(self.kind, self.span)
        self.query_one("#overview-domains", OverviewTable).focus()
        self.reload()

    def on_resize(self) -> None:
        # Stacked on a narrow terminal, the sections scroll: the body takes the focus (Tab) to scroll them.
        self.query_one("#overview-body").can_focus = self.size.width < WIDE

    def _header(self, key: str, sort: str | None) -> Text:
        label = t(f"overview.col.{key}")
        numeric = key not in {"domain", "category"}
        text = Text(label + (SORTED_MARK if sort is not None and sort == self.order else ""))
        if numeric:
            text.justify = "right"
        return text

    def _domain_columns(self) -> None:
        table = self.query_one("#overview-domains", OverviewTable)
        table.clear(columns=True)
        for key, sort in DOMAIN_COLUMNS:
            table.add_column(self._header(key, sort), key=key)

    # -- loading -------------------------------------------------------------

    def reload(self) -> None:
        """Read everything for the period again (in one worker)."""
        session = self.casebook_app.session
        if session is None:
            return
        if self.kind != "custom" or self.span is None:
            self.span = aggregate.period(self.kind, today_of(session))
        self.generation += 1
        self.busy = True
        self.paging = False  # a page on its way for the old period is dropped when it comes
        self.query_one(PeriodBar).show(self.kind, self.span)
        self.query_one("#overview-totals", Static).update(Text(t("overview.loading")))
        self._load(self.span, self.order, self.generation)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="overview-load")
    def _load(self, span: Period, order: str, generation: int) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            loaded = Overview(
                span,
                aggregate.totals(session, span),
                aggregate.domains(session, span, limit=PAGE, order=order),
                aggregate.domain_count(session, span),
                aggregate.categories(session, span),
                aggregate.hours_of_day(session, span),
                aggregate.mail(session, span),
                working_hours_of(session),
            )
        except CasebookError as exc:
            app.call_from_thread(self._failed, exc.message, generation)
            return
        app.call_from_thread(self._show, loaded, generation)

    def _failed(self, message: str, generation: int) -> None:
        if not self.is_attached or generation != self.generation:
            return
        self.busy = self.paging = False
        self.query_one("#overview-totals", Static).update(plain("✖ " + message, "bold"))
        self.notify(message, severity="error", markup=False)
        self.refresh_bindings()

    def _show(self, loaded: Overview, generation: int) -> None:
        if not self.is_attached or generation != self.generation:
            return  # signed out, or a newer period was asked meanwhile
        self.busy = False
        self.overview = loaded
        self.query_one("#overview-totals", Static).update(totals_text(loaded.totals))
        self._show_mail(loaded.mail)
        self.domains = []
        self.query_one("#overview-domains", OverviewTable).clear()
        self._add_domains(loaded.domains)
        self.categories = loaded.categories
        self._fill_categories()
        self._show_chart()
        self.refresh_bindings()

    def _show_mail(self, mail: dict[str, tuple[int, int]]) -> None:
        line = Text(t("overview.mail.label") + " ", "bold")
        parts = []
        for direction in MAIL_DIRECTIONS:
            messages, size = mail.get(direction, (0, 0))
            parts.append(t(f"overview.mail.{direction}", count=number(messages), size=human_bytes(size)))
        line.append(" · ".join(parts), "not bold")
        self.query_one("#overview-mail", Static).update(line)

    def _add_domains(self, rows: list[Row]) -> None:
        table = self.query_one("#overview-domains", OverviewTable)
        start = len(self.domains)
        self.domains.extend(rows)
        for index, row in enumerate(rows, start):
            table.add_row(
                plain(row.name),
                *figure_cells(row),
                right(clock_time(row.median_seconds, hours=False)),
                right(number(row.users)),
                plain(category_name(row.category) if row.category else "-"),
                key=str(index),
            )
        self._domains_label()

    def _domains_label(self) -> None:
        total = self.overview.domain_count if self.overview else 0
        label = Text(t("overview.domains.label", shown=number(len(self.domains)), total=number(total)), "bold")
        label.append("  ·  " + t("overview.domains.order", order=t(f"overview.order.{self.order}")), "not bold")
        if self.more_domains:
            label.append("  ·  " + t("overview.domains.more"), "not bold italic")
        self.query_one("#overview-domains-label", Static).update(label)

    def _fill_categories(self) -> None:
        table = self.query_one("#overview-categories", OverviewTable)
        table.clear()
        for index, row in enumerate(self.categories):
            table.add_row(
                plain(category_name(row.name)),
                right(number(row.requests)),
                right(human_bytes(row.bytes)),
                right(clock_time(row.seconds)),
                right(number(row.users)),
                key=str(index),
            )

    def _show_chart(self) -> None:
        if self.overview is not None:
            self.query_one(HourChart).show(self.overview.hours, self.overview.working, self.measure)

    @property
    def more_domains(self) -> bool:
        return self.overview is not None and len(self.domains) < self.overview.domain_count

    # -- paging --------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#overview-domains")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= event.data_table.row_count - 1:
            self.load_more()

    def load_more(self) -> None:
        """The next page of domains, when there is one and none is on its way."""
        if self.busy or self.paging or not self.more_domains or self.span is None:
            return
        self.paging = True
        self._domains_label()
        self._page(self.span, self.order, len(self.domains), self.generation)

    @work(thread=True, exclusive=True, group="overview-page")
    def _page(self, span: Period, order: str, offset: int, generation: int) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            rows = aggregate.domains(session, span, limit=PAGE, offset=offset, order=order)
        except CasebookError as exc:
            app.call_from_thread(self._failed, exc.message, generation)
            return
        app.call_from_thread(self._paged, rows, offset, generation)

    def _paged(self, rows: list[Row], offset: int, generation: int) -> None:
        if not self.is_attached or generation != self.generation or offset != len(self.domains):
            return
        self.paging = False
        self._add_domains(rows)
        if not rows and self.overview is not None:
            # Fewer domains than counted (an import removed some meanwhile): stop asking.
            self.overview = replace(self.overview, domain_count=len(self.domains))
            self._domains_label()

    # -- actions -------------------------------------------------------------

    def action_period(self, kind: str) -> None:
        self.kind = kind
        self.span = None
        self.reload()

    def action_custom_period(self) -> None:
        session = self.casebook_app.session
        if session is None:
            return

        def chosen(span: Period | None) -> None:
            if span is not None:
                self.kind = "custom"
                self.span = span
                self.reload()

        self.app.push_screen(PeriodDialog(self.span or aggregate.period("week", today_of(session))), chosen)

    def action_order(self) -> None:
        """Sort the domains by the next figure; the list starts again at its first page."""
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self._domain_columns()
        self.notify(t("overview.ordered", order=t(f"overview.order.{self.order}")), markup=False)
        if self.busy:
            self.reload()  # the load under way asked for the old order
            return
        self.domains = []
        self._domains_label()
        if self.span is None:
            return
        self.generation += 1
        self.paging = True
        self._page(self.span, self.order, 0, self.generation)

    def action_measure(self) -> None:
        self.measure = MEASURES[(MEASURES.index(self.measure) + 1) % len(MEASURES)]
        self._show_chart()

    def action_back(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        if self.span is None or event.row_key.value is None:
            return
        index = int(event.row_key.value)
        if event.data_table.id == "overview-domains" and index < len(self.domains):
            self.app.push_screen(DrillScreen(self.span, domain=self.domains[index].name, row=self.domains[index]))
        elif event.data_table.id == "overview-categories" and index < len(self.categories):
            row = self.categories[index]
            self.app.push_screen(DrillScreen(self.span, category=row.name, row=row))

    def action_open(self) -> None:
        """Open the details of the highlighted row of the table with the focus (the palette's way)."""
        table = self.focused if isinstance(self.focused, OverviewTable) else None
        if table is None:
            table = self.query_one("#overview-domains", OverviewTable)
        if table.row_count:
            table.action_select_cursor()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.may(Action.MODE_LOGS):
            return action == "back"
        if action == "order":
            return True if self.overview is not None else None
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        if not self.may(Action.MODE_LOGS):
            return
        for kind, _key in PERIOD_KEYS[:3]:
            yield SystemCommand(
                t("overview.palette.period", period=t(f"overview.period.{kind}")),
                t("overview.palette.period_help"),
                lambda kind=kind: self.action_period(kind),
            )
        yield SystemCommand(t("overview.palette.custom"), t("overview.palette.custom_help"), self.action_custom_period)
        yield SystemCommand(t("overview.palette.order"), t("overview.palette.order_help"), self.action_order)
        yield SystemCommand(t("overview.palette.measure"), t("overview.palette.measure_help"), self.action_measure)
        yield SystemCommand(t("overview.palette.open"), t("overview.palette.open_help"), self.action_open)
        yield SystemCommand(t("overview.palette.back"), t("overview.palette.back_help"), self.action_back)


class PeriodDialog(CasebookModal[Period | None]):
    """A custom period: a first and a last day (both included). Enter moves on and applies, Escape cancels."""

    CSS_PATH = "logs_overview.tcss"
    BINDINGS = [
        Binding("ctrl+s", "apply", "overview.custom.key.apply", id="overview.custom.apply"),
        Binding("escape", "cancel", "overview.custom.key.cancel", id="overview.custom.cancel"),
    ]

    def __init__(self, span: Period) -> None:
        super().__init__()
        self.span = span

    def compose(self) -> ComposeResult:
        blink = self.casebook_app.cursor_blink
        with Vertical(id="period-box", classes="logs-dialog"):
            yield Static(Text(t("overview.custom.title")), classes="logs-dialog-title")
            yield Static(Text(t("overview.custom.first")), classes="logs-dialog-label")
            yield Field(value=self.span.first_day.isoformat(), id="period-first", blink=blink)
            yield Static(Text(t("overview.custom.last")), classes="logs-dialog-label")
            yield Field(value=self.span.last_day.isoformat(), id="period-last", blink=blink)
            yield Static(id="period-message", classes="logs-dialog-error")
            yield Static(Text(t("overview.custom.hint")), classes="logs-dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#period-message").display = False
        self.query_one("#period-first", Input).focus()

    def _message(self, message: str) -> None:
        widget = self.query_one("#period-message", Static)
        widget.update(plain("✖ " + message if message else ""))
        widget.display = bool(message)

    @on(Input.Submitted, "#period-first")
    def _first_submitted(self) -> None:
        self.query_one("#period-last", Input).focus()

    @on(Input.Submitted, "#period-last")
    def _last_submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        days = []
        for selector in ("#period-first", "#period-last"):
            field = self.query_one(selector, Input)
            try:
                days.append(parse_date(field.value))
            except ValueError:
                self._message(t("overview.custom.bad_date", value=field.value))
                field.focus()
                return
        session = self.casebook_app.session
        if session is None:
            return
        try:
            span = aggregate.period("custom", today_of(session), days[0], days[1])
        except Refused as exc:
            self._message(exc.message)
            self.query_one("#period-last", Input).focus()
            return
        self.dismiss(span)

    def action_cancel(self) -> None:
        self.dismiss(None)
