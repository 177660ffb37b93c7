"""The employee directory: identifiers normalised, every bad row reported, nothing half-saved."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from casebook import employees, identity
from casebook.book import Casebook
from casebook.errors import Refused
from casebook.session import Session

HEADER = "name,email,department,proxy_user,mail_addresses,ips\n"


def count(book: Casebook, table: str) -> int:
    return int(book.store.query_one(f"SELECT count(*) AS n FROM {table}")["n"])  # type: ignore[index]


def test_import_normalises_identifiers(book: Casebook, admin: Session) -> None:
    report = employees.import_csv(
        admin,
        HEADER
        + (
            "Jan Peeters,Jan.Peeters@DeWerf.be,ICT,DEWERF\\JPeeters,jan@dewerf.be; ict@DeWerf.be,"
            "10.0.0.5@2026-01-01..2026-06-30;2001:DB8::1\n"
            "Eva Willems,eva@dewerf.be,,eva@DEWERF.LOCAL,,\n"
        ),
    )
    assert (report.saved, report.rows, report.added, report.updated) == (True, 2, 2, 0)
    eva, jan = sorted(employees.list_employees(admin), key=lambda e: e.name)
    assert jan.email == "jan.peeters@dewerf.be"
    assert {(i.kind, i.value, i.valid_from, i.valid_to) for i in jan.identifiers} == {
        ("mail", "jan.peeters@dewerf.be", None, None),
        ("proxy_user", "jpeeters", None, None),
        ("mail", "jan@dewerf.be", None, None),
        ("mail", "ict@dewerf.be", None, None),
        ("ip", "10.0.0.5", date(2026, 1, 1), date(2026, 6, 30)),
        ("ip", "2001:db8::1", None, None),
    }
    assert ("proxy_user", "eva") in {(i.kind, i.value) for i in eva.identifiers}


def test_addresses_in_any_script_are_read_as_a_mail_server_logs_them(book: Casebook, admin: Session) -> None:
    report = employees.import_csv(admin, HEADER + "Jörg Müller,Jörg.Müller@DeWerf.be,,,jörg@bücher.de,\n")
    assert report.saved, report.errors
    (jorg,) = employees.list_employees(admin)
    assert jorg.email == "jörg.müller@dewerf.be"
    # The log's reading of the same address gives the same text, so the same pseudonym.
    assert identity.normalise_log_mail("<Jörg.Müller@DeWerf.be>") == jorg.email
    assert {i.value for i in jorg.identifiers if i.kind == "mail"} == {"jörg.müller@dewerf.be", "jörg@bücher.de"}
    bad = employees.import_csv(admin, HEADER + "X,x@@dewerf.be,,,,\n")
    assert not bad.saved


def test_reimport_updates_and_replaces_identifiers(book: Casebook, admin: Session) -> None:
    employees.import_csv(admin, HEADER + "Jan,jan@dewerf.be,ICT,jpeeters,,10.0.0.5\n")
    report = employees.import_csv(admin, HEADER + "Jan Peeters,jan@dewerf.be,Logistiek,jpeeters,,10.0.0.6\n")
    assert (report.added, report.updated) == (0, 1)
    (jan,) = employees.list_employees(admin)
    assert (jan.name, jan.department) == ("Jan Peeters", "Logistiek")
    assert {i.value for i in jan.identifiers if i.kind == "ip"} == {"10.0.0.6"}


def test_semicolon_separated_export_with_dutch_headers(book: Casebook, admin: Session) -> None:
    report = employees.import_csv(admin, "naam;e-mail;afdeling\nJan Peeters;jan@dewerf.be;ICT\n")
    assert report.saved and report.added == 1


def test_missing_columns_refused(book: Casebook, admin: Session) -> None:
    with pytest.raises(Refused) as refusal:
        employees.import_csv(admin, "name,department\nJan,ICT\n")
    assert refusal.value.rule == "employees.csv"
    assert "email" in refusal.value.message
    assert count(book, "employees") == 0


def test_empty_file_refused(book: Casebook, admin: Session) -> None:
    with pytest.raises(Refused) as refusal:
        employees.import_csv(admin, "")
    assert refusal.value.key == "refused.csv_empty"


def test_every_bad_row_reported_and_nothing_saved(book: Casebook, admin: Session) -> None:
    report = employees.import_csv(
        admin,
        HEADER
        + (
            "Jan,jan@dewerf.be,,,,\n"  # line 2: fine
            ",nobody@dewerf.be,,,,\n"  # line 3: no name
            "Eva,not-an-address,,,,\n"  # line 4: bad e-mail
            "Piet,piet@dewerf.be,,,,10.0.0.300\n"  # line 5: bad IP
            "Jan Two,JAN@dewerf.be,,,,\n"  # line 6: duplicate e-mail
        ),
    )
    assert not report.saved
    assert [e.line for e in report.errors] == [3, 4, 5, 6]
    assert "regel 2" in report.errors[-1].message  # the duplicate names the first one
    assert count(book, "employees") == 0 and count(book, "identifiers") == 0


def test_identifier_claimed_twice_in_one_period(book: Casebook, admin: Session) -> None:
    report = employees.import_csv(
        admin,
        HEADER + ("Jan,jan@dewerf.be,,,,10.0.0.5@2026-01-01..2026-06-30\nEva,eva@dewerf.be,,,,10.0.0.5@2026-06-30..\n"),
    )
    assert not report.saved
    assert report.errors[0].line == 3
    assert "jan@dewerf.be" in report.errors[0].message and "regel 2" in report.errors[0].message
    assert count(book, "employees") == 0


def test_identifier_handed_over_without_overlap(book: Casebook, admin: Session) -> None:
    report = employees.import_csv(
        admin,
        HEADER + ("Jan,jan@dewerf.be,,,,10.0.0.5@2026-01-01..2026-06-30\nEva,eva@dewerf.be,,,,10.0.0.5@2026-07-01..\n"),
    )
    assert report.saved, report.errors


def test_same_proxy_user_for_two_people(book: Casebook, admin: Session) -> None:
    report = employees.import_csv(admin, HEADER + "Jan,jan@dewerf.be,,DOM\\shared,,\nEva,eva@dewerf.be,,shared,,\n")
    assert [e.line for e in report.errors] == [3]


def test_claim_against_someone_already_in_the_casebook(book: Casebook, admin: Session) -> None:
    employees.import_csv(admin, HEADER + "Jan,jan@dewerf.be,,,,10.0.0.5\n")
    report = employees.import_csv(admin, HEADER + "Eva,eva@dewerf.be,,,,10.0.0.5@2026-01-01..\n")
    assert not report.saved
    assert "al in het casebook" in report.errors[0].message
    assert count(book, "employees") == 1


def test_reversed_period_is_a_bad_ip_entry(book: Casebook, admin: Session) -> None:
    report = employees.import_csv(admin, HEADER + "Jan,jan@dewerf.be,,,,10.0.0.5@2026-06-30..2026-01-01\n")
    assert [e.line for e in report.errors] == [2]


def test_only_the_administrator_imports(book: Casebook, people: dict[str, Session]) -> None:
    for name in ("ilse", "sofie", "bert", "eva"):
        with pytest.raises(Refused) as refusal:
            employees.import_csv(people[name], HEADER + "Jan,jan@dewerf.be,,,,\n")
        assert refusal.value.rule == "role.required"


def test_the_demo_directory_is_valid(book: Casebook, admin: Session) -> None:
    text = resources.files("casebook.demo_data").joinpath("employees.csv").read_text("utf-8")
    report = employees.import_csv(admin, text)
    assert report.saved, report.errors
    assert report.added == 12


def test_control_characters_leave_names(book: Casebook, admin: Session) -> None:
    employees.import_csv(admin, HEADER + '"Mal\x1b[2Jlory\x07",m@dewerf.be,"IC\x1b]0;x\x07T",,,\n')
    (person,) = employees.list_employees(admin)
    assert "\x1b" not in person.name + person.department and "\x07" not in person.name
    assert person.name.startswith("Mal")


def test_a_csv_saved_by_excel_is_read(book: Casebook, admin: Session) -> None:
    """UTF-8 with a byte-order mark, semicolons, Dutch headers: as Excel saves it."""
    text = "\ufeffnaam;e-mail;afdeling;proxygebruiker\r\nJan Peeters;jan@dewerf.be;ICT;DEWERF\\jpeeters\r\n"
    report = employees.import_csv(admin, text)
    assert report.saved and report.added == 1
    assert employees.find(admin, "jan@dewerf.be").department == "ICT"


def test_only_the_directorys_keeper_sees_identifiers(book: Casebook, people: dict[str, Session]) -> None:
    employees.import_csv(people["admin"], "name,email,proxy_user,ips\nJan Peeters,jan@dewerf.be,jpeeters,10.0.0.5\n")
    for name in ("sofie", "bert"):
        seen = employees.list_employees(people[name])
        assert [(e.name, e.email, e.identifiers) for e in seen] == [("Jan Peeters", "", [])]
        with pytest.raises(Refused):
            employees.find(people[name], "jan@dewerf.be")
    assert employees.list_employees(people["admin"])[0].identifiers
    with pytest.raises(Refused) as refusal:
        employees.list_employees(people["eva"])
    assert "werknemerslijst" in refusal.value.message  # said as what it is, not "the receipts"


def test_a_formula_is_no_proxy_user(book: Casebook, admin: Session) -> None:
    report = employees.import_csv(admin, "name,email,proxy_user\nJan Peeters,jan@dewerf.be,@SUM(1+1)\n")
    assert not report.saved and "@SUM(1+1)" in report.errors[0].message
