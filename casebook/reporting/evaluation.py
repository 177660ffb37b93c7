"""The evaluation report for the consultation body (CAO 81 art. 10: the control system is evaluated
regularly with the works council, the committee for prevention and protection at work, or the union
delegation).

The board report's figures without any case detail, plus the global use of the internet per category
and per month, so that the control's proportionality can be discussed. No name, pseudonym, address or
case in it, and no figure about fewer people than the policy's `min_group_size`: such figures show as
"< N" and the parts of a whole are folded together (casebook.small_groups); the usage figures come
folded from the rollups, the same rule the Logs overview follows.

What it cannot rule out: that two figures of different tables, each about enough people, differ by
fewer (people identified and people heard, say); the tables are each safe on their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casebook.documents.model import Bar, BarGroup, Body, Bullets, Document, FigureTable, Paragraph, Section
from casebook.formatting import long_date, month, number
from casebook.i18n import t
from casebook.logs import rollups
from casebook.logs.rollups import Period
from casebook.permissions import Action
from casebook.policy import consultation, versions
from casebook.reporting import board, figures
from casebook.reporting.common import about, category_name, chart, column, language

if TYPE_CHECKING:
    from casebook.session import Session


def _system(session: Session) -> Section:
    """What is being evaluated: the control as the policy sets it, and when it was last evaluated."""
    settings = versions.read(session).settings
    items = [
        t(
            "report.system.purposes",
            purposes="; ".join(t(f"irregularities.purpose.{p}.long") for p in settings.purposes),
        )
        if settings.purposes
        else t("report.system.no_purposes"),
        t("report.system.mode", modes=", ".join(t(f"report.circumstance.{m.value}") for m in settings.control_mode))
        if settings.control_mode
        else t("report.system.no_mode"),
        t("report.system.retention", days=settings.retention_days)
        if settings.retention_days
        else t("report.system.no_retention"),
        t("report.system.minimum", minimum=number(settings.min_group_size)),
    ]
    done = consultation.stored_evaluations(session.casebook.store)
    if done:
        last = done[0]
        items.append(t("report.system.evaluated", body=t(f"body.{last.body.value}"), date=long_date(last.held_on)))
    else:
        items.append(t("report.system.never_evaluated"))
    return Section(title=t("report.section.system"), blocks=(Bullets(items=tuple(items)),))


def _people(m: figures.Month) -> int | str | None:
    """A month's people: 0 for a month without figures, a word when who was there was deleted."""
    if not m.people_known:
        return t("report.usage.people_deleted")
    return m.totals.users if m.totals.requests or m.totals.visits else 0


def _usage(session: Session, span: Period, minimum: int) -> Section:
    months = figures.usage(session.casebook.store, span, minimum)
    totals = FigureTable(
        key="usage_totals",
        columns=(
            column("month", "text"),
            column("requests"),
            column("volume", "bytes"),
            column("time", "seconds"),
            column("people", "people"),
        ),
        rows=tuple(
            (
                month(m.first_day),
                m.totals.requests,
                m.totals.bytes,
                m.totals.seconds,
                _people(m),
            )
            for m in months
        ),
        row_keys=tuple(f"{m.first_day:%Y-%m}" for m in months),
    )

    def name(row: rollups.Row) -> str:
        return t("figures.other", minimum=number(minimum)) if row.folded else category_name(row.name)

    per_category = FigureTable(
        key="usage",
        columns=(
            column("month", "text"),
            column("category", "text"),
            column("requests"),
            column("volume", "bytes"),
            column("time", "seconds"),
            column("people", "people"),
        ),
        rows=tuple(
            (month(m.first_day), name(row), row.requests, row.bytes, row.seconds, row.users)
            for m in months
            for row in m.categories
        ),
    )
    time_chart = chart(
        "usage_time",
        t("report.chart.usage_time"),
        "seconds",
        [
            BarGroup(label=month(m.first_day), bars=tuple(Bar(label=name(r), value=r.seconds) for r in m.categories))
            for m in months
            if m.categories
        ],
    )
    blocks = [Paragraph(text=t("report.usage.intro", minimum=number(minimum))), totals]
    if not all(m.people_known for m in months):
        blocks.append(Paragraph(text=t("report.usage.deleted")))
    if any(m.categories for m in months):
        blocks += [time_chart, per_category]
    else:
        blocks.append(Paragraph(text=t("report.usage.none")))
    return Section(title=t("report.section.usage"), blocks=tuple(blocks))


def build(session: Session, span: Period) -> Document:
    session.require(Action.REPORT_EVALUATION)
    minimum = versions.read(session).settings.min_group_size
    body = Body(
        title=t("report.kind.evaluation"),
        intro=(Paragraph(text=t("report.evaluation.intro", minimum=number(minimum))),),
        sections=(
            _system(session),
            *board.sections(session, span, minimum, detail=False),
            _usage(session, span, minimum),
        ),
    )
    return Document(
        kind="evaluation", about=about(session, span), body=body, language=language(), min_group_size=minimum
    )
