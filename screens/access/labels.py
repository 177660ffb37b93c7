"""How the Access screens name a request: its kind, its status, and its deadline in words.

An overdue request says so in words and with a sign (⚠), never by colour alone.
"""

from __future__ import annotations

from datetime import date

from casebook.access import Kind, Request, Status
from casebook.i18n import t

OPEN = (Status.RECEIVED, Status.IN_PROGRESS, Status.EXTENDED)
ANSWERED = (Status.GRANTED, Status.PARTLY, Status.DONE)
# The kinds whose answer is a letter (the information, and for an access request a copy of the data).
WITH_ANSWER = (Kind.ACCESS, Kind.INFORMATION)


def kind_name(kind: Kind) -> str:
    return t(f"access.kind.{kind.value}")


def kind_choice(kind: Kind) -> str:
    """The kind with a one-line explanation, as the form offers it: 'inzage — uw gegevens zien ...'."""
    return t("access.screen.kind_choice", kind=kind_name(kind), explanation=t(f"access.kind_help.{kind.value}"))


def status_name(status: Status) -> str:
    return t(f"access.status.{status.value}")


def due_cell(request: Request, today: date) -> str:
    """The deadline, and when it passed unanswered, '⚠ te laat' after it."""
    if request.overdue(today):
        return f"{request.due_on.isoformat()} {t('access.overdue')}"
    return request.due_on.isoformat()


def deadline_words(request: Request, today: date) -> str:
    """How the deadline stands, in words: so many days late, so many days left, or nothing once answered."""
    if request.status not in OPEN:
        return ""
    days = (request.due_on - today).days
    if days < 0:
        return t("access.screen.late_by", count=-days)
    if days == 0:
        return t("access.screen.due_today")
    return t("access.screen.days_left", count=days)
