"""`casebook case …`: every step from the command line, its JSON, and exit 3 naming the rule that refused.

The office here lives in November 2026; the clock (CASEBOOK_NOW) moves forward by hand. The policy was
set and Jan and Eva signed for it on Monday 2 November; Tom never did. The proxy's logs are written as
Squid lines and imported by the IT officer as the days pass.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from casebook import i18n
from casebook.clock import LOCAL_ZONE
from tests.cli_support import CasebookCli, Outcome
from tests.conftest import ADMIN

POLICY = {
    "organisation_name": "vzw De Werf",
    "date_in_force": "2026-11-02",
    "bodies_present": "works_council",
    "consultation_body": "works_council",
    "consultation_date": "2026-10-20",
    "evaluation_body": "ondernemingsraad",
    "purposes": "1,4",
    "control_mode": "event",
    "control_means": "proxylogs op de server",
    "retention_days": "90",
    "storage_location": "de centrale server",
    "mail_domains": "dewerf.be",
    "blocked_sites": "unibet.be",
    "sanctions": "schriftelijke verwittiging, blaam",
}
DIRECTORY = """name,email,department,proxy_user
Jan Peeters,jan@dewerf.be,Logistiek,jpeeters
Eva Maes,eva@dewerf.be,Onthaal,emaes
Tom Claes,tom@dewerf.be,Magazijn,tclaes
"""
LINE = "{ts:.3f} 120 10.20.0.{octet} TCP_MISS/200 2048 GET http://{host}/ {user} HIER_DIRECT/192.0.2.10 text/html\n"
OCTETS = {"jpeeters": 5, "emaes": 9, "tclaes": 7}
STEP_KEYS = {"id", "step", "version", "warnings", "late"}
MINUTES = "Jan zegt dat een advertentie de site opende en dat hij ze meteen sloot.\n"


def moment(text: str) -> datetime:
    """A Brussels time as the office reads it on the clock."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_ZONE)


def refused_by(outcome: Outcome, rule: str) -> None:
    """Exit 3, and the message names the rule (in the language of the command)."""
    assert outcome.code == 3, (outcome.code, outcome.out, outcome.err)
    name = i18n.t(f"rule.{rule}")
    assert f"'{name}'" in outcome.err, outcome.err


class Office:
    """The casebook of one test: the people, the policy, the directory; commands run at a moment."""

    def __init__(self, cli: CasebookCli, tmp_path: Path) -> None:
        self.cli = cli
        self.tmp = tmp_path
        self.logs = 0

    def at(self, when: str) -> None:
        self.cli.env(CASEBOOK_NOW=moment(when).isoformat())

    def run(self, user: str, *args: str) -> Outcome:
        return self.cli.as_user(user, *args)

    def ok(self, user: str, *args: str) -> Outcome:
        outcome = self.run(user, *args)
        assert outcome.code == 0, (args, outcome.err)
        return outcome

    def step(self, user: str, *args: str) -> dict[str, object]:
        """A step with --json: its one object, which holds at least the agreed keys."""
        (data,) = self.ok(user, *args, "--json").json_lines()
        assert STEP_KEYS <= set(data), data
        return data

    def show(self, user: str, case_id: int) -> dict[str, object]:
        (data,) = self.ok(user, "case", "show", str(case_id), "--json").json_lines()
        return data

    def file(self, name: str, text: str) -> str:
        path = self.tmp / name
        path.write_text(text, "utf-8")
        return str(path)

    def visits(self, *rows: tuple[str, str, str]) -> None:
        """(Brussels time, proxy user, host) lines, imported by the IT officer once they are in the past."""
        self.logs += 1
        text = "".join(
            LINE.format(ts=moment(when).timestamp(), octet=OCTETS[user], host=host, user=user)
            for when, user, host in rows
        )
        outcome = self.ok("ilse", "import", "--json", self.file(f"access{self.logs}.log", text))
        assert outcome.json_lines()[0]["imported"] == len(rows)


PEOPLE = {
    "ilse": ("it_officer",),
    "eva": ("employee",),
    "sofie": ("supervisor",),
    "greet": ("supervisor",),
    "mixed": ("supervisor", "it_officer"),
}


@pytest.fixture
def office(cli: CasebookCli, tmp_path: Path) -> Office:
    """Ready for a control: the policy (purposes 1 and 4, on an event), the directory, Jan's and Eva's receipts."""
    o = Office(cli, tmp_path)
    o.at("2026-11-02T08:00")
    cli.init()
    for name, roles in PEOPLE.items():
        cli.add_user(name, *roles)
    o.ok(ADMIN, "policy", "set", *(f"{k}={v}" for k, v in POLICY.items()))
    o.ok(ADMIN, "employees", "import", o.file("staff.csv", DIRECTORY))
    for email in ("jan@dewerf.be", "eva@dewerf.be"):
        o.ok(ADMIN, "receipts", "record", email, "--date", "2026-11-02")
    return o


def open_event_case(o: Office, purpose: int, last: str = "2026-11-13", user: str = "sofie") -> int:
    data = o.step(
        user,
        "case",
        "open",
        "--purpose",
        str(purpose),
        "--circumstance",
        "event",
        "--from",
        "2026-11-02",
        "--to",
        last,
        "--reason",
        "klacht van een collega over ongepaste sites op het netwerk",
    )
    return int(data["id"])  # type: ignore[arg-type]


def individualised(o: Office, user: str = "jpeeters") -> int:
    """A purpose-1 case on Wednesday 4 November: found, approved and individualised."""
    o.at("2026-11-04T08:30")
    o.visits(("2026-11-03T10:15", user, "www.pornhub.com"))
    o.at("2026-11-04T09:00")
    case_id = open_event_case(o, 1, last="2026-11-04")
    o.step("ilse", "case", "control", str(case_id))
    o.step("sofie", "case", "approve", str(case_id))
    o.step("ilse", "case", "individualise", str(case_id))
    return case_id


def heard(o: Office) -> int:
    """Jan notified, invited for Friday 14:00, and heard then."""
    case_id = individualised(o)
    o.step("sofie", "case", "notify", str(case_id), "jan@dewerf.be")
    o.step("sofie", "case", "invite", str(case_id), "jan@dewerf.be", "--at", "2026-11-06T14:00", "--place", "zaal 1")
    o.at("2026-11-06T15:00")
    minutes = o.file("minutes.txt", MINUTES)
    o.step("sofie", "case", "hear", str(case_id), "jan@dewerf.be", "--minutes-file", minutes)
    return case_id


def warned(o: Office) -> int:
    """A purpose-4 case: Eva on the blocked site on Tuesday; controlled and warned on Wednesday 11:00."""
    o.at("2026-11-04T08:30")
    o.visits(("2026-11-03T11:00", "emaes", "www.unibet.be"))
    o.at("2026-11-04T10:00")
    case_id = open_event_case(o, 4)
    o.step("ilse", "case", "control", str(case_id))
    o.at("2026-11-04T11:00")
    o.step("sofie", "case", "warn", str(case_id))
    return case_id


# -- the lawful path -------------------------------------------------------------------------------------


def test_purpose_one_from_decision_to_close(office: Office) -> None:
    o = office
    o.at("2026-11-04T08:30")
    o.visits(("2026-11-03T10:15", "jpeeters", "www.pornhub.com"), ("2026-11-03T10:17", "jpeeters", "www.pornhub.com"))
    o.at("2026-11-04T09:00")
    opened = o.step(
        "sofie",
        "case",
        "open",
        "--purpose",
        "1",
        "--circumstance",
        "event",
        "--from",
        "02/11/2026",
        "--to",
        "2026-11-04",
        "--reason",
        "klacht van een collega over een pornografische site op een scherm",
        "--source",
        "proxy",
    )
    assert (opened["step"], opened["version"], opened["warnings"], opened["late"]) == ("decided", 1, [], False)
    case = str(opened["id"])
    assert o.show("sofie", int(case))["people"] == []  # nobody before the individualisation
    controlled = o.step("ilse", "case", "control", case)
    assert (controlled["step"], controlled["version"], controlled["detail"]["found"]) == ("controlled", 2, 1)  # type: ignore[index]
    assert o.step("sofie", "case", "approve", case, "--version", "2")["step"] == "approved"
    executed = o.step("ilse", "case", "individualise", case)
    assert executed["step"] == "individualised" and executed["detail"]["events"] == 2  # type: ignore[index]
    notified = o.step("sofie", "case", "notify", case, "jan@dewerf.be")
    assert (notified["step"], notified["person"]) == ("notified", "jan@dewerf.be")
    invite = ("case", "invite", case, "jan@dewerf.be", "--at", "2026-11-06T14:00", "--place", "vergaderzaal 1")
    assert o.step("sofie", *invite)["step"] == "invited"
    o.at("2026-11-06T15:00")
    minutes = o.file("minutes.txt", MINUTES)
    hear = ("case", "hear", case, "jan@dewerf.be", "--minutes-file", minutes, "--delegate", "Marc Lenaerts")
    assert o.step("sofie", *hear)["step"] == "heard"
    sanctioned = o.step("sofie", "case", "sanction", case, "jan@dewerf.be", "--kind", "schriftelijke verwittiging")
    assert sanctioned["step"] == "sanctioned" and sanctioned["detail"]["kind"] == "work_rules"  # type: ignore[index]
    shown = o.show("sofie", int(case))
    assert {"id", "purpose", "step", "version", "irregularities", "people"} <= set(shown)
    assert (shown["id"], shown["purpose"], shown["step"], shown["version"]) == (int(case), 1, "individualised", 8)
    assert len(shown["irregularities"]) == 1  # type: ignore[arg-type]
    (person,) = shown["people"]  # type: ignore[misc]
    assert {k: person[k] for k in ("email", "name", "step")} == {
        "email": "jan@dewerf.be",
        "name": "Jan Peeters",
        "step": "sanctioned",
    }
    closed = o.step("sofie", "case", "close", case, "--outcome", "schriftelijke verwittiging gegeven")
    assert (closed["step"], closed["version"]) == ("closed", 9)
    minutes_letter = o.ok("sofie", "case", "letter", case, "minutes", "--person", "jan@dewerf.be").out
    assert "advertentie" in minutes_letter and "Marc Lenaerts" in minutes_letter


def test_the_text_says_each_step_and_its_new_state(office: Office) -> None:
    o = office
    o.at("2026-11-04T08:30")
    o.visits(("2026-11-03T10:15", "jpeeters", "www.pornhub.com"))
    o.at("2026-11-04T09:00")
    case = str(open_event_case(o, 1, last="2026-11-04"))
    assert o.ok("ilse", "case", "control", case).out.splitlines() == [
        "Dossier 1: controle uitgevoerd; nu gecontroleerd (versie 2).",
        "De controle vond 1 nieuwe onregelmatigheid.",
    ]
    assert o.ok("sofie", "case", "approve", case).out == "Dossier 1: individualisering goedgekeurd (versie 3).\n"
    assert "1 persoon geïdentificeerd." in o.ok("ilse", "case", "individualise", case).out
    notified = o.ok("sofie", "--lang", "en", "case", "notify", case, "jan@dewerf.be").out
    assert notified == "Case 1, jan@dewerf.be: notified (version 5).\n"


def test_purpose_four_warns_then_individualises_only_after_the_warning(office: Office) -> None:
    o = office
    case_id = warned(o)
    case = str(case_id)
    shown = o.show("sofie", case_id)
    assert shown["step"] == "warned"
    assert shown["warning"]["told_how"] == "De tekst van de verwittiging werd aan alle werknemers verspreid."  # type: ignore[index]
    assert shown["warning"]["told_at"] == "2026-11-04T10:00:00+00:00"  # type: ignore[index]
    o.at("2026-11-06T08:30")
    o.visits(("2026-11-05T10:30", "emaes", "www.unibet.be"), ("2026-11-05T15:20", "tclaes", "www.unibet.be"))
    assert o.step("ilse", "case", "control", case)["step"] == "controlled"
    o.step("sofie", "case", "approve", case)
    executed = o.step("ilse", "case", "individualise", case)
    assert executed["detail"]["events"] == 2  # type: ignore[index]  # Eva's attempt of Tuesday stays unlinked
    people = {p["email"]: p["step"] for p in o.show("sofie", case_id)["people"]}  # type: ignore[union-attr]
    assert people == {"eva@dewerf.be": "identified", "tom@dewerf.be": "not_informed"}


def test_the_warning_text_how_and_when_are_the_supervisors(office: Office) -> None:
    o = office
    o.at("2026-11-04T08:30")
    o.visits(("2026-11-03T11:00", "emaes", "www.unibet.be"))
    o.at("2026-11-04T10:00")
    case = str(open_event_case(o, 4))
    o.step("ilse", "case", "control", case)
    draft = o.ok("sofie", "case", "letter", case, "warning").out
    assert "opnieuw vastgesteld" in draft and "unibet.be" in draft
    text = o.file("warning.md", "Aan alle werknemers: gokken op het werk kan niet; wie opnieuw ... \n")
    o.at("2026-11-04T12:00")
    for too_early_or_late in ("2026-11-04T09:30", "2026-11-04T12:30"):  # before the control, or still to come
        refused_by(
            o.run("sofie", "case", "warn", case, "--text-file", text, "--told-at", too_early_or_late), "case.warning"
        )
    o.step(
        "sofie",
        "case",
        "warn",
        case,
        "--text-file",
        text,
        "--told-how",
        "affiche in de refter",
        "--told-at",
        "2026-11-04T10:30",
    )
    warning = o.show("sofie", int(case))["warning"]
    assert warning == {
        "rules": ["blocked_sites"],
        "told_how": "affiche in de refter",
        "told_at": "2026-11-04T09:30:00+00:00",
    }
    assert o.ok("sofie", "case", "letter", case, "warning").out.startswith("Aan alle werknemers: gokken")


def test_a_suspended_contract_then_no_sanction(office: Office) -> None:
    o = office
    case = str(individualised(o))
    suspended = o.step(
        "sofie", "case", "suspend", case, "jan@dewerf.be", "--kind", "illness", "--reason", "ziek sinds 3 november"
    )
    assert suspended["step"] == "suspended" and suspended["detail"]["written_defence"] is True  # type: ignore[index]
    assert o.step("sofie", "case", "sanction", case, "jan@dewerf.be", "--kind", "none")["step"] == "sanctioned"
    assert "overeenkomst geschorst: illness: ziek sinds 3 november" in o.ok("sofie", "case", "show", case).out
    # No sanction is no line in the register.
    assert o.ok("sofie", "case", "list", "--sanctions").out == "Het register van de sancties is leeg.\n"


def test_a_dismissal_with_its_deadlines_and_its_reasons(office: Office) -> None:
    o = office
    case = str(heard(o))  # heard on Friday 6 November
    o.at("2026-11-07T10:00")
    sanction = ("case", "sanction", case, "jan@dewerf.be", "--kind", "dismissal")
    refused_by(o.run("sofie", *sanction, "--known", "2026-11-05"), "case.known")
    dismissed = o.ok("sofie", *sanction)
    # Known on Friday 6: Saturday 7, (Sunday), Monday 9, Tuesday 10 is the third working day.
    assert "te geven uiterlijk 10 november 2026" in dismissed.out
    # Given on Saturday 7: Monday 9, Tuesday 10, (11 November), Thursday 12.
    assert "ter kennis te brengen uiterlijk 12 november 2026" in dismissed.out
    listed = o.ok("sofie", "case", "list", "--due", "--json").json_lines()
    assert listed[0]["waiting"] == [{"step": "reasons", "person": 1, "due": "2026-11-12", "overdue": False}]
    reasons = o.step("sofie", "case", "reasons", case, "jan@dewerf.be", "--delivery", "registered_letter")
    assert reasons["detail"] == {"on": "2026-11-07", "delivery": "registered_letter"}
    shown = o.ok("sofie", "case", "show", case).out
    assert "redenen ter kennis gebracht op 7 november 2026 (aangetekende brief)" in shown


def test_a_late_dismissal_is_recorded_with_its_warning(office: Office) -> None:
    o = office
    case = str(heard(o))
    o.at("2026-11-12T10:00")  # the decision was due on Tuesday 10 November
    late = o.step("sofie", "case", "sanction", case, "jan@dewerf.be", "--kind", "dismissal")
    assert late["late"] is True and late["step"] == "sanctioned"
    assert any("Te laat" in w for w in late["warnings"])  # type: ignore[union-attr]
    text = o.run("sofie", "case", "show", case)
    assert "te laat" in text.out


def test_a_restriction_with_its_options(office: Office) -> None:
    o = office
    case = str(heard(o))
    restriction = ("case", "sanction", case, "jan@dewerf.be", "--kind", "restriction")
    refused_by(o.run("sofie", *restriction), "case.sanction_kind")  # which access?
    done = o.step("sofie", *restriction, "--restricts", "internet", "--partial", "--until", "2026-12-31")
    assert done["step"] == "sanctioned"
    letter = o.ok("sofie", "case", "letter", case, "sanction", "--person", "jan@dewerf.be").out
    assert "gedeeltelijke beperking van uw toegang tot internet, tot 31 december 2026" in letter
    shown = o.ok("sofie", "case", "show", case).out
    assert "beslissing: beperking van de toegang (internet, gedeeltelijk, tot 31 december 2026), op 6 november" in shown
    (line,) = o.ok("sofie", "case", "list", "--sanctions", "--json").json_lines()
    assert (line["case"], line["name"], line["kind"]) == (int(case), "Jan Peeters", "restriction")


def test_options_that_do_not_belong_to_the_kind_are_a_usage_error(office: Office) -> None:
    o = office
    case = str(heard(o))
    outcome = o.run("sofie", "case", "sanction", case, "jan@dewerf.be", "--kind", "blaam", "--until", "2026-12-31")
    assert outcome.code == 2 and "--until" in outcome.err
    outcome = o.run("sofie", "case", "sanction", case, "jan@dewerf.be", "--kind", "none", "--known", "2026-11-06")
    assert outcome.code == 2 and "--known" in outcome.err


def test_the_short_path_for_undisputed_professional_data(office: Office) -> None:
    o = office
    o.at("2026-11-04T09:00")
    opened = o.step(
        "sofie",
        "case",
        "open",
        "--purpose",
        "4",
        "--circumstance",
        "professional",
        "--from",
        "2026-11-02",
        "--to",
        "2026-11-04",
        "--reason",
        "verzonden mail van het algemene adres over de offerte voor klant X",
        "--source",
        "mail",
    )
    case = str(opened["id"])
    refused_by(o.run("ilse", "case", "control", case), "case.professional")
    consulted = o.step("sofie", "case", "consult", case, "--what", "verzonden mail van offerte@dewerf.be, 3 november")
    assert consulted["step"] == "consulted"
    assert o.step("sofie", "case", "close", case, "--outcome", "offerte teruggevonden")["step"] == "closed"


# -- reading cases ---------------------------------------------------------------------------------------


def test_show_in_text_names_the_decision_findings_people_timeline_and_next_steps(office: Office) -> None:
    o = office
    case = str(individualised(o))
    out = o.ok("sofie", "case", "show", case).out
    assert out.startswith("Dossier 1: doeleinde 1, naar aanleiding van een gebeurtenis; geïndividualiseerd (versie 4)")
    assert "Periode: 2 november 2026 – 4 november 2026" in out
    assert "Reden: klacht van een collega over ongepaste sites op het netwerk" in out
    assert "3 november 2026 [controle, nr. 1]: pornhub.com" in out
    assert "Jan Peeters <jan@dewerf.be>, Logistiek: geïdentificeerd" in out
    assert "4 november 2026 om 09:00  sofie  dossier geopend (beslissing)" in out
    assert "  - in kennis stellen: casebook case notify 1 jan@dewerf.be" in out
    # A step not possible now, with the rule that blocks it.
    assert "  - uitnodigen tot het gesprek (jan@dewerf.be): kennisgeving, uitnodiging, gesprek (" in out
    assert "  - controle uitvoeren: rol vereist (" in out
    assert (
        "  - collectief verwittigen, individualisering goedkeuren, professionele gegevens raadplegen: de procedure gaat"
        " alleen vooruit (dossier 1 is al verder dan deze stap (nu: geïndividualiseerd))" in out
    )


def test_show_json_hides_people_from_a_supervisor_who_took_no_step(office: Office) -> None:
    o = office
    case_id = individualised(o)
    hidden = o.show("greet", case_id)
    assert hidden["people"] == [] and hidden["people_count"] == 1
    text = o.ok("greet", "case", "show", str(case_id)).out
    assert "1 persoon geïdentificeerd; wie, zien alleen" in text and "Jan" not in text and "jan@" not in text
    # ...and an administrator, who keeps the directory, sees them.
    assert [p["email"] for p in o.show(ADMIN, case_id)["people"]] == ["jan@dewerf.be"]  # type: ignore[union-attr]


def test_show_json_lists_the_next_steps_the_core_allows(office: Office) -> None:
    o = office
    case_id = individualised(o)
    steps = {(s["verb"], s["person"]): s for s in o.show("sofie", case_id)["next_steps"]}  # type: ignore[union-attr]
    assert steps[("notify", "jan@dewerf.be")]["possible"] is True
    assert steps[("sanction", "jan@dewerf.be")]["rule"] == "case.hearing_first"
    assert steps[("control", None)]["rule"] == "role.required"


def test_list_newest_first_with_the_due_date_and_overdue_in_words(office: Office) -> None:
    o = office
    case = str(individualised(o))
    o.step("sofie", "case", "notify", case, "jan@dewerf.be")
    o.step("sofie", "case", "invite", case, "jan@dewerf.be", "--at", "2026-11-06T14:00", "--place", "zaal 1")
    second = open_event_case(o, 4)
    o.at("2026-11-10T09:00")  # the hearing was last Friday and nobody wrote its minutes
    lines = o.ok("sofie", "case", "list").out.splitlines()
    assert lines[0].split()[:3] == ["dossier", "doel", "omstandigheid"]
    assert [line.split()[0] for line in lines[2:]] == [str(second), case]
    assert lines[3].endswith("6 november 2026 (te laat)")
    rows = o.ok("sofie", "case", "list", "--json").json_lines()
    assert [r["id"] for r in rows] == [second, int(case)]
    assert {"id", "purpose", "circumstance", "step", "from", "to", "findings", "people", "due", "overdue"} <= set(
        rows[0]
    )
    assert (rows[1]["people"], rows[1]["due"], rows[1]["overdue"]) == (1, "2026-11-06", True)
    assert [r["id"] for r in o.ok("sofie", "case", "list", "--step", "decided", "--json").json_lines()] == [second]
    due = o.ok("sofie", "case", "list", "--due").out
    assert "Wat wacht:" in due
    assert any(
        line.split()[:3] == [case, "horen", "(verslag)"] and line.endswith("te laat") for line in due.splitlines()
    )


def test_the_register_of_sanctions(office: Office) -> None:
    o = office
    case = str(heard(o))
    assert o.ok("sofie", "case", "list", "--sanctions").out == "Het register van de sancties is leeg.\n"
    o.step("sofie", "case", "sanction", case, "jan@dewerf.be", "--kind", "blaam")
    out = o.ok("sofie", "case", "list", "--sanctions").out.splitlines()
    assert out[0] == "Register van de sancties (wet van 8 april 1965):"
    assert out[3].split() == [
        "6",
        "november",
        "2026",
        case,
        "Jan",
        "Peeters",
        *"sanctie van het arbeidsreglement blaam".split(),
    ]
    outcome = o.run("sofie", "case", "list", "--sanctions", "--due")
    assert outcome.code == 2


# -- letters ---------------------------------------------------------------------------------------------


def test_the_english_letter_is_marked_as_a_translation(office: Office) -> None:
    o = office
    case = str(individualised(o))
    english = o.ok("sofie", "case", "letter", case, "notification", "--person", "jan@dewerf.be", "--lang", "en")
    assert english.out.startswith("> TRANSLATION for staff only")
    dutch = o.ok("sofie", "case", "letter", case, "notification", "--person", "jan@dewerf.be")
    assert "TRANSLATION" not in dutch.out and "Jan Peeters" in dutch.out
    (data,) = o.ok(
        "sofie", "case", "letter", case, "notification", "--person", "jan@dewerf.be", "--lang", "en", "--json"
    ).json_lines()
    assert (data["language"], data["translation"]) == ("en", True) and "TRANSLATION" in str(data["text"])


def test_a_letter_to_a_file_never_over_another_without_force(office: Office, tmp_path: Path) -> None:
    o = office
    case = str(individualised(o))
    target = tmp_path / "kennisgeving.md"
    letter = ("case", "letter", case, "notification", "--person", "jan@dewerf.be")
    assert o.ok("sofie", *letter, "--out", str(target)).out == f"Brief geschreven naar {target}.\n"
    assert "Jan Peeters" in target.read_text("utf-8")
    target.write_text("mijn eigen notities\n")
    refused = o.run("sofie", *letter, "--out", str(target))
    assert refused.code == 3 and "bestaat al" in refused.err and "geen bestaand bestand overschrijven" in refused.err
    assert target.read_text() == "mijn eigen notities\n"
    assert o.run("sofie", *letter, "--out", str(target), "--force").code == 0
    assert "Jan Peeters" in target.read_text("utf-8")
    # '-' is the terminal.
    assert "Jan Peeters" in o.ok("sofie", *letter, "--out", "-").out


@pytest.mark.parametrize("name", ["casebook.db", "casebook.key"])
def test_a_letter_never_over_the_casebooks_own_files(office: Office, name: str) -> None:
    o = office
    case = str(individualised(o))
    own = o.cli.home / name
    key = o.cli.key.read_bytes()
    for force in ([], ["--force"]):
        outcome = o.run("sofie", "case", "letter", case, "warning", "--out", str(own), *force)
        assert outcome.code == 3 and "'eigen bestanden van het casebook'" in outcome.err
    link = o.tmp / "link.md"
    link.symlink_to(own)
    assert o.run("sofie", "case", "letter", case, "warning", "--out", str(link), "--force").code == 3
    # Both files are what they were: the key byte for byte, the database still a casebook (sign-ins write to it).
    assert o.cli.key.read_bytes() == key
    assert o.cli.db.read_bytes().startswith(b"SQLite format 3\0") and o.show("sofie", int(case))["id"] == int(case)


def test_an_edited_letter_is_saved_as_the_next_version(office: Office) -> None:
    o = office
    case = str(individualised(o))
    o.step("sofie", "case", "notify", case, "jan@dewerf.be")
    edited = o.file("kennisgeving.md", "Beste Jan,\n\nWij stelden een onregelmatigheid vast.\n")
    saved = o.step("sofie", "case", "letter", case, "notification", "--person", "jan@dewerf.be", "--save-from", edited)
    assert saved["detail"] == {"kind": "notification", "letter_version": 2}
    shown = o.ok("sofie", "case", "letter", case, "notification", "--person", "jan@dewerf.be").out
    assert shown.startswith("Beste Jan,")
    usage = o.run("sofie", "case", "letter", case, "notification", "--save-from", edited, "--lang", "en")
    assert usage.code == 2
    # The version guards a change; reading a letter changes nothing.
    assert (
        o.run("sofie", "case", "letter", case, "notification", "--person", "jan@dewerf.be", "--version", "1").code == 2
    )
    stale = (
        "case",
        "letter",
        case,
        "notification",
        "--person",
        "jan@dewerf.be",
        "--save-from",
        edited,
        "--version",
        "1",
    )
    refused_by(o.run("sofie", *stale), "case.changed")


# -- refusals: exit 3 and the rule's name ----------------------------------------------------------------


def test_refused_while_the_policy_is_not_ready(staffed: CasebookCli) -> None:
    staffed.add_user("sofie", "supervisor")
    outcome = staffed.as_user(
        "sofie",
        "case",
        "open",
        "--purpose",
        "1",
        "--circumstance",
        "event",
        "--from",
        "2026-11-02",
        "--to",
        "2026-11-04",
        "--reason",
        "klacht van een collega over sites",
    )
    refused_by(outcome, "control.policy_ready")


@pytest.mark.parametrize(
    ("purpose", "circumstance", "rule"),
    [
        ("2", "event", "case.purpose_adopted"),
        ("1", "permanent", "case.circumstance"),
        ("1", "periodic", "case.circumstance"),
    ],
)
def test_refused_outside_the_purposes_and_the_mode_the_policy_announced(
    office: Office, purpose: str, circumstance: str, rule: str
) -> None:
    office.at("2026-11-04T09:00")
    args = ("--from", "2026-11-02", "--to", "2026-11-04", "--reason", "klacht van een collega over sites")
    outcome = office.run("sofie", "case", "open", "--purpose", purpose, "--circumstance", circumstance, *args)
    refused_by(outcome, rule)


def test_refused_in_english_too(office: Office) -> None:
    office.at("2026-11-04T09:00")
    args = ("--from", "2026-11-02", "--to", "2026-11-04", "--reason", "klacht van een collega over sites")
    outcome = office.run("sofie", "--lang", "en", "case", "open", "--purpose", "2", "--circumstance", "event", *args)
    assert outcome.code == 3 and outcome.err.startswith("Refused by the rule 'adopted purpose': purpose 2")


def test_refused_for_the_wrong_role(office: Office) -> None:
    o = office
    o.at("2026-11-04T09:00")
    args = ("--from", "2026-11-02", "--to", "2026-11-04", "--reason", "klacht van een collega over sites")
    refused_by(o.run("ilse", "case", "open", "--purpose", "1", "--circumstance", "event", *args), "role.required")
    case = str(open_event_case(o, 1))
    refused_by(o.run("sofie", "case", "control", case), "role.required")
    refused_by(o.run("eva", "case", "show", case), "role.required")


def test_refused_when_the_approver_would_execute(office: Office) -> None:
    o = office
    o.at("2026-11-04T08:30")
    o.visits(("2026-11-03T10:15", "jpeeters", "www.pornhub.com"))
    o.at("2026-11-04T09:00")
    case = str(open_event_case(o, 1, last="2026-11-04"))
    o.step("mixed", "case", "control", case)
    o.step("mixed", "case", "approve", case)
    refused_by(o.run("mixed", "case", "individualise", case), "case.four_eyes")
    assert o.step("ilse", "case", "individualise", case)["step"] == "individualised"


def test_refused_purpose_four_without_a_warning(office: Office) -> None:
    o = office
    o.at("2026-11-04T08:30")
    o.visits(("2026-11-03T11:00", "emaes", "www.unibet.be"))
    o.at("2026-11-04T10:00")
    case = str(open_event_case(o, 4))
    o.step("ilse", "case", "control", case)
    refused_by(o.run("sofie", "case", "approve", case), "case.alarm_bell")


def test_refused_against_a_person_without_a_receipt(office: Office) -> None:
    o = office
    case = str(individualised(o, user="tclaes"))
    assert o.show("sofie", int(case))["people"][0]["step"] == "not_informed"  # type: ignore[index]
    refused_by(o.run("sofie", "case", "notify", case, "tom@dewerf.be"), "case.not_informed")
    refused_by(o.run("sofie", "case", "sanction", case, "tom@dewerf.be", "--kind", "blaam"), "case.not_informed")


def test_refused_a_sanction_before_the_hearing(office: Office) -> None:
    o = office
    case = str(individualised(o))
    o.step("sofie", "case", "notify", case, "jan@dewerf.be")
    o.step("sofie", "case", "invite", case, "jan@dewerf.be", "--at", "2026-11-06T14:00", "--place", "zaal 1")
    refused_by(o.run("sofie", "case", "sanction", case, "jan@dewerf.be", "--kind", "blaam"), "case.hearing_first")
    minutes = o.file("minutes.txt", MINUTES)
    refused_by(o.run("sofie", "case", "hear", case, "jan@dewerf.be", "--minutes-file", minutes), "case.hearing_first")


def test_refused_a_sanction_the_work_rules_do_not_list(office: Office) -> None:
    o = office
    case = str(heard(o))
    outcome = o.run("sofie", "case", "sanction", case, "jan@dewerf.be", "--kind", "een boete van 500 euro")
    refused_by(outcome, "case.sanction_kind")


def test_refused_on_a_closed_case(office: Office) -> None:
    o = office
    o.at("2026-11-04T08:30")
    o.visits(("2026-11-03T10:15", "jpeeters", "www.hln.be"))
    o.at("2026-11-04T09:00")
    case = str(open_event_case(o, 1, last="2026-11-04"))
    assert o.step("ilse", "case", "control", case)["step"] == "closed"  # nothing found
    refused_by(o.run("ilse", "case", "control", case), "case.closed")
    refused_by(o.run("sofie", "case", "close", case, "--outcome", "nog eens"), "case.closed")
    assert "Dit dossier is afgesloten: alleen lezen." in o.ok("sofie", "case", "show", case).out
    assert o.show("sofie", int(case))["next_steps"] == []


def test_refused_when_the_case_changed_since_it_was_seen(office: Office) -> None:
    o = office
    o.at("2026-11-04T08:30")
    o.visits(("2026-11-03T10:15", "jpeeters", "www.pornhub.com"))
    o.at("2026-11-04T09:00")
    case = str(open_event_case(o, 1, last="2026-11-04"))
    o.step("ilse", "case", "control", case)
    seen = str(o.show("greet", int(case))["version"])
    o.step("sofie", "case", "approve", case, "--version", seen)
    refused_by(
        o.run("greet", "case", "close", case, "--outcome", "niets aan de hand", "--version", seen), "case.changed"
    )
    assert o.show("greet", int(case))["step"] == "approved"


def test_no_such_case(office: Office) -> None:
    refused_by(office.run("sofie", "case", "show", "99"), "case.exists")


@pytest.mark.parametrize("at", ["volgende vrijdag", "2026-13-01T10:00"])
def test_a_bad_moment_is_a_usage_error(office: Office, at: str) -> None:
    case = str(individualised(office))
    office.step("sofie", "case", "notify", case, "jan@dewerf.be")
    outcome = office.run("sofie", "case", "invite", case, "jan@dewerf.be", "--at", at, "--place", "zaal 1")
    assert outcome.code == 2 and "2026-11-06T14:00" in outcome.err


def test_a_missing_minutes_file(office: Office, tmp_path: Path) -> None:
    case = str(heard(office))
    outcome = office.run("sofie", "case", "hear", case, "jan@dewerf.be", "--minutes-file", str(tmp_path / "nope.txt"))
    assert outcome.code == 1 and "nope.txt" in outcome.err


def test_json_output_is_plain_values(office: Office) -> None:
    case = str(individualised(office))
    for line in office.ok("sofie", "case", "show", case, "--json").out.splitlines():
        assert json.loads(line)["timeline"][0] == {
            "at": "2026-11-04T08:00:00+00:00",
            "by": "sofie",
            "step": "open",
            "late": False,
        }
