"""The case tracker's vocabulary: states, circumstances, sanctions, and the records the core hands out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class CaseState(StrEnum):
    DECIDED = "decided"  # a supervisor decided on a control: purpose, scope, circumstance, reason
    CONTROLLED = "controlled"  # the IT officer ran the control; findings attached, still without identities
    WARNED = "warned"  # purpose 4: the collective warning went out; waiting for a recurrence
    APPROVED = "approved"  # a supervisor approved the individualisation
    INDIVIDUALISED = "individualised"  # the IT officer resolved the findings' events to people
    CONSULTED = "consulted"  # undisputed professional data was consulted (the short path)
    CLOSED = "closed"  # read-only


class PersonState(StrEnum):
    IDENTIFIED = "identified"
    NOT_INFORMED = "not_informed"  # held no receipt of the policy when the facts happened: no further step
    NOTIFIED = "notified"
    INVITED = "invited"
    HEARD = "heard"
    SUSPENDED = "suspended"  # the contract is suspended for a reason of its own: a written defence instead
    SANCTIONED = "sanctioned"  # a sanction, or the decision that there is none


# A person's track has ended in these states: the case may close.
ENDED = frozenset({PersonState.NOT_INFORMED, PersonState.SANCTIONED})


class Circumstance(StrEnum):
    PERMANENT = "permanent"
    PERIODIC = "periodic"
    EVENT = "event"  # a complaint or a suspicion, described
    PROFESSIONAL = "professional"  # undisputed professional data (sent mail of the employer's accounts)


class Source(StrEnum):
    PROXY = "proxy"  # web requests (proxy and web server logs)
    MAIL = "mail"  # mail delivery logs


class SanctionKind(StrEnum):
    WORK_RULES = "work_rules"  # one of the sanctions the work rules list (the policy's `sanctions`)
    RESTRICTION = "restriction"  # temporary or permanent, full or partial restriction of access
    DISMISSAL = "dismissal"  # for serious cause (art. 35, law of 3 July 1978)
    NONE = "none"  # the decision that there is no sanction


class Restricts(StrEnum):
    INTERNET = "internet"
    SOCIAL_MEDIA = "social_media"
    MAIL = "mail"


class Delivery(StrEnum):
    """How the written reasons of a dismissal reached the employee (art. 35)."""

    REGISTERED_LETTER = "registered_letter"
    BAILIFF = "bailiff"
    SIGNED_DUPLICATE = "signed_duplicate"


class SuspensionReason(StrEnum):
    """Why the contract is suspended: a reason of its own, never a precautionary suspension for this case."""

    ILLNESS = "illness"
    LEAVE = "leave"
    OTHER = "other"  # another legal suspension of the contract, described


class LetterKind(StrEnum):
    WARNING = "warning"
    NOTIFICATION = "notification"
    INVITATION = "invitation"
    MINUTES = "minutes"
    SANCTION = "sanction"


@dataclass(frozen=True)
class Finding:
    irregularity_id: int
    rule: str
    day: date
    summary: str
    stage: str  # opened, control, recurrence
    events: int


@dataclass(frozen=True)
class Sanction:
    kind: str
    detail: str
    restricts: str | None
    partial: bool
    until: date | None
    decided_on: date
    decision_due: date | None
    reasons_due: date | None
    reasons_on: date | None
    reasons_by: str | None


@dataclass(frozen=True)
class Person:
    id: int  # the case_people row
    employee_id: int
    name: str  # shown only to the case's participants and administrators
    email: str
    department: str
    protected: bool
    state: PersonState
    first_fact: datetime
    events: int
    hearing_at: datetime | None
    hearing_place: str | None
    suspension: str | None
    known_on: date | None
    sanction: Sanction | None


@dataclass(frozen=True)
class Step:
    at: datetime
    by: str
    verb: str
    person: int | None  # case_people id
    detail: dict[str, Any]
    late: bool


@dataclass(frozen=True)
class Warning:
    rules: tuple[str, ...]
    told_how: str
    told_at: datetime
    issued_by: str


@dataclass(frozen=True)
class Case:
    id: int
    purpose: int
    circumstance: Circumstance
    period_from: date
    period_to: date
    sources: tuple[Source, ...]
    reason: str
    state: CaseState
    version: int
    opened_by: str
    opened_at: datetime
    approved_by: str | None
    outcome: str | None
    closed_at: datetime | None
    findings: list[Finding] = field(default_factory=list)
    warning: Warning | None = None
    people: list[Person] = field(default_factory=list)  # empty for whoever may not see identities
    people_count: int = 0  # how many were identified (a number anyone on the case may see)
    unresolved: int = 0  # events of the approved findings no directory entry matched
    timeline: list[Step] = field(default_factory=list)
    identities_shown: bool = False

    @property
    def closed(self) -> bool:
        return self.state is CaseState.CLOSED
