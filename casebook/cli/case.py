"""`casebook case …`: the CAO 81 case procedure from the command line.

Every step is one call of casebook.cases, which checks the role, the order and the law's guards; a
refusal leaves here as exit 3 with the rule's name (casebook/cli/main.py). This module only reads
options and files, and writes what the core answered: text for people, or one JSON object with
plain values for scripts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from casebook import cases, exports
from casebook import clock as clocks
from casebook.cases import letters
from casebook.cases.model import PersonState
from casebook.cli.common import ID, Options, acting, table
from casebook.errors import CasebookError
from casebook.formatting import long_date, number
from casebook.i18n import t, t_in
from casebook.permissions import Action
from casebook.session import Session

_PAGE = 100
_STEP_CHOICE = click.Choice([s.value for s in cases.CaseState])
_LETTER_CHOICE = click.Choice([k.value for k in cases.LetterKind])
# The sanctions that are not one of the work rules' own (those are given by their name as the policy lists them).
_SPECIAL_SANCTIONS = {
    "restriction": cases.SanctionKind.RESTRICTION,
    "dismissal": cases.SanctionKind.DISMISSAL,
    "none": cases.SanctionKind.NONE,
}


# -- reading what was typed ----------------------------------------------------------------------------------


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return clocks.parse_day(text)
    except ValueError:
        raise click.BadParameter(t("cli.bad_date", value=text)) from None


def _moment(text: str | None) -> datetime | None:
    """An ISO date and time as people mean it here: Brussels time unless it says otherwise."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(t("cli.case.bad_moment", value=text)) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=clocks.LOCAL_ZONE)


def _read_text(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        raise CasebookError("cli.file_missing", path=str(path)) from None
    except UnicodeDecodeError:
        raise CasebookError("cli.file_not_utf8", path=str(path)) from None
    except OSError as exc:
        raise CasebookError("cli.file_unreadable", path=str(path), detail=exc.strerror or str(exc)) from None


# -- writing what the core answered ---------------------------------------------------------------------------


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _when(moment: datetime) -> str:
    local = clocks.local(moment)
    return t("cli.case.at_time", date=long_date(local.date()), time=local.strftime("%H:%M"))


def _state(value: str) -> str:
    """A case's state or a person's, in words (the two vocabularies share no value)."""
    if value in {s.value for s in PersonState}:
        return t(f"case.person_state.{value}")
    return t(f"case.state.{value}")


def _verb(verb: str) -> str:
    """A step as something to do ('run the control')."""
    return t(f"cli.case.verb.{verb}")


def _did(verb: str) -> str:
    """A step as something done ('control run'): confirmations and the timeline."""
    return t(f"cli.case.did.{verb}")


def _report(taken: cases.Taken, verb: str, as_json: bool, person: str | None = None) -> int:
    """What one step did: the new state and version, and anything the person acting must be told."""
    if as_json:
        click.echo(
            _dumps(
                {
                    "id": taken.case_id,
                    "verb": verb,
                    "person": person,
                    "step": taken.state,
                    "version": taken.version,
                    "warnings": taken.warnings,
                    "late": taken.late,
                    "detail": taken.detail,
                }
            )
        )
        return 0
    did, state = _did(verb), _state(taken.state)
    params = {"case": taken.case_id, "verb": did, "version": taken.version}
    if did != state:  # "approved; now approved" says nothing twice
        params["state"] = state
    key = ("cli.case.done" if person is None else "cli.case.done_person") + ("" if did != state else "_same")
    click.echo(t(key, **params, **({"person": person} if person else {})))
    for line in _step_details(verb, taken.detail):
        click.echo(line)
    for warning in taken.warnings:
        click.echo(t("cli.case.warning", message=warning), err=True)
    return 0


def _step_details(verb: str, detail: dict[str, Any]) -> Iterator[str]:
    """The one or two facts of a step a person wants to read at once (the rest is in `case show`)."""
    if verb == "control":
        yield t("cli.case.control_found", count=int(detail.get("found", 0)))
    elif verb == "individualise":
        yield t("cli.case.individualised", count=len(detail.get("people", [])))
        if detail.get("not_informed"):
            yield t("cli.case.not_informed", count=len(detail["not_informed"]))
        if detail.get("unresolved"):
            yield t("cli.case.unresolved", count=int(detail["unresolved"]))
    elif verb == "sanction" and detail.get("decision_due"):
        yield t(
            "cli.case.dismissal_due",
            decision=long_date(date.fromisoformat(detail["decision_due"])),
            reasons=long_date(date.fromisoformat(detail["reasons_due"])),
        )


# -- the options every step shares --------------------------------------------------------------------------


def _step_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--version N` (the case's version you saw: a case changed since is refused) and `--json`."""
    command = click.option(
        "--version",
        "expected",
        type=ID,
        help="The case's version you saw; if someone changed the case since, the step is refused (case.changed).",
    )(command)
    return click.option("--json", "as_json", is_flag=True, help="One JSON object: id, step, version, warnings, late.")(
        command
    )


def _letter_file_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--letter-file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="The letter as edited (Dutch, the text sent); default: the draft made from the case.",
    )(command)


@click.group("case")
def case_group() -> None:
    """Cases: a control decided, carried out, individualised and followed up by the rules of CAO 81."""


# -- the decision ---------------------------------------------------------------------------------------------


@case_group.command("open")
@click.option("--purpose", type=click.IntRange(1, 4), required=True, help="The purpose (1-4) the policy adopted.")
@click.option(
    "--circumstance",
    type=click.Choice([c.value for c in cases.Circumstance]),
    required=True,
    help="permanent, periodic (a test period), event (a complaint or suspicion), or professional "
    "(undisputed professional data: the short path of 'case consult').",
)
@click.option("--from", "first", required=True, help="First day of the scope.")
@click.option("--to", "last", required=True, help="Last day of the scope, included.")
@click.option("--reason", required=True, help="Why the control is relevant and necessary; an event: what happened.")
@click.option(
    "--irregularity", "irregularities", type=ID, multiple=True, help="An irregularity already found (repeatable)."
)
@click.option(
    "--source",
    "sources",
    type=click.Choice([s.value for s in cases.Source]),
    multiple=True,
    help="Data looked at: proxy, mail (repeatable; default both).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object: id, step, version, warnings, late.")
@click.pass_obj
def case_open(
    options: Options,
    purpose: int,
    circumstance: str,
    first: str,
    last: str,
    reason: str,
    irregularities: tuple[int, ...],
    sources: tuple[str, ...],
    as_json: bool,
) -> int:
    """Decide on a control (supervisor): purpose, circumstance, period, and why."""
    first_day, last_day = _day(first), _day(last)
    assert first_day is not None and last_day is not None
    chosen = tuple(cases.Source(s) for s in sources) or tuple(cases.Source)
    with acting(options) as session:
        taken = cases.open_case(
            session,
            purpose,
            cases.Circumstance(circumstance),
            first_day,
            last_day,
            reason,
            irregularities=irregularities,
            sources=chosen,
        )
    return _report(taken, "open", as_json)


# -- the steps on the case ----------------------------------------------------------------------------------


@case_group.command("control")
@click.argument("case_id", metavar="ID", type=ID)
@_step_options
@click.pass_obj
def case_control(options: Options, case_id: int, expected: int | None, as_json: bool) -> int:
    """Run the global control over the case's scope (IT officer); nothing found closes the case."""
    with acting(options) as session:
        taken = cases.control(session, case_id, expected_version=expected)
    return _report(taken, "control", as_json)


@case_group.command("warn")
@click.argument("case_id", metavar="ID", type=ID)
@click.option(
    "--text-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The warning as edited (default: the draft, see 'case letter ID warning').",
)
@click.option("--told-how", help="How all employees were told (default: the text was spread to all employees).")
@click.option("--told-at", help="When they were told, e.g. 2026-11-06T14:00 in Brussels time (default: now).")
@_step_options
@click.pass_obj
def case_warn(
    options: Options,
    case_id: int,
    text_file: Path | None,
    told_how: str | None,
    told_at: str | None,
    expected: int | None,
    as_json: bool,
) -> int:
    """Purpose 4: the collective warning to all employees (supervisor); it counts from when they were told."""
    text = _read_text(text_file)
    moment = _moment(told_at)
    # Recorded on the case beside the Dutch letter, so the default is the Dutch sentence whatever --lang says.
    how = told_how if told_how is not None else t_in(letters.SENT_LANGUAGE, "cli.case.told_how_default")
    with acting(options) as session:
        taken = cases.warn(session, case_id, how, text=text, told_at=moment, expected_version=expected)
    return _report(taken, "warn", as_json)


@case_group.command("approve")
@click.argument("case_id", metavar="ID", type=ID)
@_step_options
@click.pass_obj
def case_approve(options: Options, case_id: int, expected: int | None, as_json: bool) -> int:
    """Approve the individualisation (supervisor); someone else carries it out."""
    with acting(options) as session:
        taken = cases.approve(session, case_id, expected_version=expected)
    return _report(taken, "approve", as_json)


@case_group.command("individualise")
@click.argument("case_id", metavar="ID", type=ID)
@_step_options
@click.pass_obj
def case_individualise(options: Options, case_id: int, expected: int | None, as_json: bool) -> int:
    """Resolve the approved findings to people (IT officer, not the approver); audited."""
    with acting(options) as session:
        taken = cases.individualise(session, case_id, expected_version=expected)
    return _report(taken, "individualise", as_json)


@case_group.command("consult")
@click.argument("case_id", metavar="ID", type=ID)
@click.option("--what", required=True, help="What was consulted (undisputed professional data only).")
@_step_options
@click.pass_obj
def case_consult(options: Options, case_id: int, what: str, expected: int | None, as_json: bool) -> int:
    """The short path: record the consultation of undisputed professional data (a 'professional' case)."""
    with acting(options) as session:
        taken = cases.consult(session, case_id, what, expected_version=expected)
    return _report(taken, "consult", as_json)


@case_group.command("close")
@click.argument("case_id", metavar="ID", type=ID)
@click.option("--outcome", required=True, help="With what outcome the case closes; it is read-only after.")
@_step_options
@click.pass_obj
def case_close(options: Options, case_id: int, outcome: str, expected: int | None, as_json: bool) -> int:
    """Close the case with its outcome (supervisor), once every person's track ended."""
    with acting(options) as session:
        taken = cases.close(session, case_id, outcome, expected_version=expected)
    return _report(taken, "close", as_json)


# -- the steps on a person's track ----------------------------------------------------------------------------


@case_group.command("notify")
@click.argument("case_id", metavar="ID", type=ID)
@click.argument("email")
@_letter_file_option
@_step_options
@click.pass_obj
def case_notify(
    options: Options, case_id: int, email: str, letter_file: Path | None, expected: int | None, as_json: bool
) -> int:
    """Notify the employee of the irregularity and any intent to sanction (supervisor)."""
    text = _read_text(letter_file)
    with acting(options) as session:
        taken = cases.notify(session, case_id, email, letter_text=text, expected_version=expected)
    return _report(taken, "notify", as_json, email)


@case_group.command("invite")
@click.argument("case_id", metavar="ID", type=ID)
@click.argument("email")
@click.option("--at", "at", required=True, help="Date and time of the hearing, e.g. 2026-11-06T14:00 (Brussels).")
@click.option("--place", required=True, help="Where the hearing takes place.")
@_letter_file_option
@_step_options
@click.pass_obj
def case_invite(
    options: Options,
    case_id: int,
    email: str,
    at: str,
    place: str,
    letter_file: Path | None,
    expected: int | None,
    as_json: bool,
) -> int:
    """Invite the employee to the hearing: date, place, the right to a union delegate (supervisor)."""
    moment = _moment(at)
    assert moment is not None
    text = _read_text(letter_file)
    with acting(options) as session:
        taken = cases.invite(session, case_id, email, moment, place, letter_text=text, expected_version=expected)
    return _report(taken, "invite", as_json, email)


@case_group.command("hear")
@click.argument("case_id", metavar="ID", type=ID)
@click.argument("email")
@click.option(
    "--minutes-file",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The employee's explanation as said at the hearing.",
)
@click.option("--delegate", default="", help="The union delegate who assisted, if any.")
@_letter_file_option
@_step_options
@click.pass_obj
def case_hear(
    options: Options,
    case_id: int,
    email: str,
    minutes_file: Path,
    delegate: str,
    letter_file: Path | None,
    expected: int | None,
    as_json: bool,
) -> int:
    """Record the hearing's minutes once it took place (supervisor)."""
    minutes = _read_text(minutes_file) or ""
    text = _read_text(letter_file)
    with acting(options) as session:
        taken = cases.hear(
            session, case_id, email, minutes, delegate=delegate, letter_text=text, expected_version=expected
        )
    return _report(taken, "hear", as_json, email)


@case_group.command("suspend")
@click.argument("case_id", metavar="ID", type=ID)
@click.argument("email")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in cases.SuspensionReason]),
    default=cases.SuspensionReason.OTHER.value,
    show_default=True,
    help="Why the contract is suspended: illness, leave, other (described). Never a precaution for this case.",
)
@click.option("--reason", required=True, help="The suspension as recorded (e.g. ill since 3 November).")
@_step_options
@click.pass_obj
def case_suspend(
    options: Options, case_id: int, email: str, kind: str, reason: str, expected: int | None, as_json: bool
) -> int:
    """Record that the contract is suspended for a reason of its own: a written defence replaces the hearing."""
    with acting(options) as session:
        taken = cases.suspend(session, case_id, email, cases.SuspensionReason(kind), reason, expected_version=expected)
    return _report(taken, "suspend", as_json, email)


def _only_with(kind: cases.SanctionKind, wanted: cases.SanctionKind, given: dict[str, object]) -> None:
    for option, value in given.items():
        if value and kind is not wanted:
            raise click.UsageError(t("cli.case.option_only_with", option=option, kind=wanted.value))


@case_group.command("sanction")
@click.argument("case_id", metavar="ID", type=ID)
@click.argument("email")
@click.option(
    "--kind",
    required=True,
    help="A sanction of the work rules as the policy lists it (e.g. 'blaam'), or restriction, dismissal, none.",
)
@click.option("--detail", default="", help="A note on a restriction, a dismissal or no sanction.")
@click.option(
    "--restricts",
    type=click.Choice([r.value for r in cases.Restricts]),
    help="restriction: which access (internet, social_media, mail).",
)
@click.option("--partial", is_flag=True, help="restriction: partial (default: full).")
@click.option("--until", help="restriction: last day (default: without end date).")
@click.option("--known", help="dismissal: day of certain knowledge of the facts (default: the hearing's day).")
@click.option("--known-reason", default="", help="dismissal: why --known differs from the hearing's day.")
@click.option(
    "--protected-ok", is_flag=True, help="dismissal of a protected employee: their own procedure is followed."
)
@_letter_file_option
@_step_options
@click.pass_obj
def case_sanction(
    options: Options,
    case_id: int,
    email: str,
    kind: str,
    detail: str,
    restricts: str | None,
    partial: bool,
    until: str | None,
    known: str | None,
    known_reason: str,
    protected_ok: bool,
    letter_file: Path | None,
    expected: int | None,
    as_json: bool,
) -> int:
    """Decide on a sanction after the hearing (supervisor); a dismissal shows its art. 35 deadlines."""
    special = _SPECIAL_SANCTIONS.get(kind.strip().lower())
    chosen = special or cases.SanctionKind.WORK_RULES
    if special is None:
        if detail:
            raise click.UsageError(t("cli.case.detail_is_kind"))
        detail = kind.strip()  # the sanction's own name, checked against the policy's list by the core
    restriction = cases.SanctionKind.RESTRICTION
    _only_with(chosen, restriction, {"--restricts": restricts, "--partial": partial, "--until": until})
    dismissal = cases.SanctionKind.DISMISSAL
    _only_with(chosen, dismissal, {"--known": known, "--known-reason": known_reason, "--protected-ok": protected_ok})
    text = _read_text(letter_file)
    with acting(options) as session:
        taken = cases.sanction(
            session,
            case_id,
            email,
            chosen,
            detail=detail,
            restricts=cases.Restricts(restricts) if restricts else None,
            partial=partial,
            until=_day(until),
            known=_day(known),
            known_reason=known_reason,
            protected_ok=protected_ok,
            letter_text=text,
            expected_version=expected,
        )
    return _report(taken, "sanction", as_json, email)


@case_group.command("reasons")
@click.argument("case_id", metavar="ID", type=ID)
@click.argument("email")
@click.option(
    "--delivery",
    type=click.Choice([d.value for d in cases.Delivery]),
    required=True,
    help="How the written reasons were delivered (art. 35).",
)
@click.option("--on", "on", help="The day they were delivered (default: today).")
@_step_options
@click.pass_obj
def case_reasons(
    options: Options, case_id: int, email: str, delivery: str, on: str | None, expected: int | None, as_json: bool
) -> int:
    """Record the written reasons of a dismissal for serious cause: when and how (art. 35)."""
    with acting(options) as session:
        taken = cases.reasons(session, case_id, email, cases.Delivery(delivery), on=_day(on), expected_version=expected)
    return _report(taken, "reasons", as_json, email)


# -- letters ------------------------------------------------------------------------------------------------


@case_group.command("letter")
@click.argument("case_id", metavar="ID", type=ID)
@click.argument("kind", type=_LETTER_CHOICE)
@click.option("--person", "email", help="The employee the letter is addressed to (all but the warning).")
@click.option(
    "--lang",
    "language",
    type=click.Choice(letters.LANGUAGES),
    default=letters.SENT_LANGUAGE,
    show_default=True,
    help="nl: the letter sent (latest saved version, else the draft); en: a translation for staff.",
)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="File to write; '-' or none: stdout.")
@click.option("--force", is_flag=True, help="Write over an existing --out file.")
@click.option(
    "--save-from",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Save this edited Dutch letter on the case as its next version instead of printing.",
)
@_step_options
@click.pass_obj
def case_letter(
    options: Options,
    case_id: int,
    kind: str,
    email: str | None,
    language: str,
    out: Path | None,
    force: bool,
    save_from: Path | None,
    expected: int | None,
    as_json: bool,
) -> int:
    """Print or write a letter of the case, or save an edited one (--save-from)."""
    letter_kind = cases.LetterKind(kind)
    if save_from is not None:
        if language != letters.SENT_LANGUAGE or out is not None:
            raise click.UsageError(t("cli.case.save_only_dutch"))
        text = _read_text(save_from) or ""
        with acting(options) as session:
            taken = cases.save_letter(session, case_id, letter_kind, text, email=email, expected_version=expected)
        return _report(taken, "letter", as_json, email)
    if expected is not None:
        raise click.UsageError(t("cli.case.version_only_to_save"))
    with acting(options) as session:
        text = cases.letter(session, case_id, letter_kind, email=email, language=language)
        written = exports.write_export(session, Action.CASE_VIEW, out, text, force=force) if out is not None else None
    if as_json:
        data: dict[str, Any] = {
            "id": case_id,
            "kind": letter_kind.value,
            "person": email,
            "language": language,
            "translation": language != letters.SENT_LANGUAGE,
        }
        data.update({"out": str(written)} if written else {"text": text})
        click.echo(_dumps(data))
    elif written is not None:
        click.echo(t("cli.case.letter_written", path=str(written)))
    else:
        click.echo(text, nl=not text.endswith("\n"))
    return 0


# -- reading cases --------------------------------------------------------------------------------------------


def _all_lines(session: Session, state: str | None, purpose: int | None, only_due: bool) -> list[cases.CaseLine]:
    lines: list[cases.CaseLine] = []
    while True:
        page = cases.listing(
            session,
            state=cases.CaseState(state) if state else None,
            purpose=purpose,
            only_due=only_due,
            limit=_PAGE,
            offset=len(lines),
        )
        lines += page
        if len(page) < _PAGE:
            return lines


def _due_text(due: date | None, overdue: bool) -> str:
    if due is None:
        return "-"
    return t("cli.case.overdue_on", date=long_date(due)) if overdue else long_date(due)


def _sort_due(items: list[cases.DueItem]) -> list[cases.DueItem]:
    return sorted(items, key=lambda i: (i.due is None, i.due or date.max, -i.case_id))


@case_group.command("list")
@click.option("--step", type=_STEP_CHOICE, help="Only cases in this step.")
@click.option("--purpose", type=click.IntRange(1, 4), help="Only cases of this purpose.")
@click.option("--due", "only_due", is_flag=True, help="Only cases with something waiting, and what waits.")
@click.option("--sanctions", is_flag=True, help="The register of sanctions imposed (law of 8 April 1965).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per case (or per register line).")
@click.pass_obj
def case_list(
    options: Options, step: str | None, purpose: int | None, only_due: bool, sanctions: bool, as_json: bool
) -> int:
    """List the cases, newest first, with what is due on them."""
    if sanctions and (only_due or step or purpose):
        raise click.UsageError(t("cli.case.register_alone"))
    with acting(options) as session:
        if sanctions:
            return _print_register(cases.sanctions_register(session), as_json)
        lines = _all_lines(session, step, purpose, only_due)
        waiting: dict[int, list[cases.DueItem]] = {}
        for item in cases.due(session):
            waiting.setdefault(item.case_id, []).append(item)
    if as_json:
        for line in lines:
            data = {
                "id": line.id,
                "purpose": line.purpose,
                "circumstance": line.circumstance.value,
                "step": line.state.value,
                "from": line.period_from.isoformat(),
                "to": line.period_to.isoformat(),
                "opened_at": clocks.to_text(line.opened_at),
                "findings": line.findings,
                "people": line.people,
                "due": line.due.isoformat() if line.due else None,
                "overdue": line.overdue,
            }
            if only_due:
                data["waiting"] = [
                    {
                        "step": i.verb,
                        "person": i.case_person_id,
                        "due": i.due.isoformat() if i.due else None,
                        "overdue": i.overdue,
                    }
                    for i in _sort_due(waiting.get(line.id, []))
                ]
            click.echo(_dumps(data))
        return 0
    if not lines:
        click.echo(t("cli.case.none_due" if only_due else "cli.case.none"))
        return 0
    rows = [
        [
            str(line.id),
            str(line.purpose),
            t(f"case.circumstance.{line.circumstance.value}"),
            _state(line.state.value),
            t("cli.case.period", first=long_date(line.period_from), last=long_date(line.period_to)),
            number(line.findings),
            number(line.people),
            _due_text(line.due, line.overdue),
        ]
        for line in lines
    ]
    click.echo(
        table(
            [
                t("cli.case.col.id"),
                t("cli.case.col.purpose"),
                t("cli.case.col.circumstance"),
                t("cli.case.col.step"),
                t("cli.case.col.period"),
                t("cli.case.col.findings"),
                t("cli.case.col.people"),
                t("cli.case.col.due"),
            ],
            rows,
        )
    )
    if only_due:
        click.echo()
        click.echo(t("cli.case.waiting"))
        click.echo(_due_table([i for line in lines for i in waiting.get(line.id, [])]))
    return 0


def _due_table(items: list[cases.DueItem]) -> str:
    """What waits, one row per case and step: people are counted, never named in a list of cases."""
    grouped: dict[tuple[int, str], list[cases.DueItem]] = {}
    for item in _sort_due(items):
        grouped.setdefault((item.case_id, item.verb), []).append(item)
    rows = []
    for (case_id, verb), group in grouped.items():
        people = [i for i in group if i.case_person_id is not None]
        dated = [i.due for i in group if i.due is not None]
        rows.append(
            [
                str(case_id),
                _verb(verb),
                number(len(people)) if people else "-",
                long_date(min(dated)) if dated else "-",
                t("cli.case.overdue") if any(i.overdue for i in group) else "",
            ]
        )
    return table(
        [
            t("cli.case.col.id"),
            t("cli.case.col.step_due"),
            t("cli.case.col.people"),
            t("cli.case.col.date"),
            t("cli.case.col.overdue"),
        ],
        rows,
    )


def _print_register(register: list[cases.RegisterLine], as_json: bool) -> int:
    if as_json:
        for line in register:
            click.echo(
                _dumps(
                    {
                        "case": line.case_id,
                        "employee": line.employee_id,
                        "name": line.name,
                        "kind": line.kind,
                        "detail": line.detail,
                        "decided_on": line.decided_on.isoformat(),
                    }
                )
            )
        return 0
    if not register:
        click.echo(t("cli.case.register_empty"))
        return 0
    click.echo(t("cli.case.register_title"))
    rows = [
        [
            long_date(line.decided_on),
            str(line.case_id),
            line.name,
            t(f"cli.case.sanction.{line.kind}"),
            line.detail or "-",
        ]
        for line in register
    ]
    click.echo(
        table(
            [
                t("cli.case.col.date"),
                t("cli.case.col.id"),
                t("cli.case.col.employee"),
                t("cli.case.col.sanction"),
                t("cli.case.col.detail"),
            ],
            rows,
        )
    )
    return 0


# -- one case -------------------------------------------------------------------------------------------------


def _next_steps(session: Session, case: cases.Case) -> list[dict[str, Any]]:
    """Each step of the procedure on this case (and on each person the signed-in person may see): whether it
    can be taken now, else the rule that blocks it. The core judges; nothing is decided here."""
    found = []
    for step in cases.STEPS:
        if step.verb == "open":
            continue
        for person in [p.email for p in case.people] if step.person else [None]:
            refusal = cases.blocked_by(session, step.verb, case.id, person)
            found.append(
                {
                    "verb": step.verb,
                    "person": person,
                    "possible": refusal is None,
                    "rule": refusal.rule if refusal else None,
                    "reason": t(refusal.key, **refusal.params) if refusal else None,
                }
            )
    return found


def _command(verb: str, case_id: int, person: str | None) -> str:
    """The command that takes a step, with its required options as placeholders to fill in."""
    needs = {
        "warn": "[--text-file FILE] [--told-how TEXT]",
        "consult": "--what TEXT",
        "close": "--outcome TEXT",
        "invite": "--at DATETIME --place TEXT",
        "hear": "--minutes-file FILE",
        "suspend": "[--kind KIND] --reason TEXT",
        "sanction": "--kind KIND",
        "reasons": "--delivery HOW",
    }
    words = ["casebook case", verb, str(case_id), person or "", needs.get(verb, "")]
    return " ".join(w for w in words if w)


def _show_text(session: Session, case: cases.Case, steps: list[dict[str, Any]]) -> Iterator[str]:
    yield t(
        "cli.case.show_title",
        case=case.id,
        purpose=case.purpose,
        circumstance=t(f"case.circumstance.{case.circumstance.value}"),
        state=_state(case.state.value),
        version=case.version,
    )
    yield t("cli.case.show_decided", by=case.opened_by, at=_when(case.opened_at))
    yield t(
        "cli.case.show_scope",
        period=t("cli.case.period", first=long_date(case.period_from), last=long_date(case.period_to)),
        sources=", ".join(s.value for s in case.sources),
    )
    yield t("cli.case.show_reason", reason=case.reason)
    if case.approved_by:
        yield t("cli.case.show_approved", by=case.approved_by)
    if case.closed:
        outcome = t("cli.case.nothing_found") if case.outcome == "nothing_found" else (case.outcome or "-")
        yield t("cli.case.show_closed", at=_when(case.closed_at) if case.closed_at else "-", outcome=outcome)
    yield ""
    yield t("cli.case.show_findings", count=len(case.findings))
    for finding in case.findings:
        yield t(
            "cli.case.show_finding",
            day=long_date(finding.day),
            stage=t(f"cli.case.stage.{finding.stage}"),
            id=finding.irregularity_id,
            summary=finding.summary,
        )
    if case.warning is not None:
        yield ""
        yield t(
            "cli.case.show_warning",
            at=_when(case.warning.told_at),
            how=case.warning.told_how,
            rules=", ".join(case.warning.rules),
            by=case.warning.issued_by,
        )
    yield ""
    yield from _people_text(session, case)
    yield ""
    yield t("cli.case.show_timeline")
    names = {p.id: p.email for p in case.people}
    rows = [
        [
            _when(step.at),
            step.by,
            _did(step.verb),
            names.get(step.person, t("cli.case.a_person")) if step.person else "",
            t("cli.case.late") if step.late else "",
        ]
        for step in case.timeline
    ]
    yield table(
        [
            t("cli.case.col.at"),
            t("cli.case.col.by"),
            t("cli.case.col.step"),
            t("cli.case.col.person"),
            t("cli.case.col.note"),
        ],
        rows,
    )
    yield ""
    if case.closed:
        yield t("cli.case.read_only")
        return
    possible = [s for s in steps if s["possible"]]
    yield t("cli.case.show_may", name=session.user.name)
    for s in possible:
        yield t("cli.case.show_may_line", verb=_verb(s["verb"]), command=_command(s["verb"], case.id, s["person"]))
    if not possible:
        yield t("cli.case.show_may_none")
    # Steps one rule blocks for the same reason share a line: a person without a receipt is one line, not six.
    blocked: dict[tuple[str | None, str, str], list[str]] = {}
    for s in steps:
        if not s["possible"]:
            blocked.setdefault((s["person"], s["rule"], s["reason"]), []).append(_verb(s["verb"]))
    if blocked:
        yield t("cli.case.show_blocked")
    for (person, rule, reason), verbs in blocked.items():
        yield t(
            "cli.case.show_blocked_line",
            verb=", ".join(verbs) + (f" ({person})" if person else ""),
            rule=t(f"rule.{rule}"),
            reason=reason,
        )


def _people_text(session: Session, case: cases.Case) -> Iterator[str]:
    if case.people_count and not case.people:
        yield t("cli.case.people_hidden", count=case.people_count)
    elif not case.people:
        yield t("cli.case.people_none")
    else:
        yield t("cli.case.show_people", count=len(case.people))
    waiting = {i.case_person_id: i for i in cases.due(session) if i.case_id == case.id and i.case_person_id}
    for person in case.people:
        yield t(
            "cli.case.person_line",
            name=person.name,
            email=person.email,
            department=person.department or "-",
            state=_state(person.state.value),
        )
        yield t("cli.case.person_facts", at=_when(person.first_fact), count=person.events)
        if person.protected:
            yield t("cli.case.person_protected")
        if person.hearing_at is not None:
            yield t("cli.case.person_hearing", at=_when(person.hearing_at), place=person.hearing_place or "-")
        if person.suspension:
            yield t("cli.case.person_suspension", reason=person.suspension)
        sanction = person.sanction
        if sanction is not None:
            what = t(f"cli.case.sanction.{sanction.kind}") + (f": {sanction.detail}" if sanction.detail else "")
            if sanction.restricts:
                what += t(
                    "cli.case.restriction",
                    what=t(f"letter.restricts.{sanction.restricts}"),
                    extent=t("cli.case.partial" if sanction.partial else "cli.case.full"),
                    until=t("letter.restriction.until", date=long_date(sanction.until))
                    if sanction.until
                    else t("letter.restriction.permanent"),
                )
            yield t("cli.case.person_sanction", what=what, on=long_date(sanction.decided_on))
            if sanction.decision_due is not None:
                yield t("cli.case.person_decision_due", date=long_date(sanction.decision_due))
            if sanction.reasons_on is not None:
                yield t(
                    "cli.case.person_reasons_given",
                    date=long_date(sanction.reasons_on),
                    how=t(f"cli.case.delivery.{sanction.reasons_by}"),
                )
            elif sanction.reasons_due is not None:
                yield t("cli.case.person_reasons_due", date=long_date(sanction.reasons_due))
        item = waiting.get(person.id)
        if item is not None:
            yield t(
                "cli.case.person_waits",
                verb=_verb(item.verb),
                due=_due_text(item.due, item.overdue) if item.due else t("cli.case.no_date"),
            )
    if case.unresolved:
        yield t("cli.case.unresolved", count=case.unresolved)


@case_group.command("show")
@click.argument("case_id", metavar="ID", type=ID)
@click.option("--json", "as_json", is_flag=True, help="One JSON object: id, purpose, step, version, people, ...")
@click.pass_obj
def case_show(options: Options, case_id: int, as_json: bool) -> int:
    """One case: the decision, findings, warning, people (for its participants), timeline, and what may be done."""
    with acting(options) as session:
        case = cases.show(session, case_id)
        steps = [] if case.closed else _next_steps(session, case)
        if as_json:
            click.echo(_dumps({**cases.json_of(case), "next_steps": steps}))
            return 0
        for line in _show_text(session, case, steps):
            click.echo(line)
    return 0
