"""The Logs overview's two charts, drawn as plain text so they read on any terminal.

- `HourChart`: a column per local hour of the day (0-23), in eighth blocks. Hours in the policy's
  working hours carry a ■ under their column (and another colour): the mark, not the colour, says it;
  a working hour that holds one of the policy's breaks (private use allowed) carries a □ instead.
  An hour of fewer people than the policy's smallest group shows no column but a · (its figures
  would point at them).
- `DurationChart`: a bar per visit-duration bucket, with its count and share written out.
- `BarChart`: a report's chart (casebook.documents.model.Chart): bars in groups, each value written
  out after its bar. A figure about fewer people than the policy's smallest group has no bar but a ·
  and its "< N".

The bars are the documents' own (`render_md.bar_text`): the screen draws what the Markdown export writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from casebook.documents import cells
from casebook.documents.model import Chart
from casebook.documents.render_md import bar_text
from casebook.formatting import duration, number, size
from casebook.i18n import t
from casebook.logs.rollups import Figures
from schema.policy import Break, WorkingHours

EIGHTHS = " ▁▂▃▄▅▆▇█"
WORK_MARK = "■"
BREAK_MARK = "□"
FOLDED_MARK = "·"
MEASURES = ("requests", "visits", "seconds", "bytes")


def measure_value(figures: Figures, measure: str) -> float:
    return float(getattr(figures, measure))


def measure_text(value: float, measure: str) -> str:
    """A value of the measure the chart shows, as the axis writes it."""
    if measure == "bytes":
        return size(int(value))
    if measure == "seconds":
        # Whole hours on the axis: short, as its labels must be.
        return duration(value) if value < 3600 else t("overview.hours", hours=number(round(value / 3600)))
    return number(int(value))


def _within(hour: int, start: time, end: time) -> bool:
    """Whether any part of the hour [hour:00, hour+1:00) lies in [start, end)."""
    return hour * 60 < end.hour * 60 + end.minute and (hour + 1) * 60 > start.hour * 60 + start.minute


def working_hour(hour: int, hours: WorkingHours | None) -> bool:
    """Whether any part of the hour [hour:00, hour+1:00) lies in the working hours."""
    return hours is not None and _within(hour, hours.start, hours.end)


def break_hour(hour: int, hours: WorkingHours | None, breaks: Sequence[Break]) -> bool:
    """Whether a working hour holds (part of) a break: private use is allowed then (policy 2.1.1)."""
    return working_hour(hour, hours) and any(_within(hour, b.start, b.end) for b in breaks)


def weekdays_text(days: Sequence[int]) -> str:
    """ISO weekdays as the catalogue names them: 'ma–vr' for a run, else 'ma, wo, vr'."""
    names = [t(f"overview.weekday.{d}") for d in sorted(days)]
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{names[0]}–{names[-1]}"
    return ", ".join(names)


def _clock(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def column(level: int, row: int) -> str:
    """The block of a column `level` eighths high, in the chart row `row` (0 at the bottom)."""
    filled = level - row * 8
    if filled <= 0:
        return " "
    return EIGHTHS[min(filled, 8)]


class _Lines(Widget):
    """A widget drawn as lines of Text, sized to them."""

    def lines(self) -> list[Text]:
        raise NotImplementedError

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.lines())

    def get_content_width(self, container: object, viewport: object) -> int:
        return max((line.cell_len for line in self.lines()), default=0)

    def render(self) -> Text:
        return Text("\n").join(self.lines())


class HourChart(_Lines):
    """Activity per hour of the day, summed over the period's days."""

    COMPONENT_CLASSES = {"hour-chart--work", "hour-chart--other", "hour-chart--axis", "hour-chart--mark"}
    DEFAULT_CSS = """
    HourChart { height: auto; width: auto; }
    """
    ROWS = 4
    STEP = 2  # columns per hour: the bar and a gap

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.hours: list[Figures] = []
        self.working: WorkingHours | None = None
        self.breaks: tuple[Break, ...] = ()
        self.measure = MEASURES[0]
        self.minimum = 1

    def show(
        self,
        hours: list[Figures],
        working: WorkingHours | None,
        measure: str,
        minimum: int = 1,
        breaks: tuple[Break, ...] = (),
    ) -> None:
        self.hours = hours
        self.working = working
        self.breaks = breaks
        self.measure = measure
        self.minimum = minimum
        self.refresh(layout=True)

    def lines(self) -> list[Text]:
        work = self.get_component_rich_style("hour-chart--work", partial=True)
        other = self.get_component_rich_style("hour-chart--other", partial=True)
        axis = self.get_component_rich_style("hour-chart--axis", partial=True)
        mark = self.get_component_rich_style("hour-chart--mark", partial=True)
        values = [measure_value(h, self.measure) for h in self.hours] or [0.0] * 24
        top = max(values)
        levels = [0 if v <= 0 or top <= 0 else max(1, round(v / top * self.ROWS * 8)) for v in values]
        # No axis on the left (room for the categories beside it): the title says what the tallest bar is.
        title = Text(t(f"overview.chart.title.{self.measure}"), Style(bold=True))
        title.append(" " + t("overview.chart.top", value=measure_text(top, self.measure)), axis)
        lines = [title]
        folded = [h.users is None for h in self.hours] or [False] * 24
        for row in range(self.ROWS - 1, -1, -1):
            line = Text(no_wrap=True)
            for hour, level in enumerate(levels):
                style = work if working_hour(hour, self.working) else other
                if row == 0 and folded[hour]:
                    line.append(FOLDED_MARK, axis)
                else:
                    line.append(column(level, row), style)
                line.append(" " * (self.STEP - 1))
            lines.append(line)
        lines.append(Text("─" * (24 * self.STEP), axis, no_wrap=True))
        ticks = Text(no_wrap=True)
        for hour in range(0, 24, 3):
            ticks.append(f"{hour:<{3 * self.STEP}}", axis)
        lines.append(ticks)
        if any(folded):
            lines.append(Text(t("overview.chart.folded", minimum=number(self.minimum)), axis))
        if self.working is None:
            lines.append(Text(t("overview.chart.no_working_hours"), axis))
            return lines
        marks = Text(no_wrap=True)
        for hour in range(24):
            if break_hour(hour, self.working, self.breaks):
                marks.append(BREAK_MARK, mark)
            else:
                marks.append(WORK_MARK if working_hour(hour, self.working) else " ", mark)
            marks.append(" " * (self.STEP - 1))
        lines.append(marks)
        legend = Text(WORK_MARK + " ", mark)
        legend.append(
            t(
                "overview.chart.working_hours",
                start=_clock(self.working.start),
                end=_clock(self.working.end),
                days=weekdays_text(self.working.days),
            ),
            axis,
        )
        lines.append(legend)
        shown = [b for b in self.breaks if any(break_hour(h, self.working, (b,)) for h in range(24))]
        if shown:
            pauses = Text(BREAK_MARK + " ", mark)
            spans = ", ".join(f"{_clock(b.start)}–{_clock(b.end)}" for b in shown)
            pauses.append(t("overview.chart.breaks", breaks=spans), axis)
            lines.append(pauses)
        return lines


class DurationChart(_Lines):
    """How long the visits lasted: a bar per bucket, its count and its share."""

    COMPONENT_CLASSES = {"duration-chart--bar", "duration-chart--label"}
    DEFAULT_CSS = """
    DurationChart { height: auto; width: auto; }
    """
    WIDTH = 30

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.counts: list[int] = []

    def show(self, counts: list[int]) -> None:
        self.counts = counts
        self.refresh(layout=True)

    def lines(self) -> list[Text]:
        bar = self.get_component_rich_style("duration-chart--bar", partial=True)
        label_style = self.get_component_rich_style("duration-chart--label", partial=True)
        counts = self.counts
        labels = [t(f"overview.bucket.{i}") for i in range(len(counts))]
        total = sum(counts)
        top = max(counts, default=0)
        width = max((len(label) for label in labels), default=0)
        count_width = max((len(number(c)) for c in counts), default=1)
        lines = [Text(t("drill.durations.title"), Style(bold=True))]
        for label, count in zip(labels, counts, strict=True):
            drawn = bar_text(count, top, self.WIDTH)
            line = Text(no_wrap=True)
            line.append(f"{label:<{width}} ", label_style)
            line.append(drawn, bar)
            line.append(" " * (self.WIDTH - len(drawn)) + " ")
            share = f"{count / total * 100:5.1f} %" if total else "    - "
            line.append(f"{number(count):>{count_width}}  {share}")
            lines.append(line)
        if not total:
            lines.append(Text(t("drill.durations.none")))
        return lines


class BarChart(_Lines):
    """A report's chart: its title, each group's label, and a bar per figure with its value written after it."""

    COMPONENT_CLASSES = {"bar-chart--bar", "bar-chart--label", "bar-chart--axis"}
    DEFAULT_CSS = """
    BarChart { height: auto; width: 1fr; }
    """
    WIDTH = 30  # the longest bar, where the screen has room for it

    def __init__(self, chart: Chart, minimum: int, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.chart = chart
        self.minimum = minimum

    def get_content_width(self, container: object, viewport: object) -> int:
        return max((line.cell_len for line in self.lines(self.WIDTH)), default=0)

    def lines(self, room: int | None = None) -> list[Text]:
        bar_style = self.get_component_rich_style("bar-chart--bar", partial=True)
        label_style = self.get_component_rich_style("bar-chart--label", partial=True)
        axis = self.get_component_rich_style("bar-chart--axis", partial=True)
        chart = self.chart
        bars = [b for g in chart.groups for b in g.bars]
        indent = "  " if any(g.label for g in chart.groups) else ""
        label_width = max((len(b.label) for b in bars), default=0)
        values = {id(b): cells.text(b.value, chart.measure, self.minimum) for b in bars}
        value_width = max((len(v) for v in values.values()), default=0)
        if room is None:
            # The bar takes what the labels and values leave of the line, never less than a few cells.
            room = max(6, min(self.WIDTH, self.content_size.width - len(indent) - label_width - value_width - 3))
        top = max((b.value or 0 for b in bars), default=0)
        lines = [Text(chart.title, Style(bold=True))]
        for group in chart.groups:
            if group.label:
                lines.append(Text(group.label, label_style))
            for item in group.bars:
                line = Text(no_wrap=True, overflow="ellipsis")
                line.append(f"{indent}{item.label:<{label_width}} ")
                drawn = FOLDED_MARK if item.value is None else bar_text(item.value, top, room)
                line.append(drawn, axis if item.value is None else bar_style)
                line.append(" " * (room - len(drawn)) + " ")
                line.append(values[id(item)])
                lines.append(line)
        if not bars:
            lines.append(Text(t("report.chart.empty"), axis))
        return lines
