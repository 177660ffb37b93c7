"""How the Logs overview writes its figures: counts, volumes, durations, periods, category names.

Numbers group thousands with a space (35 943): the same in Dutch and English, and never
mistaken for a decimal point. Volumes come from the core's `human_bytes`.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text

from casebook import clock as clocks
from casebook import i18n
from casebook.logs.rollups import Figures, Period
from casebook.i18n import t
from casebook.policy import versions
from casebook.rules import human_bytes
from casebook.session import Session
from schema.policy import WorkingHours

__all__ = [
    "category_name",
    "clock_time",
    "duration",
    "human_bytes",
    "number",
    "period_text",
    "today_of",
    "totals_text",
    "working_hours_of",
]


def number(value: int) -> str:
    """35943 -> '35 943'."""
    return f"{value:,}".replace(",", " ")


def duration(seconds: float) -> str:
    """A total time in words: '42 s', '12 min', '443 u 23 min'."""
    total = round(seconds)
    if total < 60:
        return t("overview.seconds", seconds=total)
    minutes = total // 60
    if minutes < 60:
        return t("overview.minutes", minutes=minutes)
    return t("overview.hours_minutes", hours=number(minutes // 60), minutes=f"{minutes % 60:02d}")


def clock_time(seconds: float | None, hours: bool = True) -> str:
    """A time as a clock shows it, for table cells: hours:minutes ('443:23') or minutes:seconds ('0:24')."""
    if seconds is None:
        return "-"
    total = round(seconds)
    if hours:
        total //= 60  # whole minutes
    return f"{number(total // 60)}:{total % 60:02d}"


def period_text(span: Period) -> str:
    """'2026-10-30 – 2026-11-28 (30 dagen)', or one day alone."""
    days = (span.last_day - span.first_day).days + 1
    if days == 1:
        return span.first_day.isoformat()
    return t("overview.period.span", first=span.first_day.isoformat(), last=span.last_day.isoformat(), days=days)


def category_name(key: str | None) -> str:
    """A category key as a person reads it; '' or None is 'no category'.

    A category the catalogue does not name (one from an imported list) shows as its key:
    text from data, so the caller shows it with `screens.text.plain`.
    """
    if not key:
        return t("stats.uncategorised")
    return t(f"category.{key}") if f"category.{key}" in i18n.catalogue() else key


def totals_text(figures: Figures) -> Text:
    """Totals in one line, each figure with its name (the users: how many distinct ones, a number)."""
    parts = [
        t("overview.totals.requests", count=number(figures.requests)),
        t("overview.totals.bytes", size=human_bytes(figures.bytes)),
        t("overview.totals.visits", count=number(figures.visits)),
        t("overview.totals.seconds", time=duration(figures.seconds)),
        t("overview.totals.users", count=number(figures.users)),
    ]
    return Text(" · ".join(parts))


def today_of(session: Session) -> date:
    return clocks.local(session.now()).date()


def working_hours_of(session: Session) -> WorkingHours | None:
    """The policy's working hours, None when it names none (read in a worker: it reads the casebook)."""
    return versions.current(session.casebook).settings.working_hours
