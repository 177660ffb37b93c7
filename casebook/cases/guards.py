"""The guards of the case procedure: each a small function that returns the refusal naming its rule, or None.

Each one is a sentence of the law (DOMAIN.md, "Individualisation" and "After individualisation"); the
procedure table (casebook/cases/procedure.py) says which guard stands before which step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.cases.model import (
    Case,
    CaseState,
    Circumstance,
    Person,
    PersonState,
    Restricts,
    SanctionKind,
    SuspensionReason,
)
from casebook.errors import Refused
from casebook.i18n import t
from casebook.policy import readiness
from schema.policy import ControlMode

if TYPE_CHECKING:
    from casebook.book import Casebook
    from casebook.policy.versions import PolicyVersion
    from casebook.session import Session
    from casebook.store import Store


@dataclass
class Ctx:
    """Everything a guard or an effect may look at: who acts, when, on which case and person, with what."""

    session: Session
    book: Casebook
    store: Store
    now: datetime
    today: date
    policy: PolicyVersion
    case: Case | None
    person: Person | None
    params: dict[str, Any]
    warnings: list[str] = field(default_factory=list)  # said to the person acting, recorded on the step
    late: bool = False

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        return self.policy.settings


# -- when a control may run at all ---------------------------------------------------------------------------


def policy_ready(ctx: Ctx) -> Refused | None:
    """No control, no decision on one, while `policy check` fails (CAO 81 art. 7-9)."""
    return readiness.refusal(ctx.book)


def purpose_adopted(ctx: Ctx) -> Refused | None:
    """Only a purpose the policy adopted may be chosen (art. 5)."""
    purpose = ctx.params["purpose"]
    if purpose in ctx.settings.purposes:
        return None
    return Refused(
        "case.purpose_adopted",
        "refused.case_purpose",
        purpose=purpose,
        adopted=", ".join(map(str, ctx.settings.purposes)),
    )


def circumstance_announced(ctx: Ctx) -> Refused | None:
    """A control only in the mode the policy announced: permanent, periodic within the test period, or an event."""
    circumstance: Circumstance = ctx.params["circumstance"]
    if circumstance is Circumstance.PROFESSIONAL:
        return None  # consulting undisputed professional data is no control under CAO 81
    modes = ctx.settings.control_mode
    if ControlMode(circumstance.value) not in modes:
        return Refused(
            "case.circumstance",
            "refused.case_mode",
            circumstance=t(f"case.circumstance.{circumstance}"),
            modes=", ".join(t(f"case.circumstance.{m}") for m in modes),
        )
    if circumstance is Circumstance.PERIODIC:
        days = (ctx.params["last"] - ctx.params["first"]).days + 1
        longest = ctx.settings.test_period_max_days or 0
        if days > longest:
            return Refused("case.circumstance", "refused.case_test_period", days=days, longest=longest)
    return None


def reason_given(ctx: Ctx) -> Refused | None:
    """The decision says why the control is relevant and necessary; an event names its complaint or suspicion."""
    if len(" ".join(str(ctx.params.get("reason", "")).split())) >= 10:
        return None
    key = "refused.case_event_reason" if ctx.params["circumstance"] is Circumstance.EVENT else "refused.case_reason"
    return Refused("case.reason", key)


def scope_valid(ctx: Ctx) -> Refused | None:
    """The scope is a period from the date in force on, first day before last, and at least one data source."""
    first, last = ctx.params["first"], ctx.params["last"]
    if last < first:
        return Refused("case.scope", "refused.case_scope_order", first=first.isoformat(), last=last.isoformat())
    in_force = ctx.settings.date_in_force
    if in_force is None or first < in_force:
        return Refused(
            "case.scope",
            "refused.case_scope_in_force",
            first=first.isoformat(),
            in_force=in_force.isoformat() if in_force else "-",
        )
    if not ctx.params.get("sources"):
        return Refused("case.scope", "refused.case_sources")
    return None


def irregularities_fit(ctx: Ctx) -> Refused | None:
    """A case that starts from irregularities takes only those of its purpose and scope."""
    for irregularity_id in ctx.params.get("irregularities", ()):
        row = ctx.store.query_one("SELECT purpose, day FROM irregularities WHERE id = ?", [irregularity_id])
        if row is None:
            return Refused("case.irregularity", "refused.case_irregularity_missing", id=irregularity_id)
        day = date.fromisoformat(str(row["day"]))
        if int(row["purpose"]) != ctx.params["purpose"] or not ctx.params["first"] <= day <= ctx.params["last"]:
            return Refused(
                "case.irregularity",
                "refused.case_irregularity_scope",
                id=irregularity_id,
                purpose=row["purpose"],
                day=day.isoformat(),
            )
    return None


# -- on an existing case ---------------------------------------------------------------------------------------


def not_closed(ctx: Ctx) -> Refused | None:
    """A closed case is read-only."""
    assert ctx.case is not None
    if ctx.case.state is CaseState.CLOSED:
        return Refused("case.closed", "refused.case_closed", case=ctx.case.id)
    return None


def is_control(ctx: Ctx) -> Refused | None:
    """The control steps belong to a control; consulting professional data has its own short path."""
    assert ctx.case is not None
    if ctx.case.circumstance is Circumstance.PROFESSIONAL:
        return Refused("case.professional", "refused.case_professional_path", case=ctx.case.id)
    return None


def is_professional(ctx: Ctx) -> Refused | None:
    """Consulting without the procedure is only for data whose professional nature is undisputed."""
    assert ctx.case is not None
    if ctx.case.circumstance is not Circumstance.PROFESSIONAL:
        return Refused("case.professional", "refused.case_not_professional", case=ctx.case.id)
    return None


def has_findings(ctx: Ctx) -> Refused | None:
    """Nothing to warn about or approve without an irregularity the control found."""
    assert ctx.case is not None
    if ctx.case.findings:
        return None
    return Refused("case.findings", "refused.case_no_findings", case=ctx.case.id)


def purpose_four(ctx: Ctx) -> Refused | None:
    """The collective warning is the alarm-bell procedure of purpose 4 (art. 17)."""
    assert ctx.case is not None
    if ctx.case.purpose == 4:
        return None
    return Refused("case.alarm_bell", "refused.case_warning_purpose", purpose=ctx.case.purpose)


def warning_said(ctx: Ctx) -> Refused | None:
    """The warning's text and how the employees were told are on record, told between the control and now."""
    if not (str(ctx.params.get("text", "")).strip() and str(ctx.params.get("told_how", "")).strip()):
        return Refused("case.warning", "refused.case_warning_text")
    told_at = ctx.params.get("told_at")
    assert ctx.case is not None
    controlled = [step.at for step in ctx.case.timeline if step.verb == "control"]
    # Recurrences count from this moment: a moment still to come, or one before the irregularity was even
    # found, would let data the employees were not yet warned about pass for a recurrence.
    if told_at is not None and (told_at > ctx.now or (controlled and told_at < controlled[-1])):
        return Refused(
            "case.warning",
            "refused.case_warning_moment",
            told=clocks.local(told_at).strftime("%Y-%m-%d %H:%M"),
            since=clocks.local(controlled[-1]).strftime("%Y-%m-%d %H:%M") if controlled else "",
        )
    return None


def recurrence_after_warning(ctx: Ctx) -> Refused | None:
    """Purpose 4: only an irregularity of the same rule found again in data after the warning (art. 17)."""
    case = ctx.case
    assert case is not None
    if case.purpose != 4:
        return None
    if case.warning is None:
        return Refused("case.alarm_bell", "refused.case_no_warning", case=case.id)
    if not any(f.stage == "recurrence" for f in case.findings):
        return Refused(
            "case.alarm_bell", "refused.case_no_recurrence", case=case.id, since=case.warning.told_at.date().isoformat()
        )
    return None


def four_eyes(ctx: Ctx) -> Refused | None:
    """Who approved an individualisation does not carry it out, also when one person holds both roles."""
    assert ctx.case is not None
    if ctx.case.approved_by != ctx.session.user.name:
        return None
    return Refused("case.four_eyes", "refused.case_four_eyes", case=ctx.case.id)


def tracks_ended(ctx: Ctx) -> Refused | None:
    """A case closes once every person's track ended (a decision, or no step possible)."""
    assert ctx.case is not None
    open_tracks = [p for p in ctx.case.people if p.state not in (PersonState.SANCTIONED, PersonState.NOT_INFORMED)]
    if not open_tracks:
        return None
    return Refused("case.tracks_open", "refused.case_tracks_open", count=len(open_tracks))


def outcome_given(ctx: Ctx) -> Refused | None:
    """The case says with what outcome it closes."""
    if len(" ".join(str(ctx.params.get("outcome", "")).split())) >= 3:
        return None
    return Refused("case.outcome", "refused.case_outcome")


# -- for a person identified -----------------------------------------------------------------------------------


def person_informed(ctx: Ctx) -> Refused | None:
    """Nobody is proceeded against who held no receipt of the policy when the facts happened (art. 8)."""
    assert ctx.person is not None
    if ctx.person.state is not PersonState.NOT_INFORMED:
        return None
    return Refused("case.not_informed", "refused.case_not_informed", case=ctx.case.id if ctx.case else 0)


def invitation_complete(ctx: Ctx) -> Refused | None:
    """The invitation names a date and time still to come and a place (the right to a delegate is in the letter)."""
    at: datetime | None = ctx.params.get("at")
    if at is None or at <= ctx.now:
        return Refused("case.invitation", "refused.case_invitation_date")
    if not str(ctx.params.get("place", "")).strip():
        return Refused("case.invitation", "refused.case_invitation_place")
    return None


def hearing_held(ctx: Ctx) -> Refused | None:
    """Minutes of a hearing that took place: its moment has come, and the employee's explanation is written."""
    assert ctx.person is not None
    if ctx.person.hearing_at is not None and ctx.person.hearing_at > ctx.now:
        return Refused(
            "case.hearing_first", "refused.case_hearing_not_yet", at=ctx.person.hearing_at.isoformat(timespec="minutes")
        )
    if len(str(ctx.params.get("minutes", "")).strip()) < 10:
        return Refused("case.minutes", "refused.case_minutes")
    return None


def suspension_of_its_own(ctx: Ctx) -> Refused | None:
    """The exception to the hearing: a contract suspended for a reason of its own, never a precaution (note 17)."""
    kind = ctx.params.get("kind")
    text = " ".join(str(ctx.params.get("reason", "")).split())
    if not isinstance(kind, SuspensionReason) or len(text) < 5:
        return Refused("case.suspension", "refused.case_suspension")
    return None


def sanction_allowed(ctx: Ctx) -> Refused | None:
    """Only a sanction the work rules list, a restriction of access, dismissal for serious cause, or none (2.6)."""
    kind = ctx.params.get("kind")
    if kind is SanctionKind.WORK_RULES:
        listed = {s.strip().lower() for s in ctx.settings.sanctions}
        if str(ctx.params.get("detail", "")).strip().lower() not in listed:
            return Refused(
                "case.sanction_kind",
                "refused.case_sanction_unlisted",
                kind=ctx.params.get("detail", ""),
                listed=", ".join(ctx.settings.sanctions) or "-",
            )
    elif kind is SanctionKind.RESTRICTION:
        if not isinstance(ctx.params.get("restricts"), Restricts):
            return Refused("case.sanction_kind", "refused.case_restriction_what")
        until = ctx.params.get("until")
        if until is not None and until <= ctx.today:
            return Refused("case.sanction_kind", "refused.case_restriction_until", until=until.isoformat())
    elif kind not in (SanctionKind.DISMISSAL, SanctionKind.NONE):
        return Refused("case.sanction_kind", "refused.case_sanction_kind")
    if kind is SanctionKind.DISMISSAL and ctx.params.get("known") is not None and not ctx.params.get("known_reason"):
        return Refused("case.known", "refused.case_known_reason")
    return None


def protected_acknowledged(ctx: Ctx) -> Refused | None:
    """A protected employee (staff representative) cannot be dismissed by this procedure alone: say so first."""
    assert ctx.person is not None
    if ctx.params.get("kind") is not SanctionKind.DISMISSAL or not ctx.person.protected:
        return None
    if ctx.params.get("protected_ok"):
        ctx.warnings.append(t("case.warning.protected"))
        return None
    return Refused("case.protected", "refused.case_protected")


def is_dismissal(ctx: Ctx) -> Refused | None:
    """Written reasons follow a dismissal for serious cause, once."""
    assert ctx.person is not None
    sanction = ctx.person.sanction
    if sanction is None or sanction.kind != SanctionKind.DISMISSAL:
        return Refused("case.reasons", "refused.case_reasons_not_dismissal")
    if sanction.reasons_on is not None:
        return Refused("case.reasons", "refused.case_reasons_twice", on=sanction.reasons_on.isoformat())
    return None
