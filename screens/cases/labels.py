"""How the Cases screens name what they show: steps, states, periods, deadlines, in words and signs.

Colour never carries a meaning alone: a deadline passed says so (⚠ / ✖ and words), a late step too.
"""

from __future__ import annotations

from datetime import date

from casebook.i18n import t


def state_text(state: str) -> str:
    """A case's state in a word or two, for lists (the core's case.state.* are the full sentences)."""
    return t(f"cases.state_short.{state}")


def person_state_text(state: str) -> str:
    return t(f"cases.person_state_short.{state}")


def verb_text(verb: str) -> str:
    """What a step of the timeline did ("in kennis gesteld")."""
    return t(f"cases.verb.{verb}")


def step_label(verb: str) -> str:
    """A step as its key names it ("Kennisgeving")."""
    return t(f"cases.key.{verb}")


def purpose_name(purpose: int) -> str:
    return t(f"irregularities.purpose.{purpose}.short")


def purpose_long(purpose: int) -> str:
    return t(f"irregularities.purpose.{purpose}.long")


def circumstance_text(circumstance: str) -> str:
    return t(f"case.circumstance.{circumstance}")


def rule_name(rule: str) -> str:
    return t(f"irregularities.rule.{rule}")


def period_text(first: date, last: date) -> str:
    """'2026-11-02 – 11-06' within one year (18 columns), both days in full across a year's end."""
    if first.year == last.year:
        return f"{first.isoformat()} – {last:%m-%d}"
    return f"{first.isoformat()} – {last.isoformat()}"


def deadline_state(due: date, today: date, *, overdue_is_late: bool = True) -> str:
    """How a deadline stands today, in words with a sign: 'nog 3 dagen', '⚠ vandaag', '✖ te laat'.

    A deadline that only limits one decision (the dismissal for serious cause) is 'passed', not 'late'.
    """
    days = (due - today).days
    if days > 0:
        return t("cases.deadline.left", count=days)
    if days == 0:
        return t("cases.deadline.today")
    return t("cases.deadline.late" if overdue_is_late else "cases.deadline.passed")
