"""The decision on a control (a new case): purpose, circumstance, period, why, data sources.

The purposes are those the policy adopted, the circumstances those it announced (and the short path
for undisputed professional data); whatever the law still forbids (a period before the date in force,
a test period too long, a reason too short, the policy not ready) the core refuses, and the form shows
its sentence. From the Logs mode an irregularity starts a case: its purpose and a period around its day
are filled in, and the case keeps it among its findings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from casebook import cases
from casebook.cases import Circumstance, Source, Taken
from casebook.i18n import t
from casebook.policy import versions
from casebook.rules import Irregularity
from casebook.session import Session
from schema.policy import PolicySettings
from screens.base import CasebookScreen
from screens.cases import labels
from screens.cases.forms import Field, FormDialog, FormError, FormResult, Values, parse_required_day
from screens.workers import read_in_worker

# An irregularity's case looks at the days around it: three before, three after.
AROUND_DAYS = 3


def new_case_form(settings: PolicySettings, today: date, irregularity: Irregularity | None = None) -> FormDialog:
    purposes = [(f"{p} · {labels.purpose_long(p)}", p) for p in settings.purposes]
    modes = [str(m) for m in settings.control_mode]
    circumstances = [(labels.circumstance_text(m), m) for m in (*modes, Circumstance.PROFESSIONAL.value)]
    if irregularity is not None:
        purpose: int | None = irregularity.purpose
        # A case from an irregularity the rules found: meaningful under permanent control.
        circumstance: str | None = Circumstance.PERMANENT.value if Circumstance.PERMANENT.value in modes else None
        first = irregularity.day - timedelta(days=AROUND_DAYS)
        if settings.date_in_force is not None:
            first = max(first, settings.date_in_force)
        last = irregularity.day + timedelta(days=AROUND_DAYS)
        note = t(
            "cases.new.irregularity",
            id=irregularity.id,
            day=irregularity.day.isoformat(),
            summary=irregularity.summary,
        )
    else:
        purpose = settings.purposes[0] if settings.purposes else None
        circumstance = None
        first = last = today
        note = ""
    circumstance = circumstance or (modes[0] if modes else Circumstance.PROFESSIONAL.value)
    hint = (
        t("cases.new.test_period", days=settings.test_period_max_days)
        if settings.test_period_max_days
        else t("cases.new.days_hint")
    )
    fields = [
        Field("purpose", t("cases.new.purpose"), "select", purpose, purposes),
        Field("circumstance", t("cases.new.circumstance"), "select", circumstance, circumstances),
        Field("first", t("cases.new.first"), "input", first.isoformat(), row="days"),
        Field("last", t("cases.new.last"), "input", last.isoformat(), hint=hint, row="days"),
        Field("reason", t("cases.new.reason"), "text"),
        Field("proxy", t("cases.source.proxy"), "check", True, row="sources"),
        Field("mail", t("cases.source.mail"), "check", True, row="sources"),
    ]
    irregularities = (irregularity.id,) if irregularity is not None else ()

    def parse(values: Values) -> dict[str, Any]:
        if values.get("purpose") is None:
            raise FormError(t("cases.new.no_purpose"), "purpose")
        return {
            "purpose": int(values["purpose"]),
            "circumstance": Circumstance(str(values["circumstance"])),
            "first": parse_required_day(str(values["first"]), "first"),
            "last": parse_required_day(str(values["last"]), "last"),
            "reason": str(values["reason"]),
            "sources": tuple(s for s in Source if values.get(s.value)),
        }

    def perform(session: Session, params: dict[str, Any]) -> Taken:
        return cases.open_case(
            session,
            params["purpose"],
            params["circumstance"],
            params["first"],
            params["last"],
            params["reason"],
            irregularities=irregularities,
            sources=params["sources"],
        )

    return FormDialog(
        t("cases.new.title"),
        fields,
        perform,
        parse=parse,
        note=note,
        hint=t("cases.new.hint"),
        dialog_id="new-case-form",
    )


def open_new_case(
    screen: CasebookScreen[Any], opened: Callable[[int], None], irregularity: Irregularity | None = None
) -> None:
    """Read the policy (in a worker), then show the form; `opened` gets the new case's id."""

    def read(session: Session) -> tuple[PolicySettings, date]:
        return versions.read(session).settings, session.today()

    def show(found: tuple[PolicySettings, date]) -> None:
        if not screen.is_attached:
            return

        def done(result: FormResult | None) -> None:
            if result is not None and result.taken is not None:
                screen.notify("✔ " + t("cases.new.opened", case=result.taken.case_id), markup=False)
                opened(result.taken.case_id)

        screen.app.push_screen(new_case_form(*found, irregularity=irregularity), done)

    read_in_worker(screen, screen.casebook_app, read, show, "cases-new")
