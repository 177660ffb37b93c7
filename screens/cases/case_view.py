"""A case as its page shows it: the case (identities as the core gives them), its deadlines, and for every
step of the procedure whether the signed-in person may take it now, or the refusal that says why not.

Read in a worker (`read_case`); the page only shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casebook import cases
from casebook.cases import Case, DueItem
from casebook.cases.model import Person
from casebook.policy import versions
from casebook.session import Session
from screens import actions

# The steps a case's page offers (every step of the procedure but the decision, which is the list's `n`).
PAGE_STEPS = tuple(step for step in cases.STEPS if step.verb in actions.CASE_STEP_KEYS)


@dataclass
class CaseView:
    """A case as the page shows it, and what the signed-in person may do on it now."""

    case: Case
    today: date
    open_steps: dict[str, list[str | None]]  # verb -> [None] (the case) or the e-mail addresses it is open for
    blocked: list[tuple[str, str | None, str]]  # verb, the person's name (or None), the refusal's sentence
    letter_blocked: dict[str | None, str | None]  # person's e-mail (None: the warning) -> why they may not edit
    due: list[DueItem]
    sanctions: tuple[str, ...]

    def person(self, email: str) -> Person:
        return next(p for p in self.case.people if p.email == email)


def read_case(session: Session, case_id: int) -> CaseView:
    """The case (identities as the core gives them), and for every step whether it is open now (in a worker)."""
    case = cases.show(session, case_id)
    open_steps: dict[str, list[str | None]] = {}
    blocked: list[tuple[str, str | None, str]] = []
    for step in PAGE_STEPS:
        if step.person:
            for person in case.people:
                refusal = cases.blocked_by(session, step.verb, case_id, person.email)
                if refusal is None:
                    open_steps.setdefault(step.verb, []).append(person.email)
                else:
                    blocked.append((step.verb, person.name, refusal.message))
        else:
            refusal = cases.blocked_by(session, step.verb, case_id)
            if refusal is None:
                open_steps[step.verb] = [None]
            else:
                blocked.append((step.verb, None, refusal.message))
    letter_blocked: dict[str | None, str | None] = {}
    for email in (None, *(p.email for p in case.people)):
        refusal = cases.blocked_by(session, "letter", case_id, email)
        letter_blocked[email] = None if refusal is None else refusal.message
    due = [item for item in cases.due(session) if item.case_id == case_id]
    sanctions = versions.read(session).settings.sanctions
    return CaseView(case, session.today(), open_steps, blocked, letter_blocked, due, sanctions)
