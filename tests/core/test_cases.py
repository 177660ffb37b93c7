"""The case procedure: every guard refuses with its rule, the lawful path goes through, the law's deadlines.

The casebook here lives in November 2026 (the clock moves on by hand): the policy was set and the
receipts signed on Monday 2 November, the logs of the office are imported as the days pass.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from casebook import cases, employees, rules, users
from casebook.book import Casebook, init_casebook
from casebook.cases import deadlines
from casebook.cases.model import CaseState, PersonState
from casebook.clock import LOCAL_ZONE, FixedClock
from casebook.errors import Refused
from casebook.logs import importer, removal
from casebook.policy import receipts, versions
from casebook.session import Session
from schema.roles import Role
from tests.conftest import ADMIN, PASSPHRASE, READY

START = datetime(2026, 11, 2, 8, 0, tzinfo=LOCAL_ZONE)  # Monday
DIRECTORY = """name,email,department,proxy_user,ips
Jan Peeters,jan@dewerf.be,ICT,DEWERF\\jpeeters,
Eva Maes,eva@dewerf.be,Onthaal,ewillems,10.0.0.9@2026-11-01..2026-11-30
Tom Claes,tom@dewerf.be,Magazijn,tclaes,
"""
# user name in the log -> what the directory says of them
LINE = "{ts:.3f} 120 10.0.0.{octet} TCP_MISS/200 2048 GET http://{host}/ {user} HIER_DIRECT/1.2.3.4 text/html"


class World:
    def __init__(self, book: Casebook, clock: FixedClock, tmp_path: Path) -> None:
        self.book, self.clock, self.tmp = book, clock, tmp_path
        self.admin = book.login(ADMIN, PASSPHRASE)
        for name, roles in {
            "sofie": (Role.SUPERVISOR,),
            "greet": (Role.SUPERVISOR,),
            "ilse": (Role.IT_OFFICER,),
            "mixed": (Role.SUPERVISOR, Role.IT_OFFICER),
            "eva": (Role.EMPLOYEE,),
        }.items():
            users.add_user(self.admin, name, roles, PASSPHRASE)
        self.logs = 0

    def session(self, name: str) -> Session:
        return self.book.login(name, PASSPHRASE)

    def at(self, day: int, hour: int, minute: int = 0) -> float:
        return (START + timedelta(days=day, hours=hour - 8, minutes=minute)).timestamp()

    def visits(self, rows: list[tuple[float, str, str]]) -> None:
        """(time, log user, host) lines imported by the IT officer."""
        self.logs += 1
        path = self.tmp / f"access{self.logs}.log"
        octets = {"DEWERF\\jpeeters": 5, "ewillems": 9, "tclaes": 7, "-": 9}
        path.write_text(
            "\n".join(LINE.format(ts=ts, octet=octets.get(user, 3), host=host, user=user) for ts, user, host in rows)
            + "\n"
        )
        latest = datetime.fromtimestamp(max(ts for ts, _, _ in rows), LOCAL_ZONE) + timedelta(minutes=30)
        if latest > self.clock.now():
            self.clock.advance(latest - self.clock.now())  # the logs are read after they were written
        result = importer.import_file(self.session("ilse"), path)
        assert result.imported == len(rows), result.reasons

    def to(self, day: int, hour: int = 18) -> None:
        target = START + timedelta(days=day, hours=hour - 8)
        assert target >= self.clock.now(), "time moves forward only"
        self.clock.advance(target - self.clock.now())


@pytest.fixture
def world(tmp_path: Path) -> World:
    clock = FixedClock(START)
    book = init_casebook(tmp_path / "casebook", ADMIN, PASSPHRASE, clock=clock)
    w = World(book, clock, tmp_path)
    versions.update_settings(
        w.admin,
        {
            **READY,
            "purposes": "1,3,4",
            "blocked_sites": "unibet.be",
            "control_mode": "periodic,event",
            "test_period_max_days": "14",
            "sanctions": "schriftelijke verwittiging, blaam",
        },
    )
    report = employees.import_csv(w.admin, DIRECTORY)
    assert report.saved, report.errors
    for email in ("jan@dewerf.be", "eva@dewerf.be"):  # Tom never signed for the policy
        receipts.record(w.admin, email, received_on=START.date())
    yield w
    book.close()


def refused(rule: str, call, *args, **kwargs) -> Refused:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as refusal:
        call(*args, **kwargs)
    assert refusal.value.rule == rule, refusal.value.message
    return refusal.value


def event_case(w: World, purpose: int, first: int = 0, last: int = 6) -> int:
    taken = cases.open_case(
        w.session("sofie"),
        purpose,
        cases.Circumstance.EVENT,
        (START + timedelta(days=first)).date(),
        (START + timedelta(days=last)).date(),
        "klacht van een collega over ongepaste sites op het netwerk",
    )
    return taken.case_id


# -- when a control may run at all -----------------------------------------------------------------------------


def test_no_decision_while_the_policy_is_not_ready(world: World) -> None:
    versions.update_settings(world.admin, {"storage_location": ""})
    refused("control.policy_ready", event_case, world, 1)


def test_only_an_adopted_purpose(world: World) -> None:
    refused("case.purpose_adopted", event_case, world, 2)


def test_only_in_the_mode_the_policy_announced(world: World) -> None:
    sofie = world.session("sofie")
    day = START.date()
    refused(
        "case.circumstance",
        cases.open_case,
        sofie,
        1,
        cases.Circumstance.PERMANENT,
        day,
        day,
        "permanente opvolging van het netwerk",
    )
    # A periodic control lasts no longer than the policy's test period (14 days).
    refused(
        "case.circumstance",
        cases.open_case,
        sofie,
        1,
        cases.Circumstance.PERIODIC,
        day,
        day + timedelta(days=14),
        "testperiode van vijftien dagen",
    )
    assert (
        cases.open_case(
            sofie, 1, cases.Circumstance.PERIODIC, day, day + timedelta(days=13), "testperiode van veertien dagen"
        ).state
        == "decided"
    )
    # Outside permanent control, the rules run only inside a case's scope.
    refused("control.mode", rules.run, world.session("ilse"))


def test_an_event_names_its_complaint_and_the_scope_starts_in_force(world: World) -> None:
    sofie = world.session("sofie")
    day = START.date()
    refused("case.reason", cases.open_case, sofie, 1, cases.Circumstance.EVENT, day, day, "klacht")
    refused(
        "case.scope",
        cases.open_case,
        sofie,
        1,
        cases.Circumstance.EVENT,
        date(2026, 2, 1),
        day,
        "klacht over sites van voor de inwerkingtreding",
    )
    refused(
        "case.scope",
        cases.open_case,
        sofie,
        1,
        cases.Circumstance.EVENT,
        day,
        day - timedelta(days=1),
        "klacht met een omgekeerde periode",
    )


def test_each_step_belongs_to_its_role(world: World) -> None:
    day = START.date()
    for name in ("ilse", "eva"):
        refused(
            "role.required",
            cases.open_case,
            world.session(name),
            1,
            cases.Circumstance.EVENT,
            day,
            day,
            "klacht van een collega over sites",
        )
    case_id = event_case(world, 1)
    refused("role.required", cases.control, world.session("sofie"), case_id)
    refused("role.required", cases.approve, world.session("ilse"), case_id)


# -- purposes 1-3: control, approval, four eyes, individualisation ----------------------------------------


def test_purpose_one_from_decision_to_sanction(world: World) -> None:
    world.visits([(world.at(1, 10), "DEWERF\\jpeeters", "www.pornhub.com")])
    world.to(2)
    case_id = event_case(world, 1)
    ilse, sofie = world.session("ilse"), world.session("sofie")
    refused("case.control_first", cases.approve, sofie, case_id)
    assert cases.control(ilse, case_id).state == "controlled"
    case = cases.show(sofie, case_id)
    assert [f.rule for f in case.findings] == ["offensive_sites"] and case.people == []
    cases.approve(sofie, case_id)
    taken = cases.individualise(ilse, case_id)
    assert taken.state == "individualised" and taken.detail["events"] == 1 and taken.detail["unresolved"] == 0
    # The IT officer who executed sees who; a supervisor who took no step on the case does not.
    assert [p.email for p in cases.show(ilse, case_id).people] == ["jan@dewerf.be"]
    assert cases.show(world.session("greet"), case_id).people == []
    assert cases.show(world.session("greet"), case_id).people_count == 1
    refused("case.hearing_first", cases.sanction, sofie, case_id, "jan@dewerf.be", cases.SanctionKind.NONE)
    refused(
        "case.in_order",
        cases.invite,
        sofie,
        case_id,
        "jan@dewerf.be",
        datetime(2026, 11, 10, 9, tzinfo=LOCAL_ZONE),
        "vergaderzaal 1",
    )
    cases.notify(sofie, case_id, "jan@dewerf.be")
    refused(
        "case.invitation",
        cases.invite,
        sofie,
        case_id,
        "jan@dewerf.be",
        datetime(2026, 11, 3, 9, tzinfo=LOCAL_ZONE),
        "vergaderzaal 1",
    )  # already past
    cases.invite(sofie, case_id, "jan@dewerf.be", datetime(2026, 11, 6, 14, tzinfo=LOCAL_ZONE), "vergaderzaal 1")
    refused("case.hearing_first", cases.hear, sofie, case_id, "jan@dewerf.be", "uitleg van de werknemer")
    world.to(4, 15)
    cases.hear(sofie, case_id, "jan@dewerf.be", "Jan zegt dat een advertentie de site opende.")
    refused(
        "case.sanction_kind",
        cases.sanction,
        sofie,
        case_id,
        "jan@dewerf.be",
        cases.SanctionKind.WORK_RULES,
        detail="een boete van 500 euro",
    )
    cases.sanction(sofie, case_id, "jan@dewerf.be", cases.SanctionKind.WORK_RULES, detail="schriftelijke verwittiging")
    assert [(r.name, r.kind) for r in cases.sanctions_register(sofie)] == [("Jan Peeters", "work_rules")]
    cases.close(sofie, case_id, "schriftelijke verwittiging gegeven")
    refused("case.closed", cases.close, sofie, case_id, "nog eens")
    letter = cases.letter(sofie, case_id, cases.LetterKind.INVITATION, email="jan@dewerf.be")
    assert "vakbondsafgevaardigde" in letter and "Jan Peeters" in letter and "vergaderzaal 1" in letter


def test_who_was_shown_the_people_of_a_case_is_audited_once_per_sign_in(world: World) -> None:
    world.visits([(world.at(1, 10), "DEWERF\\jpeeters", "www.pornhub.com")])
    world.to(2)
    case_id = event_case(world, 1)
    ilse, sofie = world.session("ilse"), world.session("sofie")
    cases.control(ilse, case_id)
    cases.approve(sofie, case_id)
    cases.individualise(ilse, case_id)

    def viewed() -> list[tuple[str, str]]:
        rows = world.book.store.query("SELECT actor, detail FROM audit WHERE action = 'case.viewed' ORDER BY id")
        return [(str(r["actor"]), str(r["detail"])) for r in rows]

    # The case's page reloads after every step: the same sign-in shown the same people is one row.
    for _ in range(3):
        assert [p.email for p in cases.show(ilse, case_id).people] == ["jan@dewerf.be"]
    assert len(viewed()) == 1 and viewed()[0][0] == "ilse" and "employee:" in viewed()[0][1]
    assert "jan" not in viewed()[0][1]  # by reference, never by name or address
    # Another sign-in of the same person is another row; a session for a worker's connection is the same one.
    cases.show(world.session("ilse"), case_id)
    cases.show(ilse.on(world.book), case_id)
    assert len(viewed()) == 2
    # Whoever may not see identities leaves no such row.
    cases.show(world.session("greet"), case_id)
    assert len(viewed()) == 2


def test_four_eyes_also_for_one_person_with_both_roles(world: World) -> None:
    world.visits([(world.at(1, 10), "DEWERF\\jpeeters", "www.pornhub.com")])
    world.to(2)
    case_id = event_case(world, 1)
    mixed = world.session("mixed")
    cases.control(mixed, case_id)
    cases.approve(mixed, case_id)
    refused("case.four_eyes", cases.individualise, mixed, case_id)
    assert cases.individualise(world.session("ilse"), case_id).state == "individualised"


def test_nothing_found_closes_the_case(world: World) -> None:
    world.visits([(world.at(1, 10), "DEWERF\\jpeeters", "www.hln.be")])
    world.to(2)
    case_id = event_case(world, 1)
    taken = cases.control(world.session("ilse"), case_id)
    assert taken.state == "closed"
    assert cases.show(world.session("sofie"), case_id).outcome == "nothing_found"


def test_the_control_reads_only_its_scope(world: World) -> None:
    world.visits(
        [(world.at(1, 10), "DEWERF\\jpeeters", "www.pornhub.com"), (world.at(8, 10), "ewillems", "www.pornhub.com")]
    )
    world.to(9)
    case_id = event_case(world, 1, first=0, last=3)
    cases.control(world.session("ilse"), case_id)
    found = cases.show(world.session("sofie"), case_id).findings
    assert [f.day for f in found] == [date(2026, 11, 3)]
    # An irregularity another case found outside this scope cannot be brought into it either.
    other = event_case(world, 1, first=7, last=9)
    cases.control(world.session("ilse"), other)
    day9 = next(i for i in rules.listing(world.session("sofie")) if i.day == date(2026, 11, 10))
    refused(
        "case.irregularity",
        cases.open_case,
        world.session("sofie"),
        1,
        cases.Circumstance.EVENT,
        START.date(),
        START.date() + timedelta(days=3),
        "klacht over sites op het netwerk",
        irregularities=[day9.id],
    )


def test_a_person_without_a_receipt_is_not_proceeded_against(world: World) -> None:
    world.visits([(world.at(1, 10), "tclaes", "www.pornhub.com")])
    world.to(2)
    case_id = event_case(world, 1)
    cases.control(world.session("ilse"), case_id)
    cases.approve(world.session("sofie"), case_id)
    cases.individualise(world.session("ilse"), case_id)
    person = cases.show(world.session("sofie"), case_id).people[0]
    assert (person.email, person.state) == ("tom@dewerf.be", PersonState.NOT_INFORMED)
    refused("case.not_informed", cases.notify, world.session("sofie"), case_id, "tom@dewerf.be")
    assert cases.close(world.session("sofie"), case_id, "niet geïnformeerd: geen verdere stap").state == "closed"


def test_unmatched_events_stay_unresolved(world: World) -> None:
    world.visits([(world.at(1, 10), "onbekend", "www.pornhub.com"), (world.at(1, 11), "-", "www.pornhub.com")])
    world.to(2)
    case_id = event_case(world, 1)
    cases.control(world.session("ilse"), case_id)
    cases.approve(world.session("sofie"), case_id)
    taken = cases.individualise(world.session("ilse"), case_id)
    # The second line has no user: its client address 10.0.0.9 was Eva's IP in November.
    assert taken.detail["unresolved"] == 1 and taken.detail["events"] == 1
    assert [p.email for p in cases.show(world.session("ilse"), case_id).people] == ["eva@dewerf.be"]


# -- purpose 4: the alarm bell -------------------------------------------------------------------------------


def test_purpose_four_warns_first_and_resolves_only_what_came_after(world: World) -> None:
    world.visits([(world.at(1, 10), "DEWERF\\jpeeters", "www.unibet.be")])
    world.to(2, 9)
    sofie, ilse = world.session("sofie"), world.session("ilse")
    case_id = event_case(world, 4, first=0, last=13)
    cases.control(ilse, case_id)
    refused("case.alarm_bell", cases.approve, sofie, case_id)  # no warning yet
    draft = cases.letter(sofie, case_id, cases.LetterKind.WARNING)
    assert "opnieuw vastgesteld" in draft and "unibet.be" in draft and "Jan" not in draft
    assert cases.warn(sofie, case_id, "e-mail aan alle werknemers en affiche in de refter").state == "warned"
    # The same day: Jan again before the warning went out would be lost; Eva after it.
    world.visits(
        [(world.at(2, 8, 30), "DEWERF\\jpeeters", "www.unibet.be"), (world.at(2, 14), "ewillems", "www.unibet.be")]
    )
    world.to(3)
    assert cases.control(ilse, case_id).state == "controlled"
    found = cases.show(sofie, case_id).findings
    assert {f.stage for f in found} == {"control", "recurrence"}
    cases.approve(sofie, case_id)
    taken = cases.individualise(ilse, case_id)
    # Jan's events (before the warning) are never linked to him; only Eva's recurrence after it.
    assert [p.email for p in cases.show(ilse, case_id).people] == ["eva@dewerf.be"]
    assert taken.detail["events"] == 1


def test_a_control_after_the_warning_without_recurrence_keeps_waiting(world: World) -> None:
    world.visits([(world.at(1, 10), "DEWERF\\jpeeters", "www.unibet.be")])
    world.to(2, 9)
    case_id = event_case(world, 4, first=0, last=13)
    cases.control(world.session("ilse"), case_id)
    cases.warn(world.session("sofie"), case_id, "intranetbericht")
    world.to(5)
    assert cases.control(world.session("ilse"), case_id).state == "warned"
    refused("case.control_first", cases.approve, world.session("sofie"), case_id)


def test_an_event_from_before_the_warning_logged_after_it_is_no_recurrence(world: World) -> None:
    world.visits([(world.at(1, 10), "DEWERF\\jpeeters", "www.unibet.be")])
    world.to(2, 9)
    sofie, ilse = world.session("sofie"), world.session("ilse")
    case_id = event_case(world, 4, first=0, last=13)
    cases.control(ilse, case_id)
    world.to(2, 11)
    cases.warn(sofie, case_id, "intranetbericht")
    # Jan tried again at 10:30 that morning, half an hour before the warning; the log is read after it.
    world.visits([(world.at(2, 10, 30), "DEWERF\\jpeeters", "www.unibet.be")])
    assert cases.control(ilse, case_id).state == "warned"  # the warning's day, but not after the warning
    refused("case.control_first", cases.approve, sofie, case_id)
    # At 15:00 he tries again: that is the recurrence, and only that event is resolved.
    world.visits([(world.at(2, 15), "DEWERF\\jpeeters", "www.unibet.be")])
    assert cases.control(ilse, case_id).state == "controlled"
    cases.approve(sofie, case_id)
    assert cases.individualise(ilse, case_id).detail["events"] == 1


def test_the_warning_is_purpose_fours(world: World) -> None:
    world.visits([(world.at(1, 10), "DEWERF\\jpeeters", "www.pornhub.com")])
    world.to(2)
    case_id = event_case(world, 1)
    cases.control(world.session("ilse"), case_id)
    refused("case.alarm_bell", cases.warn, world.session("sofie"), case_id, "intranetbericht")


# -- after individualisation: suspension, dismissal, deadlines ------------------------------------------------


def individualised(w: World, email_user: str = "DEWERF\\jpeeters") -> int:
    w.visits([(w.at(1, 10), email_user, "www.pornhub.com")])
    w.to(2)
    case_id = event_case(w, 1)
    cases.control(w.session("ilse"), case_id)
    cases.approve(w.session("sofie"), case_id)
    cases.individualise(w.session("ilse"), case_id)
    return case_id


def test_a_suspended_contract_replaces_the_hearing_never_a_precaution(world: World) -> None:
    case_id = individualised(world)
    sofie = world.session("sofie")
    refused("case.suspension", cases.suspend, sofie, case_id, "jan@dewerf.be", "precaution", "bewarend")
    cases.suspend(sofie, case_id, "jan@dewerf.be", cases.SuspensionReason.ILLNESS, "ziek sinds 3 november")
    cases.sanction(sofie, case_id, "jan@dewerf.be", cases.SanctionKind.NONE)
    assert cases.show(sofie, case_id).people[0].state is PersonState.SANCTIONED


def test_dismissal_deadlines_are_computed_and_a_late_step_warned(world: World) -> None:
    case_id = individualised(world)
    sofie = world.session("sofie")
    cases.notify(sofie, case_id, "jan@dewerf.be")
    cases.invite(sofie, case_id, "jan@dewerf.be", datetime(2026, 11, 5, 14, tzinfo=LOCAL_ZONE), "bureau directie")
    world.to(3, 15)
    cases.hear(sofie, case_id, "jan@dewerf.be", "Jan erkent de feiten en heeft geen verklaring.")
    world.to(10)  # Wednesday 11 November is a holiday; the decision was due Monday 9 November
    refused(
        "case.known",
        cases.sanction,
        sofie,
        case_id,
        "jan@dewerf.be",
        cases.SanctionKind.DISMISSAL,
        known=date(2026, 11, 6),
    )
    taken = cases.sanction(sofie, case_id, "jan@dewerf.be", cases.SanctionKind.DISMISSAL)
    assert taken.late and taken.detail["decision_due"] == "2026-11-09"
    assert taken.detail["reasons_due"] == "2026-11-16"  # given Thu 12: Fri 13, Sat 14, (Sunday), Mon 16
    assert any("Te laat" in w for w in taken.warnings)
    due = [d for d in cases.due(sofie) if d.case_id == case_id]
    assert [(d.verb, d.due) for d in due] == [("reasons", date(2026, 11, 16))]
    cases.reasons(sofie, case_id, "jan@dewerf.be", cases.Delivery.REGISTERED_LETTER)
    refused("case.reasons", cases.reasons, sofie, case_id, "jan@dewerf.be", cases.Delivery.BAILIFF)


def test_a_protected_employee_is_warned_before_a_dismissal(world: World, tmp_path: Path) -> None:
    case_id = individualised(world)
    with world.book.store.transaction():
        world.book.store.conn.execute("UPDATE employees SET protected = 1 WHERE email = 'jan@dewerf.be'")
    sofie = world.session("sofie")
    cases.suspend(sofie, case_id, "jan@dewerf.be", cases.SuspensionReason.LEAVE, "zorgverlof tot eind november")
    refused("case.protected", cases.sanction, sofie, case_id, "jan@dewerf.be", cases.SanctionKind.DISMISSAL)
    taken = cases.sanction(sofie, case_id, "jan@dewerf.be", cases.SanctionKind.DISMISSAL, protected_ok=True)
    assert any("19 maart 1991" in w for w in taken.warnings)


def test_a_step_asked_for_after_its_time_is_behind_not_still_to_come(world: World) -> None:
    """Too early, a refusal names the step still to come; too late, it says the step is behind: not 'the
    control must find something first' on an individualised case, not 'the hearing first' for someone heard
    and sanctioned."""
    case_id = individualised(world)
    sofie, ilse = world.session("sofie"), world.session("ilse")
    for refusal in (
        refused("case.step_past", cases.approve, sofie, case_id),
        refused("case.step_past", cases.individualise, ilse, case_id),
        cases.blocked_by(sofie, "warn", case_id),
    ):
        assert refusal is not None and refusal.key == "refused.case_past"
    cases.notify(sofie, case_id, "jan@dewerf.be")
    cases.suspend(sofie, case_id, "jan@dewerf.be", cases.SuspensionReason.ILLNESS, "ziek sinds 3 november")
    at = datetime(2026, 11, 6, 14, tzinfo=LOCAL_ZONE)
    behind = refused("case.step_past", cases.invite, sofie, case_id, "jan@dewerf.be", at, "vergaderzaal 1")
    assert behind.key == "refused.case_person_past"
    cases.sanction(sofie, case_id, "jan@dewerf.be", cases.SanctionKind.NONE)
    for verb in ("hear", "sanction"):
        refusal = cases.blocked_by(sofie, verb, case_id, "jan@dewerf.be")
        assert refusal is not None and refusal.key == "refused.case_person_past", verb
    # Before their time, the step still to come is named, as before.
    early = event_case(world, 1, first=2, last=3)
    refused("case.control_first", cases.approve, sofie, early)
    refused("case.approval_first", cases.individualise, ilse, early)


def test_two_people_on_one_case(world: World) -> None:
    world.visits([(world.at(1, 10), "DEWERF\\jpeeters", "www.pornhub.com")])
    world.to(2)
    case_id = event_case(world, 1)
    cases.control(world.session("ilse"), case_id)
    sofie, greet = world.session("sofie"), world.session("greet")
    seen_by_both = cases.show(sofie, case_id).version
    cases.approve(sofie, case_id, expected_version=seen_by_both)
    refusal = refused("case.changed", cases.close, greet, case_id, "niets aan de hand", expected_version=seen_by_both)
    assert refusal.params["version"] == seen_by_both + 1
    assert cases.show(greet, case_id).state is CaseState.APPROVED  # the winner's step stands


def test_steps_are_in_the_trail_by_reference(world: World) -> None:
    case_id = individualised(world)
    rows = [r for r in world.book.audit_rows(world.admin, limit=1000) if r.action.startswith("case.")]
    assert {r.action for r in rows} >= {"case.open", "case.control", "case.approve", "case.individualise"}
    executed = next(r for r in rows if r.action == "case.individualise")
    assert executed.subject == f"case:{case_id}" and executed.detail["people"][0].startswith("employee:")
    assert "jan@dewerf.be" not in str([r.detail for r in rows])


# -- working days (art. 35, law of 3 July 1978) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("known", "due"),
    [
        (date(2026, 4, 2), date(2026, 4, 7)),  # Good Friday works, Sunday and Easter Monday do not
        (date(2026, 5, 12), date(2026, 5, 16)),  # Ascension Thursday skipped, Saturday counts
        (date(2026, 7, 18), date(2026, 7, 23)),  # Sunday and 21 July skipped
        (date(2026, 11, 9), date(2026, 11, 13)),  # 11 November skipped
        (date(2026, 12, 23), date(2026, 12, 28)),  # Christmas and Sunday skipped
        (date(2026, 12, 29), date(2027, 1, 2)),  # New Year's Day skipped, into the next year
        (date(2027, 5, 13), date(2027, 5, 18)),  # Whit Sunday and Whit Monday 2027 skipped
    ],
)
def test_three_working_days(known: date, due: date) -> None:
    assert deadlines.dismissal_decision_due(known) == due


def test_saturdays_count_and_sundays_do_not() -> None:
    assert deadlines.is_working_day(date(2026, 11, 28))  # a Saturday
    assert not deadlines.is_working_day(date(2026, 11, 29))  # a Sunday
    assert not deadlines.is_working_day(date(2026, 5, 25))  # Whit Monday


def test_the_readme_shows_the_procedure_table() -> None:
    """The README's procedure is the core's table, word for word."""
    from casebook.cases.procedure import readme_table

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    assert readme_table() in readme


def test_a_step_already_taken_is_refused_as_such(world: World) -> None:
    """Sanctioning someone twice is refused for being done, not for a hearing that did take place."""
    sofie, ilse = world.session("sofie"), world.session("ilse")
    case_id = individualised(world)
    cases.notify(sofie, case_id, "jan@dewerf.be")
    refusal = refused("case.step_past", cases.notify, sofie, case_id, "jan@dewerf.be")
    assert "al verder dan deze stap (nu: in kennis gesteld)" in refusal.message
    refused("case.step_past", cases.approve, sofie, case_id)
    refused("case.step_past", cases.individualise, ilse, case_id)
    # Too early is still refused by the order rule of its own.
    refused("case.hearing_first", cases.sanction, sofie, case_id, "jan@dewerf.be", cases.SanctionKind.NONE)


def test_a_warning_is_told_between_the_control_and_now(world: World) -> None:
    world.visits([(world.at(1, 10), "DEWERF\\jpeeters", "www.unibet.be")])
    world.to(2, 9)
    sofie = world.session("sofie")
    case_id = event_case(world, 4, first=0, last=13)
    cases.control(world.session("ilse"), case_id)
    world.to(2, 11)
    now = world.clock.now()
    for told_at in (now + timedelta(hours=1), now - timedelta(hours=3)):
        refusal = refused("case.warning", cases.warn, sofie, case_id, "intranetbericht", told_at=told_at)
        assert "herhalingen tellen vanaf dat ogenblik" in refusal.message
    assert cases.warn(sofie, case_id, "intranetbericht", told_at=now - timedelta(minutes=5)).state == "warned"


def test_a_cases_evidence_outlives_a_rerun_and_refuses_the_imports_removal(world: World) -> None:
    """What a case found stays its evidence: a later run that no longer finds it, or undoing its import, cannot
    take it out of the case's file."""
    # A social network the policy blocks, tried twice that morning (blocked_sites counts from two visits a day).
    versions.update_settings(world.admin, {"blocked_sites": "unibet.be, tiktok.com"})
    world.visits([(world.at(1, 10, m), "DEWERF\\jpeeters", "www.tiktok.com") for m in (0, 30)])
    world.to(2, 9)
    sofie, ilse = world.session("sofie"), world.session("ilse")
    first = event_case(world, 4, first=0, last=3)
    cases.control(ilse, first)
    found = cases.show(sofie, first).findings
    assert [f.rule for f in found] == ["blocked_sites"]
    refusal = refused("imports.evidence", removal.remove, ilse, 1)
    assert f"dossier {first}" in refusal.message
    # The policy no longer blocks the site: a second case's control over the same days finds nothing, and the
    # first case keeps what it found.
    versions.update_settings(world.admin, {"blocked_sites": "bet365.com"})
    second = event_case(world, 4, first=0, last=3)
    assert cases.control(ilse, second).state == "closed"
    assert cases.show(sofie, first).findings == found
