"""What every report shares: its header (who made it, for which period) and the names it gives things.

A report speaks the language of the person who makes it (Dutch or English), unlike the GDPR's
documents, which go to the employees and the authority in Dutch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from casebook import clock as clocks
from casebook import i18n, small_groups
from casebook.documents.model import About, Bar, BarGroup, Cell, CellKind, Chart, Column, FigureTable
from casebook.i18n import t
from casebook.logs.rollups import Period
from casebook.plaintext import inert, one_line
from casebook.policy import versions
from schema.roles import ROLE_ORDER

if TYPE_CHECKING:
    from casebook.session import Session


def about(session: Session, span: Period) -> About:
    """The header: the organisation, the period, when, and who (name, account and roles) made it."""
    policy = versions.read(session)
    user = session.user
    roles = ", ".join(t(f"role.{role.value}") for role in ROLE_ORDER if role in user.roles)
    name = inert(one_line(user.display_name))
    maker = f"{name} ({user.name}), {roles}" if name != user.name else f"{user.name}, {roles}"
    return About(
        organisation=inert(one_line(policy.settings.organisation_name)) or t("report.no_organisation"),
        made_at=clocks.from_text(clocks.to_text(session.now())),
        made_by=user.name,
        policy_version=policy.version,
        period=(span.first_day, span.last_day),
        maker=maker,
    )


def language() -> str:
    return i18n.get_language()


def column(key: str, kind: CellKind = "count", title: str | None = None) -> Column:
    return Column(key=key, title=title or t(f"report.col.{key}"), kind=kind)


def named(key: str, rows: Iterable[tuple[str, Cell]], kind: CellKind = "count", value: str = "count") -> FigureTable:
    """A list of named figures: (key, value) pairs, each row labelled by report.figure.KEY."""
    pairs = list(rows)
    return FigureTable(
        key=key,
        columns=(column("figure", "text"), column(value, kind)),
        rows=tuple((t(f"report.figure.{k}"), v) for k, v in pairs),
        row_keys=tuple(k for k, _ in pairs),
    )


def breakdown(
    key: str, parts: dict[str, int], label: Iterable[tuple[str, str]], minimum: int, value: str = "people"
) -> FigureTable:
    """Disjoint parts of one whole (sanctions by kind, deadlines by outcome) and their total, by the rule
    on small groups: parts about fewer people than `minimum` are folded into one row (casebook.small_groups).

    `label` names each part for a reader, in the order shown. With `minimum` 1 nothing is folded.
    """
    labels = dict(label)
    folded = small_groups.fold(parts, minimum)
    rows: list[tuple[str, Cell]] = [(labels[k], v) for k, v in folded.parts.items()]
    keys = list(folded.parts)
    if folded.folded:
        rows.append((t("report.figure.other", minimum=minimum), folded.other))
        keys.append("other")
    rows.append((t("report.figure.total"), folded.total))
    keys.append("total")
    return FigureTable(
        key=key,
        columns=(column("figure", "text"), column(value, "people")),
        rows=tuple(rows),
        row_keys=tuple(keys),
    )


def bars_of(table: FigureTable, group: str = "") -> BarGroup:
    """A table of named figures as one group of bars (its total left out: the bars say the parts)."""
    bars = tuple(
        Bar(label=str(row[0]), value=None if row[1] is None else float(row[1]))
        for row, row_key in zip(table.rows, table.row_keys, strict=True)
        if row_key != "total"
    )
    return BarGroup(label=group, bars=bars)


def chart(key: str, title: str, measure: CellKind, groups: Iterable[BarGroup]) -> Chart:
    return Chart(key=key, title=title, measure=measure, groups=tuple(groups))


def purpose_name(purpose: int) -> str:
    return f"{purpose}. {t(f'irregularities.purpose.{purpose}.short')}"


def category_name(key: str | None) -> str:
    """A category as a reader reads it; one from an imported list, which the catalogue does not name, as its key."""
    if not key:
        return t("stats.uncategorised")
    return t(f"category.{key}") if f"category.{key}" in i18n.catalogue() else inert(one_line(key))


def rule_name(rule: str) -> str:
    return t(f"irregularities.rule.{rule}") if f"irregularities.rule.{rule}" in i18n.catalogue() else rule


def sanction_name(kind: str) -> str:
    """dismissal, none, restriction:internet, work_rules:blaam (the policy's own word, as written)."""
    if kind.startswith("work_rules:"):
        return inert(one_line(kind.split(":", 1)[1]))
    if kind.startswith("restriction:"):
        what = kind.split(":", 1)[1]
        return f"{t('cases.sanction_kind.restriction')}: {t(f'cases.restricts.{what}')}"
    return t(f"cases.sanction_kind.{kind}")


def period_of(span: Period) -> tuple[str, str]:
    return span.first_day.isoformat(), span.last_day.isoformat()
