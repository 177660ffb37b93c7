"""`casebook access|purge|hold`: the agreed JSON keys, deadlines, and an employee who reaches only their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_policy import DIRECTORY, ready, write
from tests.cli_support import CasebookCli
from tests.conftest import ADMIN

DIRECTORY_TWO = DIRECTORY  # Jan Peeters (jan@dewerf.be) and Eva Willems (eva@dewerf.be)


@pytest.fixture
def office(made: CasebookCli, tmp_path: Path) -> CasebookCli:
    ready(made)
    assert made.as_user(ADMIN, "employees", "import", str(write(tmp_path, "staff.csv", DIRECTORY_TWO))).code == 0
    for name, email in (("jan", "jan@dewerf.be"), ("eva", "eva@dewerf.be")):
        outcome = made.as_user(
            ADMIN,
            "user",
            "add",
            name,
            "--role",
            "employee",
            "--employee",
            email,
            new_passphrase="correct horse battery",
        )
        assert outcome.code == 0, outcome.err
    made.add_user("ilse", "it_officer")
    made.add_user("sofie", "supervisor")
    return made


def test_request_json_keys_and_due_date(office: CasebookCli) -> None:
    outcome = office.as_user("jan", "access", "request", "access", "--text", "wat houdt u bij?", "--json")
    assert outcome.code == 0, outcome.err
    request = outcome.json_lines()[0]
    assert {"id", "kind", "employee", "status", "received", "due"} <= set(request)
    assert (request["kind"], request["employee"], request["status"]) == ("access", "jan@dewerf.be", "received")
    assert (request["received"], request["due"]) == ("2026-11-28", "2026-12-28")


def test_a_request_on_behalf_records_the_identity_check(office: CasebookCli) -> None:
    without = office.as_user(ADMIN, "access", "request", "erasure", "--for", "eva@dewerf.be")
    assert without.code == 3 and "identiteit nagegaan" in without.err
    outcome = office.as_user(
        ADMIN,
        "access",
        "request",
        "erasure",
        "--for",
        "eva@dewerf.be",
        "--identity-checked",
        "identiteitskaart",
        "--json",
    )
    assert outcome.code == 0 and outcome.json_lines()[0]["employee"] == "eva@dewerf.be"


def test_list_due_and_decide_and_export(office: CasebookCli, tmp_path: Path) -> None:
    request_id = str(office.as_user("jan", "access", "request", "access", "--json").json_lines()[0]["id"])
    listed = office.as_user("ilse", "access", "list", "--due", "--json").json_lines()
    assert [r["id"] for r in listed] == [int(request_id)]
    assert office.as_user("ilse", "access", "decide", request_id, "refused").code == 3  # no reason
    assert office.as_user("ilse", "access", "decide", request_id, "granted").code == 0
    out = tmp_path / "antwoord.md"
    assert office.as_user("ilse", "access", "export", request_id, "--format", "md", "--out", str(out)).code == 0
    assert "Gegevensbeschermingsautoriteit" in out.read_text()
    again = office.as_user("ilse", "access", "export", request_id, "--format", "md", "--out", str(out))
    assert again.code == 3  # no overwrite without --force
    own = office.as_user("jan", "access", "export", request_id, "--format", "json", "--out", "-")
    assert own.code == 0 and '"jan@dewerf.be"' in own.out


def test_extend_too_late_names_the_rule(office: CasebookCli) -> None:
    request_id = str(office.as_user("jan", "access", "request", "information", "--json").json_lines()[0]["id"])
    office.env(CASEBOOK_NOW="2026-12-30T10:00:00+00:00")
    outcome = office.as_user("ilse", "access", "extend", request_id, "--reason", "complex verzoek met veel gegevens")
    assert outcome.code == 3 and "verlenging van de termijn" in outcome.err
    assert office.as_user("ilse", "access", "list", "--due").out.count("te laat") >= 1


def test_purge_json_and_holds(office: CasebookCli) -> None:
    purged = office.as_user("ilse", "purge", "--dry-run", "--json").json_lines()[0]
    assert set(purged) >= {"cutoff", "deleted", "dry_run"} and purged["dry_run"] is True
    assert office.as_user("sofie", "hold", "add", "1", "--reason", "een geschil voor de rechtbank").code == 3
    assert office.as_user("sofie", "hold", "list").code == 0


def _rectification(office: CasebookCli) -> str:
    outcome = office.as_user("jan", "access", "request", "rectification", "--text", "mijn IP klopt niet", "--json")
    return str(outcome.json_lines()[0]["id"])


def test_rectify_changes_only_the_options_given_and_says_before_and_after(office: CasebookCli) -> None:
    request_id = _rectification(office)
    outcome = office.as_user(
        ADMIN,
        "access",
        "rectify",
        request_id,
        "--ips",
        "10.0.0.5@2026-01-01..2026-10-31;10.0.0.9",
        "--mail-addresses",
        "ict@dewerf.be",
        "--note",
        "de pc 10.0.0.5 ging in november naar Eva",
    )
    assert outcome.code == 0, outcome.err
    assert f"Verzoek {request_id}: werknemerslijst verbeterd" in outcome.out
    assert "IP-adressen: (geen) → 10.0.0.5@2026-01-01..2026-10-31;10.0.0.9" in outcome.out
    assert "andere e-mailadressen: (geen) → ict@dewerf.be" in outcome.out
    record = office.as_user(
        ADMIN, "access", "rectify", request_id, "--department", "Boekhouding", "--note", "sinds mei", "--json"
    )
    assert record.code == 3 and "verantwoording van de verbetering" in record.err  # a note too short
    record = office.as_user(
        ADMIN,
        "access",
        "rectify",
        request_id,
        "--department",
        "Boekhouding",
        "--note",
        "sinds mei op Boekhouding",
        "--json",
    ).json_lines()[0]
    assert (record["fields"], record["before"], record["after"]) == (
        ["department"],
        {"department": "ICT"},
        {"department": "Boekhouding"},
    )
    assert record["sealed"] is True
    listed = office.as_user(ADMIN, "employees", "list").out
    assert "Boekhouding" in listed and "Jan Peeters" in listed
    shown = office.as_user(ADMIN, "access", "show", request_id, "--json").json_lines()[0]
    assert [r["fields"] for r in shown["rectifications"]] == [["mail_addresses", "ips"], ["department"]]
    text = office.as_user(ADMIN, "access", "show", request_id).out
    assert "Verbetering 2" in text and "afdeling: ICT → Boekhouding" in text
    assert office.as_user(ADMIN, "access", "rectify", request_id, "--note", "niets opgegeven").code == 2


def test_a_directory_import_says_which_rectified_fields_it_kept(office: CasebookCli, tmp_path: Path) -> None:
    request_id = _rectification(office)
    outcome = office.as_user(
        ADMIN, "access", "rectify", request_id, "--department", "Boekhouding", "--note", "sinds mei op Boekhouding"
    )
    assert outcome.code == 0, outcome.err
    again = office.as_user(ADMIN, "employees", "import", str(write(tmp_path, "again.csv", DIRECTORY_TWO)))
    assert again.code == 0, again.err
    assert "Rij 2 (jan@dewerf.be): afdeling blijft zoals rechtgezet" in again.out
    assert "Verbeter ook de bron" in again.out
    assert "Boekhouding" in office.as_user(ADMIN, "employees", "list").out


def test_rectify_refusals_exit_3_with_the_rule(office: CasebookCli) -> None:
    request_id = _rectification(office)
    eva = str(office.as_user("eva", "access", "request", "rectification", "--json").json_lines()[0]["id"])
    assert office.as_user(ADMIN, "access", "rectify", request_id, "--ips", "10.0.0.5", "--note", "pc van Jan").code == 0
    claimed = office.as_user(ADMIN, "access", "rectify", eva, "--ips", "10.0.0.5@2026-06-01..", "--note", "pc van Eva")
    assert claimed.code == 3 and "één persoon per kenmerk tegelijk" in claimed.err and "jan@dewerf.be" in claimed.err
    bad = office.as_user(ADMIN, "access", "rectify", eva, "--ips", "10.0.0.300", "--note", "een fout adres")
    assert bad.code == 3 and "'10.0.0.300' is geen IP-adres" in bad.err
    access_request = str(office.as_user("jan", "access", "request", "access", "--json").json_lines()[0]["id"])
    wrong = office.as_user(ADMIN, "access", "annotate", access_request, "--text", "niet mijn bezoeken")
    assert wrong.code == 3 and "soort verzoek" in wrong.err
    by_ilse = office.as_user("ilse", "access", "annotate", request_id, "--text", "niet mijn bezoeken")
    assert by_ilse.code == 3 and "rol vereist" in by_ilse.err


def test_annotate_and_the_statement_in_a_later_answer(office: CasebookCli) -> None:
    request_id = _rectification(office)
    outcome = office.as_user(
        ADMIN, "access", "annotate", request_id, "--text", "de bezoeken van 3 maart waren een collega aan mijn bureau"
    )
    assert outcome.code == 0, outcome.err
    assert "verklaring van de werknemer toegevoegd" in outcome.out
    assert office.as_user(ADMIN, "access", "decide", request_id, "granted").code == 0
    assert office.as_user(ADMIN, "access", "annotate", request_id, "--text", "nog iets").code == 3  # done
    later = str(office.as_user("jan", "access", "request", "access", "--json").json_lines()[0]["id"])
    assert office.as_user("ilse", "access", "decide", later, "granted").code == 0
    letter = office.as_user("jan", "access", "export", later, "--format", "md", "--out", "-").out
    assert "Uw verklaringen bij uw gegevens" in letter and "een collega aan mijn bureau" in letter


@pytest.mark.parametrize(
    "argv",
    [
        ("access", "rectify", "{eva}", "--department", "Onthaal", "--note", "een reden die lang genoeg is"),
        ("access", "annotate", "{eva}", "--text", "niet mijn bezoeken"),
        ("access", "show", "{eva}"),
        ("access", "show", "{eva}", "--json"),
        ("access", "export", "{eva}", "--format", "json", "--out", "-"),
        ("access", "decide", "{eva}", "granted"),
        ("access", "extend", "{eva}", "--reason", "een reden die lang genoeg is"),
        ("access", "request", "access", "--for", "eva@dewerf.be", "--identity-checked", "x"),
        ("employees", "list"),
        ("receipts", "list"),
        ("stats",),
        ("irregularities", "--no-run"),
        ("case", "list"),
        ("hold", "list"),
        ("purge", "--dry-run"),
        ("audit", "show"),
        ("user", "list"),
    ],
)
def test_an_employee_reaches_nobody_elses_data(office: CasebookCli, argv: tuple[str, ...]) -> None:
    eva_id = str(office.as_user("eva", "access", "request", "access", "--json").json_lines()[0]["id"])
    assert office.as_user("ilse", "access", "decide", eva_id, "granted").code == 0
    outcome = office.as_user("jan", *(a.replace("{eva}", eva_id) for a in argv))
    assert outcome.code == 3, outcome.out + outcome.err  # refused by a rule, naming it
    assert "eva@dewerf.be" not in outcome.out + outcome.err
    assert office.as_user("jan", "access", "list", "--json").out == ""  # his own: none
