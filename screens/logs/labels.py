"""How the Logs screens name what they show: periods, categories, the totals line.

Numbers, volumes and durations themselves are written by `casebook.formatting`.
"""

from __future__ import annotations

from rich.text import Text

from casebook import formatting, i18n
from casebook.errors import Refused
from casebook.i18n import t
from casebook.logs import rollups
from casebook.logs.rollups import Figures, Period
from casebook.session import Session


def overview_refusal(session: Session) -> Text | None:
    """The core's refusal to show any global figure now (the policy not ready), and why, or None.

    A few small reads (the policy's readiness), made on the app's thread before any worker starts: a
    screen refused shows this instead of figures, rather than a row of failed loads.
    """
    try:
        rollups.may_read(session)
    except Refused as exc:
        return Text.assemble(("✖ " + exc.message, "bold"), "\n\n", t("overview.refused"))
    return None


def period_text(span: Period) -> str:
    """'2026-10-30 – 2026-11-28 (30 dagen)', or one day alone."""
    days = (span.last_day - span.first_day).days + 1
    if days == 1:
        return span.first_day.isoformat()
    return t("overview.period.span", first=span.first_day.isoformat(), last=span.last_day.isoformat(), count=days)


def category_name(key: str | None) -> str:
    """A category key as a person reads it; '' or None is 'no category'.

    A category the catalogue does not name (one from an imported list) shows as its key:
    text from data, so the caller shows it with `screens.widgets.plain_text.plain`.
    """
    if not key:
        return t("stats.uncategorised")
    return t(f"category.{key}") if f"category.{key}" in i18n.catalogue() else key


def users_text(users: int | None, minimum: int) -> str:
    """How many different users, or that they are fewer than the policy's smallest group (never how few)."""
    if users is None:
        return t("overview.totals.users_few", minimum=formatting.number(minimum))
    return t("overview.totals.users", count=users)


def totals_text(figures: Figures, minimum: int) -> Text:
    """Totals in one line, each figure with its name (the users: how many distinct ones, a number)."""
    parts = [
        t("overview.totals.requests", count=figures.requests),
        t("overview.totals.bytes", size=formatting.size(figures.bytes)),
        t("overview.totals.visits", count=figures.visits),
        t("overview.totals.seconds", time=formatting.duration(figures.seconds)),
        users_text(figures.users, minimum),
    ]
    return Text(" · ".join(parts))
