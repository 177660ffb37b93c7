"""The day's retention purge, run when an IT officer signs in and none ran yet today (policy 2.5).

It runs in a worker on a connection of its own, so the screen and the app's own reads never wait for
it, and says what it deleted (or why it could not) in a notification. A policy without a retention
period has nothing to purge: the Policy mode already names that gap, so no notification repeats it at
every sign-in.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from casebook import clock as clocks
from casebook import retention
from casebook.errors import CasebookError, Refused
from casebook.i18n import t
from casebook.permissions import Action
from casebook.session import Session

if TYPE_CHECKING:
    from screens.app import CasebookApp


def purge_once_a_day(app: CasebookApp, session: Session) -> None:
    """Start the day's purge in the background when this person runs purges and none ran today."""
    if session.may(Action.RUN_PURGE):
        app.run_worker(partial(_purge_if_due, app, session), thread=True, group="daily-purge", exit_on_error=False)


def _purge_if_due(app: CasebookApp, session: Session) -> None:
    book = app.book.second_connection()
    try:
        own = session.on(book)
        if retention.last_purge(own) == own.today():
            return
        report = retention.purge(own)
    except Refused as refusal:
        if refusal.rule == "retention.period":
            return
        app.call_from_thread(_tell, app, t("purge.daily.refused", reason=refusal.message), "warning")
        return
    except CasebookError as exc:
        app.call_from_thread(_tell, app, t("purge.daily.refused", reason=exc.message), "warning")
        return
    finally:
        book.close()
    deleted = sum(report.counts.values())
    cutoff = clocks.local(report.cutoff).date().isoformat()
    app.call_from_thread(_tell, app, t("purge.daily.done", count=deleted, cutoff=cutoff), "information")


def _tell(app: CasebookApp, message: str, severity: str) -> None:
    if app.session is not None:  # signed out meanwhile: the next person need not read it
        app.notify(message, severity=severity, markup=False, timeout=10)  # type: ignore[arg-type]
