"""One domain or one category in a period: its totals, its hours of the day, how long its visits lasted.

Still global: sums and counts over everyone, never who.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from casebook.errors import CasebookError
from casebook.formatting import domain_text, duration
from casebook.i18n import t
from casebook.logs import rollups
from casebook.logs.rollups import Figures, Period, Row
from casebook.permissions import Action
from casebook.policy import versions
from casebook.session import Session
from schema.policy import Break, WorkingHours
from screens.base import CasebookScreen
from screens.logs.labels import category_name, period_text, totals_text
from screens.widgets.charts import MEASURES, DurationChart, HourChart
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain

# How many domains a look-up reads at a time when the drill-down was opened with a name alone.
LOOKUP_PAGE = 500


@dataclass(frozen=True)
class Drill:
    """What the drill-down shows, read in one worker."""

    row: Row | None  # the domain's or category's figures in the period; None when it had none (or few people)
    hours: list[Figures]
    durations: list[int]
    working: WorkingHours | None
    minimum: int  # the policy's smallest group
    breaks: tuple[Break, ...] = ()  # the policy's breaks: marked on the hour chart


def find_row(session: Session, span: Period, domain: str | None, category: str | None) -> Row | None:
    """The figures of one domain or category in the period, from the same lists the overview shows."""
    if category is not None:
        return next((r for r in rollups.categories(session, span) if r.name == category), None)
    offset = 0
    while True:
        rows = rollups.domains(session, span, limit=LOOKUP_PAGE, offset=offset)
        found = next((r for r in rows if r.name == domain), None)
        if found is not None or len(rows) < LOOKUP_PAGE:
            return found
        offset += LOOKUP_PAGE


class DrillScreen(CasebookScreen[None]):
    CSS_PATH = "overview.tcss"
    # The two charts side by side need about 118 columns.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (118, "-wide")]
    ACTIONS = ("drill.measure", "drill.back")

    def __init__(
        self, span: Period, *, domain: str | None = None, category: str | None = None, row: Row | None = None
    ) -> None:
        """A domain (by name) or a category (by key, "" for none) in `span`; `row`: its figures, if known."""
        super().__init__()
        if (domain is None) == (category is None):
            raise ValueError("a drill-down shows one domain or one category")
        self.span = span
        self.domain = domain
        self.category = category
        self.row = row
        self.measure = MEASURES[0]
        self.drill: Drill | None = None

    @property
    def subject(self) -> str:
        if self.domain is not None:
            return t("drill.title.domain", domain=domain_text(self.domain))
        return t("drill.title.category", category=category_name(self.category))

    def compose(self) -> ComposeResult:
        # The domain's name comes from the logs: plain text.
        yield Static(plain(self.subject), id="drill-title", classes="logs-title")
        yield Static(Text(period_text(self.span), "bold"), id="drill-period")
        yield Static(Text(t("overview.loading")), id="drill-totals")
        with VerticalScroll(id="drill-body"):
            with Horizontal(id="drill-charts"):
                yield HourChart(id="drill-hours")
                yield DurationChart(id="drill-durations")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#drill-body").focus()
        self._load()

    @work(thread=True, exclusive=True, group="drill-load")
    def _load(self) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            row = self.row if self.row is not None else find_row(session, self.span, self.domain, self.category)
            settings = versions.read(session).settings
            drill = Drill(
                row,
                rollups.hours_of_day(session, self.span, domain=self.domain, category=self.category),
                rollups.durations(session, self.span, domain=self.domain, category=self.category),
                settings.working_hours,
                rollups.minimum_group(session),
                settings.breaks,
            )
        except CasebookError as exc:
            app.call_from_thread(self._failed, exc.message)
            return
        app.call_from_thread(self._show, drill)

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#drill-totals", Static).update(plain("✖ " + message, "bold"))
            self.notify(message, severity="error", markup=False)

    def _show(self, drill: Drill) -> None:
        if not self.is_attached:
            return
        self.drill = drill
        totals = self.query_one("#drill-totals", Static)
        row = drill.row
        if row is None:
            totals.update(Text(t("drill.nothing")))
        else:
            text = totals_text(row, drill.minimum)
            extra = []
            if self.domain is not None:
                extra.append(t("drill.category", category=category_name(row.category)))
                if row.median_seconds is not None:
                    extra.append(t("drill.median", time=duration(row.median_seconds)))
            if extra:
                text.append("\n")
                text.append_text(plain(" · ".join(extra)))
            totals.update(text)
        self.query_one(DurationChart).show(drill.durations)
        self._show_chart()

    def _show_chart(self) -> None:
        if self.drill is not None:
            self.query_one(HourChart).show(
                self.drill.hours, self.drill.working, self.measure, self.drill.minimum, self.drill.breaks
            )

    def action_measure(self) -> None:
        self.measure = MEASURES[(MEASURES.index(self.measure) + 1) % len(MEASURES)]
        self._show_chart()

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.may(Action.MODE_LOGS):
            return action == "back"
        return super().check_action(action, parameters)
