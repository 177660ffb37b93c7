"""Rectification: the directory entry corrected under a request, the person's statement, and the trail of both."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from casebook import access, audit, employees
from casebook.access import rectify
from casebook.access.requests import Kind, Status
from casebook.errors import Refused
from tests.core.test_access import Office, refused

DIRECTORY = """name,email,department,proxy_user,mail_addresses,ips
Jan Peeters,jan@dewerf.be,ICT,jpeeters,,10.0.0.5@2026-01-01..
Eva Maes,eva@dewerf.be,Onthaal,emaes,onthaal@dewerf.be,
"""


@pytest.fixture
def office(tmp_path) -> Office:  # type: ignore[no-untyped-def]
    made = Office(tmp_path)
    assert employees.import_csv(made.admin, DIRECTORY).saved
    yield made
    made.book.close()


def rectification(office: Office, who: str = "jan") -> int:
    return access.file(office.session(who), Kind.RECTIFICATION, text="dat IP-adres was niet altijd van mij").id


def entry_of(office: Office, email: str) -> dict[str, str]:
    return employees.as_row(employees.find(office.admin, email))


def trail(office: Office, action: str) -> list:  # type: ignore[type-arg]
    return [r for r in office.book.audit_rows(office.admin, limit=1000) if r.action == action]


def test_a_correction_ends_an_ip_period_and_records_before_and_after(office: Office) -> None:
    request_id = rectification(office)
    assert rectify.entry(office.admin, request_id)["ips"] == "10.0.0.5@2026-01-01.."
    done = rectify.correct(
        office.admin, request_id, {"ips": "10.0.0.5@2026-01-01..2026-10-31"}, "de pc ging op 1 november naar Eva"
    )
    assert entry_of(office, "jan@dewerf.be")["ips"] == "10.0.0.5@2026-01-01..2026-10-31"
    assert (done.kind, done.fields, done.sealed) == ("correction", ["ips"], True)
    assert done.before == {"ips": ["10.0.0.5@2026-01-01.."]}
    assert done.after == {"ips": ["10.0.0.5@2026-01-01..2026-10-31"]}
    assert entry_of(office, "jan@dewerf.be")["name"] == "Jan Peeters"  # only what was given changes
    # The request is being answered now; deciding it still takes its own step.
    assert access.get(office.admin, request_id).status is Status.IN_PROGRESS
    # The address is free from November on: the directory import can give it to Eva.
    moved = DIRECTORY.replace("onthaal@dewerf.be,", "onthaal@dewerf.be,10.0.0.5@2026-11-01..").replace(
        "10.0.0.5@2026-01-01..\n", "10.0.0.5@2026-01-01..2026-10-31\n"
    )
    assert employees.import_csv(office.admin, moved).saved


def test_the_audit_row_references_the_record_and_seals_its_digest_without_any_name_or_address(office: Office) -> None:
    request_id = rectification(office)
    done = rectify.correct(
        office.admin,
        request_id,
        {"name": "Jan Peeters-Claes", "proxy_user": "DEWERF\\jpclaes", "ips": "10.0.0.5@2026-01-01..2026-10-31"},
        "naam na het huwelijk; pc doorgegeven",
    )
    (row,) = trail(office, "access.rectified")
    assert row.subject == audit.reference("employee", access.get(office.admin, request_id).employee_id)
    assert row.detail["request"] == request_id and row.detail["record"] == done.id
    assert row.detail["fields"] == ["name", "proxy_user", "ips"]
    text = json.dumps(row.detail)
    for secret in ("Peeters", "jpeeters", "jpclaes", "10.0.0.5", "jan@", "huwelijk"):
        assert secret not in text
    stored = office.book.store.query_one("SELECT * FROM rectifications WHERE id = ?", [done.id])
    content = {
        "request": request_id,
        "employee": stored["employee_id"],
        "kind": "correction",
        "before": json.loads(stored["before"]),
        "after": json.loads(stored["after"]),
        "text": stored["text"],
        "by": stored["made_by"],
        "at": stored["made_at"],
        "salt": stored["salt"],
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert row.detail["digest"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert content["before"] == {"name": "Jan Peeters", "proxy_user": "jpeeters", "ips": ["10.0.0.5@2026-01-01.."]}
    # A record altered afterwards no longer matches what the sealed trail holds.
    with office.book.store.transaction():
        office.book.store.conn.execute(
            "UPDATE rectifications SET before = ? WHERE id = ?", ('{"name": "Iemand Anders"}', done.id)
        )
    assert [r.sealed for r in rectify.made(office.admin, request_id)] == [False]
    assert office.book.verify_audit(office.admin).ok  # the chain itself is whole


def test_an_identifier_claimed_by_someone_else_in_the_period_is_refused(office: Office) -> None:
    request_id = rectification(office, "eva")
    refusal = refused(
        "employees.one_holder",
        rectify.correct,
        office.admin,
        request_id,
        {"ips": "10.0.0.5@2026-06-01.."},
        "de pc van Jan staat ook bij Eva",
    )
    assert "jan@dewerf.be" in refusal.message
    refused("employees.one_holder", rectify.correct, office.admin, request_id, {"proxy_user": "jpeeters"}, "x" * 12)
    assert entry_of(office, "eva@dewerf.be")["ips"] == ""  # nothing changed
    assert not trail(office, "access.rectified")
    # After Jan's period ends, Eva may hold the address from the day after.
    jan_request = rectification(office)
    rectify.correct(office.admin, jan_request, {"ips": "10.0.0.5@2026-01-01..2026-05-31"}, "pc naar Eva in juni")
    rectify.correct(office.admin, request_id, {"ips": "10.0.0.5@2026-06-01.."}, "de pc van Jan is van Eva sinds juni")
    assert entry_of(office, "eva@dewerf.be")["ips"] == "10.0.0.5@2026-06-01.."


def test_malformed_values_and_changes_that_change_nothing_are_refused(office: Office) -> None:
    request_id = rectification(office)
    admin = office.admin
    refused("employees.entry", rectify.correct, admin, request_id, {"ips": "10.0.0.999"}, "ongeldig adres getest")
    refused("employees.entry", rectify.correct, admin, request_id, {"name": "  "}, "naam leeg gemaakt")
    refused("employees.entry", rectify.correct, admin, request_id, {"mail_addresses": "geen-adres"}, "fout adres")
    refused("access.rectify_change", rectify.correct, admin, request_id, {"department": "ICT"}, "dezelfde afdeling")
    refused("access.rectify_note", rectify.correct, admin, request_id, {"department": "Boekhouding"}, "kort")
    with pytest.raises(ValueError):
        rectify.correct(admin, request_id, {"email": "x@dewerf.be"}, "het primaire adres wijzigen")
    assert office.book.store.query_one("SELECT count(*) AS n FROM rectifications")["n"] == 0


def test_only_an_open_rectification_request(office: Office) -> None:
    admin = office.admin
    other = access.file(office.session("jan"), Kind.ACCESS).id
    refused("access.kind", rectify.correct, admin, other, {"department": "Boekhouding"}, "verkeerde soort verzoek")
    refused("access.kind", rectify.annotate, admin, other, "niet mijn bezoeken")
    request_id = rectification(office)
    access.decide(admin, request_id, Status.REFUSED, "de gegevens zijn juist, nagegaan bij ICT")
    refused("access.open", rectify.correct, admin, request_id, {"department": "Boekhouding"}, "na de weigering")
    granted = rectification(office)
    access.decide(admin, granted, Status.GRANTED)
    assert access.get(admin, granted).status is Status.DONE
    refused("access.open", rectify.annotate, admin, granted, "na de afhandeling")


def test_only_whoever_keeps_the_directory_corrects_and_decides(office: Office) -> None:
    request_id = rectification(office)
    for name in ("jan", "eva", "ilse", "sofie"):
        session = office.session(name)
        for call, args in (
            (rectify.correct, ({"department": "Boekhouding"}, "afdeling veranderd in mei")),
            (rectify.annotate, ("de bezoeken van 3 maart waren een collega",)),
            (rectify.entry, ()),
        ):
            with pytest.raises(Refused) as refusal:
                call(session, request_id, *args)
            assert refusal.value.rule in ("role.required", "access.exists")
    # The IT officer handles requests, starts this one, but does not judge a correction of the directory.
    ilse = office.session("ilse")
    assert access.start(ilse, request_id).status is Status.IN_PROGRESS
    refused("role.required", access.decide, ilse, request_id, Status.GRANTED)
    assert access.decide(office.admin, request_id, Status.GRANTED).status is Status.DONE


def test_a_statement_shows_in_the_answer_of_a_later_access_request(office: Office) -> None:
    office.browse([(office.at(1), "jpeeters", "www.hln.be", "")])
    request_id = rectification(office)
    statement = "De bezoeken van 3 november waren een collega aan mijn bureau."
    added = rectify.annotate(office.admin, request_id, statement)
    assert (added.kind, added.text, added.sealed) == ("annotation", statement, True)
    (row,) = trail(office, "access.annotated")
    assert row.detail["record"] == added.id and "collega" not in json.dumps(row.detail)
    rectify.correct(office.admin, request_id, {"department": "Boekhouding"}, "sinds mei op Boekhouding")
    access.decide(office.admin, request_id, Status.GRANTED)
    jan = office.session("jan")
    assert [r.kind for r in rectify.made(jan, request_id)] == ["annotation", "correction"]  # his own
    later = access.file(jan, Kind.ACCESS)
    access.decide(office.session("ilse"), later.id, Status.GRANTED)
    answer = access.as_json(jan, later.id)
    assert answer["annotations"] == [{"request": request_id, "on": "2026-11-03", "text": statement}]
    assert answer["corrections"] == [
        {
            "request": request_id,
            "on": "2026-11-03",
            "before": {"department": "ICT"},
            "after": {"department": "Boekhouding"},
        }
    ]
    letter = access.as_markdown(jan, later.id)
    assert statement in letter and "afdeling was ICT, is nu Boekhouding" in letter
    assert "sinds mei" not in letter  # the handler's note is not part of the copy
    refused("access.exists", rectify.made, office.session("eva"), request_id)


def test_erasure_takes_the_records_along_and_the_trail_stays_whole(office: Office) -> None:
    request_id = rectification(office)
    rectify.annotate(office.admin, request_id, "niet mijn bezoeken in oktober")
    rectify.correct(office.admin, request_id, {"ips": ""}, "het adres was nooit van Jan")
    erase = access.file(office.session("jan"), Kind.ERASURE)
    access.decide(office.admin, erase.id, Status.GRANTED)
    assert office.book.store.query_one("SELECT count(*) AS n FROM rectifications")["n"] == 0
    row = trail(office, "access.decided")[0]  # the newest: the erasure
    assert row.detail["erased"]["rectifications"] == 2
    assert trail(office, "access.rectified")[0].detail["digest"]  # the reference stays, the values went
    assert office.book.verify_audit(office.admin).ok
    assert rectify.made(office.admin, request_id) == []


def test_dates_in_the_ip_syntax_are_checked_as_in_the_csv(office: Office) -> None:
    request_id = rectification(office)
    refused(
        "employees.entry",
        rectify.correct,
        office.admin,
        request_id,
        {"ips": "10.0.0.5@2026-12-01..2026-01-01"},
        "periode omgekeerd",
    )
    done = rectify.correct(
        office.admin, request_id, {"ips": "10.0.0.5@01/01/2026..31/10/2026;10.0.0.6"}, "twee adressen sinds januari"
    )
    assert done.after == {"ips": ["10.0.0.5@2026-01-01..2026-10-31", "10.0.0.6"]}
    assert employees.find(office.admin, "jan@dewerf.be").identifiers[-2].valid_to == date(2026, 10, 31)


def test_a_directory_import_with_the_old_values_keeps_what_was_rectified(office: Office) -> None:
    request_id = rectification(office)
    rectify.correct(
        office.admin,
        request_id,
        {"ips": "10.0.0.5@2026-01-01..2026-10-31", "department": "Boekhouding"},
        "de pc ging op 1 november naar Eva",
    )
    # HR exports the file again, still with the values the correction replaced: they do not come back.
    again = employees.import_csv(office.admin, DIRECTORY)
    assert again.saved and again.updated == 2
    assert [(k.line, k.email, k.fields) for k in again.kept] == [(2, "jan@dewerf.be", ["department", "ips"])]
    entry = entry_of(office, "jan@dewerf.be")
    assert (entry["department"], entry["ips"]) == ("Boekhouding", "10.0.0.5@2026-01-01..2026-10-31")
    assert entry_of(office, "eva@dewerf.be")["department"] == "Onthaal"  # nobody else is touched
    # A third value is new information from HR: it wins, and nothing is said about it.
    moved = DIRECTORY.replace("Jan Peeters,jan@dewerf.be,ICT", "Jan Peeters,jan@dewerf.be,Logistiek")
    later = employees.import_csv(office.admin, moved)
    assert [(k.email, k.fields) for k in later.kept] == [("jan@dewerf.be", ["ips"])]
    assert entry_of(office, "jan@dewerf.be")["department"] == "Logistiek"
    row = trail(office, "employees.imported")[0]
    assert row.detail["kept_rectified"] == 1


def test_the_old_value_kept_out_does_not_let_an_address_belong_to_two_people(office: Office) -> None:
    request_id = rectification(office)
    rectify.correct(office.admin, request_id, {"ips": "10.0.0.5@2026-01-01..2026-10-31"}, "de pc ging naar Eva")
    # The file gives the address to Eva from November and still to Jan without end: read with the
    # correction kept, Jan's period ends in October and Eva's claim stands.
    moved = DIRECTORY.replace("onthaal@dewerf.be,", "onthaal@dewerf.be,10.0.0.5@2026-11-01..")
    report = employees.import_csv(office.admin, moved)
    assert report.saved, report.errors
    assert entry_of(office, "eva@dewerf.be")["ips"] == "10.0.0.5@2026-11-01.."
