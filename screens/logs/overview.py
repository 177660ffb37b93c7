"""The global overview of the logs (CAO 81: global first): what was visited in a period, by how many, when.

Only sums and counts from `casebook.logs.rollups`: never a person, a pseudonym, an address or a name.
A period bar (t, w, m, c), the totals and mail volume, the domains (a page from SQL at a time, more
when the cursor reaches the end; `o` changes the order), the categories, and activity per hour of
the day with the policy's working hours marked. Enter on a domain or a category opens its details.

Wide (WIDE columns and more): the three sections at once, every column of the domains. Narrower
(80x24): one section at a time at full height, Tab to the next, and the domains' columns that matter
(requests, volume, visits, time); the median, the users and the category come with the width, and
are in a domain's details anyway. A table with no rows says why: nothing imported yet, or no data in
this period (and which days the logs hold).

While the policy is not ready (`policy check` fails) the core refuses every figure: the screen shows
that refusal, and why, in their place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from casebook.clock import parse_day
from casebook.errors import CasebookError, Refused
from casebook.formatting import clock_time, domain_text, number, people, size
from casebook.i18n import t
from casebook.logs import rollups
from casebook.logs.rollups import ORDERS, Figures, Period, Row
from casebook.permissions import Action
from casebook.policy import versions
from schema.policy import Break, WorkingHours
from screens import actions
from screens.base import CasebookModal, CasebookScreen
from screens.logs.drill import DrillScreen
from screens.logs.labels import category_name, overview_refusal, period_text, totals_text
from screens.widgets.charts import MEASURES, HourChart
from screens.widgets.key_bar import KeyBar
from screens.widgets.paged_table import Column, PagedTable
from screens.widgets.period_bar import PeriodBar
from screens.widgets.plain_text import plain
from screens.widgets.text_input import TextInput

PAGE = 20
PERIODS = ("today", "week", "month", "custom")
MAIL_DIRECTIONS = ("internal", "outgoing", "incoming", "external")
# Domain table: (column key, the figure it is sorted by, if any); NARROW_COLUMNS the ones shown below WIDE.
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
NARROW_COLUMNS = ("domain", "requests", "bytes", "visits", "seconds")
# Visits per category are left out: the table must fit beside the chart (they are in its details).
CATEGORY_COLUMNS = ("category", "requests", "bytes", "seconds", "users")
CATEGORY_WIDTH = 18
SORTED_MARK = " ▼"
# From this many columns the categories and the chart stand side by side under the domains.
WIDE = 110
# Below WIDE, one section at a time (Tab): the domains, the categories, the hours.
SECTIONS = ("domains", "categories", "hours")


def right(value: str) -> Text:
    return Text(value, justify="right")


def figure_cells(row: Figures) -> list[Text]:
    """Requests, volume, visits, time spent (h:mm), as table cells."""
    return [
        right(number(row.requests)),
        right(size(row.bytes)),
        right(number(row.visits)),
        right(clock_time(row.seconds)),
    ]


@dataclass(frozen=True)
class Overview:
    """Everything one period shows, read in one worker."""

    span: Period
    totals: Figures
    categories: list[Row]
    hours: list[Figures]
    mail: dict[str, tuple[int, int] | None]
    working: WorkingHours | None
    minimum: int  # the policy's smallest group: fewer people than this show folded
    other: Row | None  # the domains of fewer people than that, folded together
    data_days: tuple[date, date] | None  # the first and last day the logs hold; None: nothing imported
    breaks: tuple[Break, ...] = ()  # the policy's breaks: marked on the hour chart

    def empty_reason(self) -> str:
        """Why the period's tables are empty."""
        if self.data_days is None:
            return t("overview.empty.nothing_imported")
        first, last = self.data_days
        return t("overview.empty.period", period=period_text(self.span), first=first.isoformat(), last=last.isoformat())


class OverviewTable(DataTable[Text]):
    """The categories: Enter opens the highlighted row's details."""

    BINDINGS = actions.bindings(("overview.open",))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", **kwargs)  # type: ignore[arg-type]
        actions.translate_bindings(self)


class DomainsTable(PagedTable[Row]):
    """The domains of the period, most of the chosen measure first, a page from SQL at a time."""

    BINDINGS = actions.bindings(("overview.open",))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(self._no_period, self._cells, page_size=PAGE, order=ORDERS[0], **kwargs)
        actions.translate_bindings(self)
        # The core lists only domains of at least this many people; a figure below it would show as "< N".
        self.minimum = 1
        self.keys = [key for key, _ in DOMAIN_COLUMNS]  # the columns shown, in order

    @staticmethod
    def _no_period(session: object, offset: int, limit: int, order: str | None) -> list[Row]:
        return []

    def show_period(self, span: Period) -> None:
        """Read the period's domains from the first page, in the table's order."""
        self.fetch = lambda session, offset, limit, order: rollups.domains(
            session, span, limit=limit, offset=offset, order=order or ORDERS[0]
        )
        self.count = lambda session: rollups.domain_count(session, span)
        self.reload(keep=False)

    def _cells(self, row: Row) -> list[Text]:
        requests, volume, visits, seconds = figure_cells(row)
        name = plain(domain_text(row.name))
        name.no_wrap, name.overflow = True, "ellipsis"
        cells = {
            "domain": name,
            "requests": requests,
            "bytes": volume,
            "visits": visits,
            "seconds": seconds,
            "median": right(clock_time(row.median_seconds, hours=False)),
            "users": right(people(row.users, self.minimum)),
            "category": plain(category_name(row.category) if row.category else "-"),
        }
        return [cells[key] for key in self.keys]


def period_bar() -> PeriodBar:
    """t Vandaag  w 7 dagen  [m 30 dagen]  c Eigen periode │ 2026-10-30 – 2026-11-28 (30 dagen)."""
    choices = [(kind, f"{actions.BY_ID[f'overview.{kind}'].keys} {t(f'overview.period.{kind}')}") for kind in PERIODS]
    return PeriodBar(choices, period_text, "month", id="overview-period")


class OverviewScreen(CasebookScreen[None]):
    CSS_PATH = "overview.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    ACTIONS = (
        "overview.today",
        "overview.week",
        "overview.month",
        "overview.custom",
        "overview.order",
        "overview.measure",
        "overview.open",
        "overview.back",
        "overview.section",
        "overview.section_back",
    )

    def __init__(self, kind: str = "month", span: Period | None = None) -> None:
        """Opens on `kind` ("today", "week", "month"), or on `span` as a custom period."""
        super().__init__()
        if span is None and kind not in PERIODS[:3]:
            raise ValueError(f"a period of its own needs its days: {kind!r}")
        self.kind = "custom" if span is not None else kind
        self.span: Period | None = span
        self.order = ORDERS[0]
        self.measure = MEASURES[0]
        self.overview: Overview | None = None
        self.categories: list[Row] = []
        self.busy = False
        self.wide = True
        self.section = "domains"
        # The core's refusal to show any figure (the policy not ready), shown instead of them.
        self.refused: Text | None = None
        # Bumped on every new period: figures that come back for an older one are dropped.
        self.generation = 0

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text(t("overview.title")), id="overview-title", classes="logs-title")
        yield period_bar()
        yield Static(Text(t("overview.loading")), id="overview-totals")
        yield Static(id="overview-mail")
        yield Static(id="overview-sections")
        yield Static(id="overview-refused")
        with Vertical(id="overview-body"):
            with Vertical(id="overview-domains-box"):
                yield Static(id="overview-domains-label", classes="section-label")
                yield DomainsTable(id="overview-domains")
                yield Static(id="overview-domains-other", classes="section-label")
                yield Static(id="overview-domains-empty", classes="overview-empty")
            with Horizontal(id="overview-lower"):
                with Vertical(id="overview-categories-box"):
                    yield Static(Text(t("overview.categories.label")), classes="section-label")
                    yield OverviewTable(id="overview-categories")
                    yield Static(id="overview-categories-empty", classes="overview-empty")
                yield HourChart(id="overview-hours")
        yield KeyBar()

    def on_mount(self) -> None:
        for empty in self.query(".overview-empty"):
            empty.display = False
        self.wide = self.size.width >= WIDE
        self.query_one("#overview-refused").display = False
        self._domain_columns()
        self._show_section("domains")
        categories = self.query_one("#overview-categories", OverviewTable)
        for key in CATEGORY_COLUMNS:
            # The core lists categories by requests, always.
            width = CATEGORY_WIDTH if key == "category" else None
            categories.add_column(self._header(key, None), key=key, width=width)
        self.query_one(PeriodBar).show(self.kind, self.span)
        self.query_one(DomainsTable).focus()
        self.reload()

    def on_resize(self) -> None:
        wide = self.size.width >= WIDE
        if wide != self.wide:
            self.wide = wide
            self._domain_columns()
            self._show_section(self.section)
            self.refresh_bindings()

    # -- one section at a time below WIDE ------------------------------------

    def _show_section(self, section: str) -> None:
        self.section = section
        for name in SECTIONS:
            self.set_class(name == section, f"-section-{name}")
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(actions.key_text(actions.BY_ID["overview.section"].keys) + " ", "bold")
        for name in SECTIONS:
            title = t(f"overview.section.{name}")
            if name == section:
                line.append(f"[{title}]", "bold reverse")
            else:
                line.append(f" {title} ")
            line.append(" ")
        self.query_one("#overview-sections", Static).update(line)
        if section == "domains":
            self.query_one(DomainsTable).focus()
        elif section == "categories":
            self.query_one("#overview-categories", OverviewTable).focus()
        elif not self.wide:
            self.set_focus(None)

    def action_section(self, step: int) -> None:
        """Narrow: the next section (step 1) or the one before (-1). Wide, all show: the focus moves, as Tab's does."""
        if self.wide:
            (self.focus_next if step > 0 else self.focus_previous)()
            return
        self._show_section(SECTIONS[(SECTIONS.index(self.section) + step) % len(SECTIONS)])
        self.refresh_bindings()

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        # Wide, Tab moves the focus between the tables: the section follows it (and so does the narrow view).
        if event.widget is self.query_one(DomainsTable) and self.section != "domains":
            self.section = "domains"
        elif event.widget is self.query_one("#overview-categories") and self.section != "categories":
            self.section = "categories"

    def _header(self, key: str, sort: str | None) -> Text:
        label = t(f"overview.col.{key}")
        numeric = key not in {"domain", "category"}
        text = Text(label + (SORTED_MARK if sort is not None and sort == self.order else ""))
        if numeric:
            text.justify = "right"
        return text

    def _domain_columns(self) -> None:
        table = self.query_one(DomainsTable)
        shown = [(key, sort) for key, sort in DOMAIN_COLUMNS if self.wide or key in NARROW_COLUMNS]
        table.keys = [key for key, _ in shown]
        table.set_columns([Column(key, self._header(key, sort)) for key, sort in shown])

    # -- loading -------------------------------------------------------------

    def reload(self) -> None:
        """Read everything for the period again (in one worker)."""
        session = self.casebook_app.session
        if session is None:
            return
        self._refused(overview_refusal(session))
        if self.refused is not None:
            return
        if self.kind != "custom" or self.span is None:
            self.span = rollups.period(self.kind, session.today())
        self.generation += 1
        self.busy = True
        self.query_one(PeriodBar).show(self.kind, self.span)
        self.query_one("#overview-totals", Static).update(Text(t("overview.loading")))
        self.query_one(DomainsTable).show_period(self.span)
        self._domains_label()
        self._load(self.span, self.generation)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="overview-load")
    def _load(self, span: Period, generation: int) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            settings = versions.read(session).settings
            loaded = Overview(
                span,
                rollups.totals(session, span),
                rollups.categories(session, span),
                rollups.hours_of_day(session, span),
                rollups.mail(session, span),
                settings.working_hours,
                rollups.minimum_group(session),
                rollups.other_domains(session, span),
                rollups.data_days(session),
                settings.breaks,
            )
        except CasebookError as exc:
            app.call_from_thread(self._failed, exc.message, generation)
            return
        app.call_from_thread(self._show, loaded, generation)

    def _refused(self, refusal: Text | None) -> None:
        """The refusal instead of the figures (None: the figures again)."""
        self.refused = refusal
        for selector in ("#overview-period", "#overview-totals", "#overview-mail", "#overview-body"):
            self.query_one(selector).display = refusal is None
        self.set_class(refusal is not None, "-refused")  # the sections' line goes too (overview.tcss)
        widget = self.query_one("#overview-refused", Static)
        widget.display = refusal is not None
        widget.update(refusal or "")
        self.refresh_bindings()

    def _failed(self, message: str, generation: int) -> None:
        if not self.is_attached or generation != self.generation:
            return
        self.busy = False
        self.query_one("#overview-totals", Static).update(plain("✖ " + message, "bold"))
        self.notify(message, severity="error", markup=False)
        self.refresh_bindings()

    def _show(self, loaded: Overview, generation: int) -> None:
        if not self.is_attached or generation != self.generation:
            return  # signed out, or a newer period was asked meanwhile
        self.busy = False
        self.overview = loaded
        self.query_one(DomainsTable).minimum = loaded.minimum
        self.query_one("#overview-totals", Static).update(totals_text(loaded.totals, loaded.minimum))
        self._show_mail(loaded.mail, loaded.minimum)
        self._show_other(loaded.other, loaded.minimum)
        self.categories = loaded.categories
        self._fill_categories()
        self._show_chart()
        self._empty_domains()
        self.refresh_bindings()

    def _show_mail(self, mail: dict[str, tuple[int, int] | None], minimum: int) -> None:
        line = Text(t("overview.mail.label") + " ", "bold")
        parts = []
        for direction in MAIL_DIRECTIONS:
            figures = mail.get(direction, (0, 0))
            if figures is None:  # the mail of fewer people than the policy's smallest group
                name = t(f"overview.mail.name.{direction}")
                parts.append(t("overview.mail.few", direction=name, minimum=number(minimum)))
                continue
            messages, volume = figures
            parts.append(t(f"overview.mail.{direction}", count=number(messages), size=size(volume)))
        line.append(" · ".join(parts), "not bold")
        self.query_one("#overview-mail", Static).update(line)

    def _show_other(self, other: Row | None, minimum: int) -> None:
        """Under the domains: those each about fewer people than the minimum, as one line of figures."""
        widget = self.query_one("#overview-domains-other", Static)
        if other is None:
            widget.update(Text(t("overview.domains.other_none", minimum=number(minimum)), "italic"))
            return
        widget.update(
            Text(
                t(
                    "overview.domains.other",
                    label=t("figures.other", minimum=number(minimum)),
                    domains=t("overview.domains.folded", count=other.folded),
                    requests=t("overview.totals.requests", count=other.requests),
                    size=size(other.bytes),
                )
            )
        )

    @on(PagedTable.Changed, "#overview-domains")
    def _domains_loaded(self, event: PagedTable.Changed) -> None:
        if event.error:
            self._failed(event.error, self.generation)
            return
        self._domains_label()
        self._empty_domains()
        self.refresh_bindings()

    def _empty_domains(self) -> None:
        """An empty domain list says why, once the table and the period's figures are both read."""
        table = self.query_one(DomainsTable)
        # Domains all folded into "other" (each of too few people) are data, not an empty period.
        empty = (
            self.overview is not None
            and self.overview.other is None
            and table.loaded
            and not table.fetching
            and not table.items
        )
        message = self.query_one("#overview-domains-empty", Static)
        if empty and self.overview is not None:
            message.update(Text(self.overview.empty_reason()))
        message.display = empty
        table.display = not empty
        self.query_one("#overview-domains-other", Static).display = not empty

    def _domains_label(self) -> None:
        table = self.query_one(DomainsTable)
        total = table.total or 0
        label = Text(t("overview.domains.label", shown=number(len(table.items)), total=number(total)), "bold")
        label.append("  ·  " + t("overview.domains.order", order=t(f"overview.order.{self.order}")), "not bold")
        if table.fetching and table.loaded:
            label.append("  ·  " + t("overview.loading"), "not bold italic")
        elif table.more:
            label.append("  ·  " + t("overview.domains.more"), "not bold italic")
        self.query_one("#overview-domains-label", Static).update(label)

    def _fill_categories(self) -> None:
        table = self.query_one("#overview-categories", OverviewTable)
        message = self.query_one("#overview-categories-empty", Static)
        empty = not self.categories and self.overview is not None
        if empty and self.overview is not None:
            message.update(Text(self.overview.empty_reason()))
        message.display = empty
        table.display = not empty
        table.clear()
        minimum = self.overview.minimum if self.overview is not None else 1
        for index, row in enumerate(self.categories):
            table.add_row(
                # The table is narrow: "other (< 5)"; the line under the domains says it in full.
                plain(t("figures.other_short", minimum=number(minimum)) if row.folded else category_name(row.name)),
                right(number(row.requests)),
                right(size(row.bytes)),
                right(clock_time(row.seconds)),
                right(people(row.users, minimum)),
                key=str(index),
            )

    def _show_chart(self) -> None:
        if self.overview is not None:
            self.query_one(HourChart).show(
                self.overview.hours, self.overview.working, self.measure, self.overview.minimum, self.overview.breaks
            )

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

        self.app.push_screen(PeriodDialog(self.span or rollups.period("week", session.today())), chosen)

    def action_order(self) -> None:
        """Sort the domains by the next figure; the list starts again at its first page."""
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        table = self.query_one(DomainsTable)
        table.order = self.order
        self._domain_columns()
        self.notify(t("overview.ordered", order=t(f"overview.order.{self.order}")), markup=False)
        table.reload(keep=False)
        self._domains_label()

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
        domains = self.query_one(DomainsTable).items
        if event.data_table.id == "overview-domains" and index < len(domains):
            self.app.push_screen(DrillScreen(self.span, domain=domains[index].name, row=domains[index]))
        elif event.data_table.id == "overview-categories" and index < len(self.categories):
            row = self.categories[index]
            if row.folded:  # the groups too small to show: their details would point at people
                minimum = self.overview.minimum if self.overview is not None else 1
                self.notify(t("overview.other_no_details", minimum=number(minimum)), markup=False)
                return
            self.app.push_screen(DrillScreen(self.span, category=row.name, row=row))

    def _table_in_view(self) -> DataTable[Text] | None:
        """The table Enter opens a row of: the focused one, else the domains while they show."""
        focused = self.focused
        if isinstance(focused, DataTable):
            return focused
        if self.wide or self.section == "domains":
            return self.query_one(DomainsTable)
        return None

    def action_open(self) -> None:
        """Open the details of the highlighted row of the table with the focus (the palette's way)."""
        table = self._table_in_view()
        if table is not None and table.row_count:
            table.action_select_cursor()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.may(Action.MODE_LOGS) or self.refused is not None:
            return action == "back"
        if action == "order":
            return True if self.overview is not None else None
        if action == "open":
            table = self._table_in_view()
            return True if table is not None and table.row_count else None
        return super().check_action(action, parameters)


class PeriodDialog(CasebookModal[Period | None]):
    """A custom period: a first and a last day (both included). Enter moves on and applies, Escape cancels."""

    CSS_PATH = "overview.tcss"
    ACTIONS = ("overview.custom.apply", "overview.custom.cancel")

    def __init__(self, span: Period) -> None:
        super().__init__()
        self.span = span

    def compose(self) -> ComposeResult:
        blink = self.casebook_app.cursor_blink
        with Vertical(id="period-box", classes="logs-dialog"):
            yield Static(Text(t("overview.custom.title")), classes="logs-dialog-title")
            yield Static(Text(t("overview.custom.first")), classes="logs-dialog-label")
            yield TextInput(value=self.span.first_day.isoformat(), id="period-first", blink=blink)
            yield Static(Text(t("overview.custom.last")), classes="logs-dialog-label")
            yield TextInput(value=self.span.last_day.isoformat(), id="period-last", blink=blink)
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
                days.append(parse_day(field.value))
            except ValueError:
                self._message(t("overview.custom.bad_date", value=field.value))
                field.focus()
                return
        session = self.casebook_app.session
        if session is None:
            return
        try:
            span = rollups.period("custom", session.today(), days[0], days[1])
        except Refused as exc:
            self._message(exc.message)
            self.query_one("#period-last", Input).focus()
            return
        self.dismiss(span)

    def action_cancel(self) -> None:
        self.dismiss(None)
