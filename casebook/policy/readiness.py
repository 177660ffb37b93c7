"""Is the policy ready for a lawful control? One check; the controls call it, the browser shows it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.i18n import t
from casebook.permissions import Action
from casebook.policy import fields
from casebook.policy.versions import PolicyVersion, current
from schema.policy import ControlMode

if TYPE_CHECKING:
    from casebook.session import Session


@dataclass(frozen=True)
class Finding:
    """A blocker (control is not lawful until it is solved) or a warning (lawful, but look again)."""

    code: str
    field: str | None = None
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def message(self) -> str:
        label = t(f"policy.field.{self.field}.label") if self.field else ""
        return t(f"policy.finding.{self.code}", field=label, **self.params)


@dataclass(frozen=True)
class Readiness:
    version: int
    blockers: list[Finding]
    warnings: list[Finding]

    @property
    def ready(self) -> bool:
        return not self.blockers


def check(session: Session, version: PolicyVersion | None = None, today: date | None = None) -> Readiness:
    """Whether `version` (default: the current one) allows a control today; anyone bound by it may ask."""
    session.require(Action.MODE_POLICY)
    policy = version or current(session.casebook)
    return assess(policy, today or clocks.local(session.now()).date())


def assess(policy: PolicyVersion, today: date) -> Readiness:
    """The judgement itself, from the version's fields and the date alone."""
    settings = policy.settings
    blockers: list[Finding] = []
    for name in policy.asked():
        if fields.SETTINGS[name].required and fields.is_empty(settings, name):
            blockers.append(Finding("missing", name))
    if settings.date_in_force and settings.date_in_force > today:
        blockers.append(Finding("not_in_force", "date_in_force", {"date": settings.date_in_force.isoformat()}))
    if settings.consultation_date and settings.consultation_date > today:
        blockers.append(
            Finding("consultation_future", "consultation_date", {"date": settings.consultation_date.isoformat()})
        )
    if settings.consultation_date and settings.date_in_force and settings.consultation_date > settings.date_in_force:
        # CAO 81 art. 9: the employees' representatives are informed before the system is installed.
        blockers.append(
            Finding(
                "consultation_late",
                "consultation_date",
                {"consulted": settings.consultation_date.isoformat(), "in_force": settings.date_in_force.isoformat()},
            )
        )
    if ControlMode.PERMANENT in settings.control_mode and not settings.control_justification:
        blockers.append(Finding("permanent_unjustified", "control_justification"))
    if ControlMode.PERIODIC in settings.control_mode and not settings.test_period_max_days:
        blockers.append(Finding("periodic_without_length", "test_period_max_days"))
    warnings: list[Finding] = []
    if settings.retention_days and settings.retention_days > fields.MAX_ADVISED_RETENTION_DAYS:
        warnings.append(
            Finding(
                "long_retention",
                "retention_days",
                {"days": settings.retention_days, "advised": fields.MAX_ADVISED_RETENTION_DAYS},
            )
        )
    return Readiness(policy.version, blockers, warnings)
