"""Is the policy ready for a lawful control? One check; the controls call it, the browser shows it.

What it asks, article by article (the README's "What 'ready' means" says the same to people):
- the fields the text uses, and whatever the law needs whatever the text says (art. 9: the purposes,
  the means, where and how long data is kept, the sanctions of the work rules, the evaluation body);
- in force (art. 9: the system is installed only after the information);
- the body informed is the one art. 7 designates, informed before the date in force, and informed
  again of every later version that changes the purposes, the control mode, the means or the retention;
- permanent control justified, periodic control with a maximum test period (art. 5 and 12);
Warnings do not block: retention over three months, employees without a receipt of the current text
(art. 8: the case tracker refuses to proceed against them), no evaluation within a year (art. 10).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.errors import Refused
from casebook.i18n import t
from casebook.permissions import Action
from casebook.policy import consultation, fields, receipts, versions
from casebook.policy.versions import PolicyVersion, current
from schema.policy import ControlMode, PolicySettings

# The fields whose change is a change of the control system itself: the body must hear of it again.
SUBSTANCE = ("purposes", "control_mode", "control_means", "retention_days")
EVALUATION_DAYS = 365

if TYPE_CHECKING:
    from casebook.book import Casebook
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


@dataclass(frozen=True)
class Facts:
    """What the casebook knows beside the version's own fields: the history of the control and the records."""

    history: list[tuple[int, PolicySettings]] = dataclasses.field(default_factory=list)  # oldest first
    informed_versions: list[tuple[int, date]] = dataclasses.field(default_factory=list)  # (version, held on)
    last_evaluation: date | None = None
    without_receipt: int = 0


def check(session: Session, version: PolicyVersion | None = None, today: date | None = None) -> Readiness:
    """Whether `version` (default: the current one) allows a control today; anyone bound by it may ask."""
    session.require(Action.MODE_POLICY)
    return of_casebook(session.casebook, version, today)


def of_casebook(
    book: Casebook, version: PolicyVersion | None = None, today: date | None = None, *, warnings: bool = True
) -> Readiness:
    """The core's own check; without `warnings`, only what blocks (the guards ask that, and often)."""
    policy = version or current(book)
    today = today or clocks.local(book.clock.now()).date()
    evaluations = consultation.stored_evaluations(book.store)
    facts = Facts(
        history=[(v, s) for v, s in versions.settings_by_version(book) if v <= policy.version],
        informed_versions=[(i.policy_version, i.held_on) for i in consultation.stored_informations(book.store)],
        last_evaluation=evaluations[0].held_on if evaluations else None,
        without_receipt=receipts.without_receipt(book) if version is None and warnings else 0,
    )
    return assess(policy, today, facts)


def refusal(book: Casebook) -> Refused | None:
    """No control, no decision on one, and nothing collected for one, while `policy check` fails (CAO 81 art. 7-9).

    The one rule behind a case's steps, the rules' run, a log's import and the reads of the global
    overview: importing logs is installing the control, and the overview shows what was imported.
    """
    result = of_casebook(book, warnings=False)
    if result.ready:
        return None
    return Refused(
        "control.policy_ready",
        "refused.control_not_ready",
        count=len(result.blockers),
        first=result.blockers[0].message,
    )


def require_ready(book: Casebook) -> None:
    """Raise the refusal of `refusal` when the policy is not ready."""
    refused = refusal(book)
    if refused is not None:
        raise refused


def substance_change(history: list[tuple[int, PolicySettings]]) -> tuple[int, list[str]] | None:
    """The newest version that changed the control system after it was first complete, and what it changed.

    The first version in which the purposes, mode, means and retention are all filled in is the
    system the body was informed of before the date in force (the consultation fields say so);
    setting it up in steps before that is no change.
    """
    complete = [(v, s) for v, s in history if not any(fields.is_empty(s, name) for name in SUBSTANCE)]
    if not complete:
        return None
    baseline = complete[0][0]
    newest: tuple[int, list[str]] | None = None
    previous = None
    for version, settings in history:
        if previous is not None and version > baseline:
            changed = [name for name in SUBSTANCE if getattr(settings, name) != getattr(previous, name)]
            if changed:
                newest = (version, changed)
        previous = settings
    return newest


def assess(policy: PolicyVersion, today: date, facts: Facts | None = None) -> Readiness:
    """The judgement itself, from the version's fields, the date and what the casebook recorded."""
    facts = facts or Facts()
    settings = policy.settings
    blockers: list[Finding] = []
    for name in policy.asked():
        if fields.SETTINGS[name].required and fields.is_empty(settings, name):
            blockers.append(Finding("missing", name))
    designated = fields.designated_body(settings.bodies_present)
    if designated is not None:
        for name in ("consultation_body", "evaluation_body"):
            chosen = getattr(settings, name)
            if chosen and designated not in chosen:
                blockers.append(Finding("body_order", name, {"body": t(f"body.{designated.value}")}))
    change = substance_change(facts.history)
    if change is not None:
        changed_version, changed = change
        if not any(v >= changed_version and held <= today for v, held in facts.informed_versions):
            blockers.append(
                Finding(
                    "not_informed_of_change",
                    "consultation_body",
                    {"version": changed_version, "what": ", ".join(t(f"policy.field.{n}.label") for n in changed)},
                )
            )
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
    if facts.without_receipt:
        warnings.append(Finding("without_receipt", None, {"count": facts.without_receipt}))
    in_force = settings.date_in_force
    if facts.last_evaluation is not None and (today - facts.last_evaluation).days > EVALUATION_DAYS:
        warnings.append(Finding("evaluation_old", "evaluation_body", {"date": facts.last_evaluation.isoformat()}))
    elif facts.last_evaluation is None and in_force is not None and (today - in_force).days > EVALUATION_DAYS:
        warnings.append(Finding("evaluation_never", "evaluation_body", {"date": in_force.isoformat()}))
    return Readiness(policy.version, blockers, warnings)
