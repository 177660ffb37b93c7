"""The CAO 81 procedure as one table: every step of a case, who takes it, from where, past which guards.

Read top to bottom, the table is the procedure (DOMAIN.md, "Individualisation", "After
individualisation"; the policy's 2.4-2.6):

- a supervisor decides on a control (purpose, scope, circumstance, why); the IT officer runs it over
  the case's scope only, still without identities; nothing found closes the case;
- purposes 1-3: a supervisor approves the individualisation and an IT officer who is not that
  supervisor carries it out;
- purpose 4 (alarm bell): first a collective warning to all employees; only the same irregularity
  found again in data after it may be approved, and only events after it are resolved;
- each person identified is notified, invited (date, place, the right to a union delegate) and heard
  before any sanction, unless their contract is suspended for a reason of its own;
- the sanction is one the work rules list, a restriction of access, dismissal for serious cause
  (with its art. 35 deadlines) or none; the case closes with an outcome once every track ended.

The CLI verbs, the Cases-mode keys and the README's table come from these rows. `take` runs a row:
permission, the case's version (two people acting at once: the second is told), the order of the
steps, the guards, the effect, the new state, the timeline row and the audit row, all in one
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from casebook import audit
from casebook import clock as clocks
from casebook.cases import effects, guards
from casebook.cases.guards import Ctx
from casebook.cases.model import CaseState, PersonState
from casebook.cases.records import load
from casebook.errors import Refused
from casebook.permissions import Action
from casebook.policy import versions

if TYPE_CHECKING:
    from casebook.session import Session

Guard = Callable[[Ctx], Refused | None]
Effect = Callable[[Ctx], dict[str, Any]]

C = CaseState
P = PersonState


@dataclass(frozen=True)
class StepRule:
    verb: str
    person: bool  # a step on one person's track (True) or on the case
    origins: frozenset[str]  # the states it starts from (the case's, or the person's)
    target: str | None  # the state it leads to (None: the effect decides)
    who: Action
    guards: tuple[Guard, ...]
    effect: Effect
    order_rule: str  # the rule a step out of order breaks, and its explanation
    order_key: str
    law: str  # catalogue key: the legal basis, for the README and the refusal's help
    letter: str | None = None  # the letter this step writes, if any
    options: dict[str, Any] = field(default_factory=dict)


def _row(
    verb: str,
    person: bool,
    origins: set[Any],
    target: Any,
    who: Action,
    guards_: tuple[Guard, ...],
    effect: Effect,
    order: tuple[str, str],
    law: str,
    letter: str | None = None,
) -> StepRule:
    return StepRule(
        verb,
        person,
        frozenset(str(o) for o in origins),
        str(target) if target else None,
        who,
        guards_,
        effect,
        order[0],
        order[1],
        law,
        letter,
    )


OPEN_CASE = {C.DECIDED, C.CONTROLLED, C.WARNED, C.APPROVED, C.INDIVIDUALISED, C.CONSULTED}
# How far along a case or a person's track is: a step whose starting states all lie before the present
# one was taken already, and is refused as such rather than with the rule for a step taken too early.
STAGE: dict[str, int] = {
    C.DECIDED: 0,
    C.CONTROLLED: 1,
    C.WARNED: 1,
    C.APPROVED: 2,
    C.INDIVIDUALISED: 3,
    C.CONSULTED: 3,
    P.IDENTIFIED: 0,
    P.NOTIFIED: 1,
    P.INVITED: 2,
    P.HEARD: 3,
    P.SUSPENDED: 3,
    P.SANCTIONED: 4,
}
g = guards

STEPS: tuple[StepRule, ...] = (
    # verb, person?, from, to, who, guards, effect, (rule, refusal when out of order), law, letter
    _row(
        "open",
        False,
        set(),
        C.DECIDED,
        Action.CASE_DECIDE,
        (
            g.policy_ready,
            g.purpose_adopted,
            g.circumstance_announced,
            g.reason_given,
            g.scope_valid,
            g.irregularities_fit,
        ),
        effects.open_case,
        ("case.state", "refused.case_state"),
        "law.open",
    ),
    _row(
        "control",
        False,
        {C.DECIDED, C.CONTROLLED, C.WARNED},
        None,
        Action.CASE_CONTROL,
        (g.is_control, g.policy_ready),
        effects.control,
        ("case.state", "refused.case_state"),
        "law.control",
    ),
    _row(
        "warn",
        False,
        {C.CONTROLLED},
        C.WARNED,
        Action.CASE_DECIDE,
        (g.is_control, g.purpose_four, g.has_findings, g.warning_said),
        effects.warn,
        ("case.control_first", "refused.case_control_first"),
        "law.warn",
        "warning",
    ),
    _row(
        "approve",
        False,
        {C.CONTROLLED},
        C.APPROVED,
        Action.CASE_DECIDE,
        (g.is_control, g.has_findings, g.recurrence_after_warning, g.policy_ready),
        effects.approve,
        ("case.control_first", "refused.case_control_first"),
        "law.approve",
    ),
    _row(
        "individualise",
        False,
        {C.APPROVED},
        C.INDIVIDUALISED,
        Action.CASE_EXECUTE,
        (g.is_control, g.four_eyes, g.policy_ready),
        effects.individualise_case,
        ("case.approval_first", "refused.case_approval_first"),
        "law.individualise",
    ),
    _row(
        "consult",
        False,
        {C.DECIDED},
        C.CONSULTED,
        Action.CASE_DECIDE,
        (g.is_professional,),
        effects.consult,
        ("case.state", "refused.case_state"),
        "law.consult",
    ),
    _row(
        "notify",
        True,
        {P.IDENTIFIED},
        P.NOTIFIED,
        Action.CASE_HEAR,
        (g.person_informed,),
        effects.notify,
        ("case.in_order", "refused.case_notify_order"),
        "law.notify",
        "notification",
    ),
    _row(
        "invite",
        True,
        {P.NOTIFIED},
        P.INVITED,
        Action.CASE_HEAR,
        (g.person_informed, g.invitation_complete),
        effects.invite,
        ("case.in_order", "refused.case_invite_order"),
        "law.invite",
        "invitation",
    ),
    _row(
        "hear",
        True,
        {P.INVITED},
        P.HEARD,
        Action.CASE_HEAR,
        (g.person_informed, g.hearing_held),
        effects.hear,
        ("case.in_order", "refused.case_hear_order"),
        "law.hear",
        "minutes",
    ),
    _row(
        "suspend",
        True,
        {P.IDENTIFIED, P.NOTIFIED, P.INVITED},
        P.SUSPENDED,
        Action.CASE_HEAR,
        (g.person_informed, g.suspension_of_its_own),
        effects.suspend,
        ("case.in_order", "refused.case_suspend_order"),
        "law.suspend",
    ),
    _row(
        "sanction",
        True,
        {P.HEARD, P.SUSPENDED},
        P.SANCTIONED,
        Action.CASE_SANCTION,
        (g.person_informed, g.sanction_allowed, g.protected_acknowledged),
        effects.sanction,
        ("case.hearing_first", "refused.case_hearing_first"),
        "law.sanction",
        "sanction",
    ),
    _row(
        "reasons",
        True,
        {P.SANCTIONED},
        P.SANCTIONED,
        Action.CASE_SANCTION,
        (g.is_dismissal,),
        effects.reasons,
        ("case.reasons", "refused.case_reasons_not_dismissal"),
        "law.reasons",
    ),
    _row(
        "close",
        False,
        OPEN_CASE,
        C.CLOSED,
        Action.CASE_DECIDE,
        (g.outcome_given, g.tracks_ended),
        effects.close,
        ("case.state", "refused.case_state"),
        "law.close",
    ),
)

BY_VERB: dict[str, StepRule] = {step.verb: step for step in STEPS}
# Saving an edited letter is no step of the law, but it changes the case: same checks, same trail.
LETTER_STEP = StepRule(
    "letter",
    False,
    frozenset(str(s) for s in OPEN_CASE),
    None,
    Action.CASE_HEAR,
    (),
    effects.save_letter,
    "case.state",
    "refused.case_state",
    "law.letter",
)


@dataclass(frozen=True)
class Taken:
    """What a step did: the case and its new version, and anything the person acting must be told."""

    case_id: int
    version: int
    state: str
    warnings: list[str]
    late: bool
    detail: dict[str, Any]


def _person(ctx: Ctx, email: str | int | None) -> None:
    """The person on this case the step is about, by e-mail address (or case_people id)."""
    assert ctx.case is not None
    for person in ctx.case.people:
        if person.id == email or person.email == str(email).strip().lower():
            ctx.person = person
            return
    raise Refused("case.person", "refused.case_person", email=str(email), case=ctx.case.id)


def blocked_by(
    session: Session, verb: str, case_id: int | None, person: str | int | None = None, **params: Any
) -> Refused | None:
    """Why `verb` cannot be taken now (the first refusal), or None when nothing blocks it yet.

    The screens ask this to show, for an action not available, the rule that blocks it; the guards
    that need the step's own input (a text, a date) are left out: only what stands now is judged.
    """
    try:
        _take(session, BY_VERB.get(verb, LETTER_STEP), case_id, person, None, params, dry_run=True)
    except Refused as refusal:
        return refusal
    return None


def take(
    session: Session,
    verb: str,
    case_id: int | None = None,
    *,
    person: str | int | None = None,
    expected_version: int | None = None,
    **params: Any,
) -> Taken:
    """Take one step of the procedure; Refused, naming its rule, when the law or the person's role forbids it."""
    step = LETTER_STEP if verb == "letter" else BY_VERB.get(verb)
    if step is None:
        raise ValueError(f"no such step: {verb}")
    return _take(session, step, case_id, person, expected_version, params, dry_run=False)


_INPUT_GUARDS = {
    guards.warning_said,
    guards.invitation_complete,
    guards.hearing_held,
    guards.suspension_of_its_own,
    guards.sanction_allowed,
    guards.outcome_given,
    guards.reason_given,
    guards.scope_valid,
    guards.irregularities_fit,
    guards.purpose_adopted,
    guards.circumstance_announced,
    guards.protected_acknowledged,
}


def _out_of_order(step: StepRule, state: str, case_id: int, *, person: bool) -> Refused:
    """The step's own order rule when it comes too early; `case.step_past` when the case (or person) is past it."""
    from casebook.i18n import t

    if step.origins and all(STAGE.get(state, -1) > STAGE.get(origin, 99) for origin in step.origins):
        name = t(f"case.person_state.{state}" if person else f"case.state.{state}")
        key = "refused.case_person_past" if person else "refused.case_past"
        return Refused("case.step_past", key, state=name, case=case_id)
    return Refused(step.order_rule, step.order_key, state=state, case=case_id)


def _take(
    session: Session,
    step: StepRule,
    case_id: int | None,
    person: str | int | None,
    expected_version: int | None,
    params: dict[str, Any],
    *,
    dry_run: bool,
) -> Taken:
    session.require(step.who)
    book = session.casebook
    store = book.store
    # Asking whether a step could be taken only reads: the screens ask it for every step on a page.
    with store.reading() if dry_run else store.transaction():
        now = session.now()
        case = None
        if step.verb != "open":
            case = load(store, int(case_id or 0), identities=True)
            if case is None:
                raise Refused("case.exists", "refused.case_missing", case=case_id)
        ctx = Ctx(session, book, store, now, session.today(), versions.current(book), case, None, dict(params))
        if case is not None:
            if refusal := guards.not_closed(ctx):
                raise refusal
            if expected_version is not None and expected_version != case.version:
                raise Refused("case.changed", "refused.case_changed", case=case.id, version=case.version)
            if step.person:
                _person(ctx, person)
                assert ctx.person is not None
                if refusal := guards.person_informed(ctx):
                    raise refusal
                if ctx.person.state not in step.origins:
                    raise _out_of_order(step, ctx.person.state, case.id, person=True)
            else:
                if person is not None:  # a letter to one person
                    _person(ctx, person)
                if case.state not in step.origins:
                    raise _out_of_order(step, case.state, case.id, person=False)
        for guard in step.guards:
            if dry_run and guard in _INPUT_GUARDS:
                continue
            if refusal := guard(ctx):
                raise refusal
        if dry_run:
            return Taken(case.id if case else 0, case.version if case else 0, case.state if case else "", [], False, {})
        detail = step.effect(ctx)
        target = str(ctx.params.get("state") or step.target or (case.state if case else ""))
        if step.verb == "open":
            case_id = int(ctx.params["case_id"])
            version = 1
            case_state = target
        else:
            assert case is not None
            case_id = case.id
            version = case.version + 1
            if step.person:
                assert ctx.person is not None
                store.conn.execute("UPDATE case_people SET state = ? WHERE id = ?", (target, ctx.person.id))
                case_state = case.state.value
            else:
                case_state = target
            closing = case_state == CaseState.CLOSED and case.state is not CaseState.CLOSED
            store.conn.execute(
                "UPDATE cases SET state = ?, version = ?, outcome = coalesce(?, outcome), closed_at = ? WHERE id = ?",
                (
                    case_state,
                    version,
                    ctx.params.get("outcome") if closing else None,
                    clocks.to_text(now) if closing else None,
                    case_id,
                ),
            )
            target = case_state if not step.person else target
        store.conn.execute(
            "INSERT INTO case_steps (case_id, case_person_id, verb, at, by, detail, late, case_state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                ctx.person.id if ctx.person else None,
                step.verb,
                clocks.to_text(now),
                session.user.name,
                json.dumps({**detail, "warnings": ctx.warnings} if ctx.warnings else detail, ensure_ascii=False),
                int(ctx.late),
                case_state,
            ),
        )
        trail = dict(detail)
        if ctx.person is not None:
            trail["person"] = audit.reference("employee", ctx.person.employee_id)
        session.audit(f"case.{step.verb}", audit.reference("case", case_id), trail)
    return Taken(case_id, version, target, ctx.warnings, ctx.late, detail)


def readme_table() -> str:
    """The procedure as the README shows it: one row per step, from this table (a test keeps them equal)."""
    from casebook.i18n import t_in
    from casebook.permissions import allowed_roles
    from schema.roles import ROLE_ORDER

    def guard_text(guard: Guard) -> str:
        doc = (guard.__doc__ or guard.__name__).strip().split("\n")[0]
        return doc.rstrip(".")

    lines = [
        "| step | who | from → to | guards (each refuses naming its rule) | law |",
        "| --- | --- | --- | --- | --- |",
    ]
    for step in STEPS:
        who = ", ".join(role.value for role in ROLE_ORDER if role in allowed_roles(step.who))
        origins = ", ".join(sorted(step.origins)) or "–"
        target = step.target or "controlled / warned / closed"
        where = "person: " if step.person else ""
        guards_ = "; ".join(guard_text(g) for g in step.guards) or "–"
        lines.append(f"| `{step.verb}` | {who} | {where}{origins} → {target} | {guards_} | {t_in('en', step.law)} |")
    return "\n".join(lines) + "\n"
