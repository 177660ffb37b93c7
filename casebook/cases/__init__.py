"""The case tracker: a control decided, carried out, individualised and followed up by the rules of CAO 81.

Screens and the command line call these functions only; each takes the signed-in Session and goes
through the procedure table (`procedure.STEPS`), which checks the role, the order of the steps and
every guard of the law, and writes the step, its letter and its audit row in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from casebook.cases import letters
from casebook.cases.model import (
    Case,
    CaseState,
    Circumstance,
    Delivery,
    LetterKind,
    Restricts,
    SanctionKind,
    Source,
    SuspensionReason,
)
from casebook.cases.procedure import BY_VERB, STEPS, Taken, blocked_by, take
from casebook.cases.records import (
    CaseLine,
    DueItem,
    RegisterLine,
    due,
    json_of,
    listing,
    load,
    may_see_identities,
    sanctions_register,
    show,
)
from casebook.errors import Refused
from casebook.permissions import Action
from casebook.policy import versions

if TYPE_CHECKING:
    from casebook.session import Session

__all__ = [
    "BY_VERB", "STEPS", "Case", "CaseLine", "CaseState", "Circumstance", "Delivery", "DueItem", "LetterKind",
    "RegisterLine", "Restricts", "SanctionKind", "Source", "SuspensionReason", "Taken", "approve", "blocked_by",
    "close", "consult", "control", "due", "hear", "individualise", "invite", "json_of", "letter", "listing",
    "notify", "open_case", "reasons", "sanction", "sanctions_register", "save_letter", "show", "suspend", "take",
    "warn",
]  # fmt: skip


def open_case(
    session: Session,
    purpose: int,
    circumstance: Circumstance,
    first: date,
    last: date,
    reason: str,
    *,
    irregularities: Iterable[int] = (),
    sources: Iterable[Source] = (Source.PROXY, Source.MAIL),
) -> Taken:
    """The decision (supervisor): purpose, scope (period, sources), circumstance, and why it is relevant and
    necessary; it may start from irregularities already found."""
    return take(
        session,
        "open",
        purpose=purpose,
        circumstance=circumstance,
        first=first,
        last=last,
        reason=reason,
        irregularities=tuple(irregularities),
        sources=tuple(sources),
    )


def control(session: Session, case_id: int, *, expected_version: int | None = None) -> Taken:
    return take(session, "control", case_id, expected_version=expected_version)


def warn(
    session: Session,
    case_id: int,
    told_how: str,
    *,
    text: str | None = None,
    told_at: datetime | None = None,
    expected_version: int | None = None,
) -> Taken:
    """The collective warning of purpose 4: `text` as edited (default: the draft), how and when all were told."""
    if text is None:
        text = letter(session, case_id, LetterKind.WARNING)
    return take(
        session, "warn", case_id, expected_version=expected_version, text=text, told_how=told_how, told_at=told_at
    )


def approve(session: Session, case_id: int, *, expected_version: int | None = None) -> Taken:
    return take(session, "approve", case_id, expected_version=expected_version)


def individualise(session: Session, case_id: int, *, expected_version: int | None = None) -> Taken:
    return take(session, "individualise", case_id, expected_version=expected_version)


def consult(session: Session, case_id: int, what: str, *, expected_version: int | None = None) -> Taken:
    return take(session, "consult", case_id, expected_version=expected_version, what=what)


def notify(
    session: Session, case_id: int, email: str, *, letter_text: str | None = None, expected_version: int | None = None
) -> Taken:
    return take(session, "notify", case_id, person=email, expected_version=expected_version, letter=letter_text)


def invite(
    session: Session,
    case_id: int,
    email: str,
    at: datetime,
    place: str,
    *,
    letter_text: str | None = None,
    expected_version: int | None = None,
) -> Taken:
    return take(
        session,
        "invite",
        case_id,
        person=email,
        expected_version=expected_version,
        at=at,
        place=place,
        letter=letter_text,
    )


def hear(
    session: Session,
    case_id: int,
    email: str,
    minutes: str,
    *,
    delegate: str = "",
    letter_text: str | None = None,
    expected_version: int | None = None,
) -> Taken:
    return take(
        session,
        "hear",
        case_id,
        person=email,
        expected_version=expected_version,
        minutes=minutes,
        delegate=delegate,
        letter=letter_text,
    )


def suspend(
    session: Session,
    case_id: int,
    email: str,
    kind: SuspensionReason,
    reason: str,
    *,
    expected_version: int | None = None,
) -> Taken:
    return take(session, "suspend", case_id, person=email, expected_version=expected_version, kind=kind, reason=reason)


def sanction(
    session: Session,
    case_id: int,
    email: str,
    kind: SanctionKind,
    *,
    detail: str = "",
    restricts: Restricts | None = None,
    partial: bool = False,
    until: date | None = None,
    known: date | None = None,
    known_reason: str = "",
    protected_ok: bool = False,
    letter_text: str | None = None,
    expected_version: int | None = None,
) -> Taken:
    return take(
        session,
        "sanction",
        case_id,
        person=email,
        expected_version=expected_version,
        kind=kind,
        detail=detail,
        restricts=restricts,
        partial=partial,
        until=until,
        known=known,
        known_reason=known_reason,
        protected_ok=protected_ok,
        letter=letter_text,
    )


def reasons(
    session: Session,
    case_id: int,
    email: str,
    delivery: Delivery,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> Taken:
    return take(session, "reasons", case_id, person=email, expected_version=expected_version, delivery=delivery, on=on)


def close(session: Session, case_id: int, outcome: str, *, expected_version: int | None = None) -> Taken:
    return take(session, "close", case_id, expected_version=expected_version, outcome=outcome)


def save_letter(
    session: Session,
    case_id: int,
    kind: LetterKind,
    text: str,
    *,
    email: str | None = None,
    expected_version: int | None = None,
) -> Taken:
    """An edited letter saved on the case as its next version (the Dutch text is the one sent)."""
    if not text.strip():
        raise Refused("case.letter", "refused.case_letter_empty")
    return take(
        session, "letter", case_id, person=email, expected_version=expected_version, letter_kind=kind, letter=text
    )


def letter(
    session: Session, case_id: int, kind: LetterKind, *, email: str | None = None, language: str = letters.SENT_LANGUAGE
) -> str:
    """The letter: in Dutch its latest saved version, else its draft; in English always the draft, marked as a
    translation. A letter to a person names them: only the case's participants and administrators read it."""
    session.require(Action.CASE_VIEW)
    store = session.casebook.store
    identities = may_see_identities(session, case_id)
    case = load(store, case_id, identities=True)
    if case is None:
        raise Refused("case.exists", "refused.case_missing", case=case_id)
    person = None
    if email is not None:
        if not identities:
            raise Refused("case.identities", "refused.case_identities", case=case_id)
        person = next((p for p in case.people if p.email == email.strip().lower()), None)
        if person is None:
            raise Refused("case.person", "refused.case_person", email=email, case=case_id)
    elif kind is not LetterKind.WARNING:
        raise Refused("case.person", "refused.case_letter_person", kind=kind.value)
    if language == letters.SENT_LANGUAGE:
        row = store.query_one(
            "SELECT text FROM case_letters WHERE case_id = ? AND kind = ? AND coalesce(case_person_id, 0) = ?"
            " ORDER BY version DESC LIMIT 1",
            [case_id, kind.value, person.id if person else 0],
        )
        if row is not None:
            return str(row["text"])
    return letters.draft(
        kind, case, versions.current(session.casebook), session.user.display_name, session.today(), language, person
    )
