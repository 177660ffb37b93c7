"""`casebook policy|employees|receipts`: exit codes, messages, and nothing half-saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_support import CasebookCli
from tests.conftest import ADMIN

DIRECTORY = (
    "name,email,department,proxy_user\nJan Peeters,jan@dewerf.be,ICT,DEWERF\\jpeeters\nEva Willems,eva@dewerf.be,,\n"
)


def ready(made: CasebookCli) -> CasebookCli:
    made.fill_policy()
    return made


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_check_lists_what_blocks(made: CasebookCli) -> None:
    outcome = made.as_user(ADMIN, "policy", "check")
    assert outcome.code == 1
    assert "nog niet klaar" in outcome.out
    assert "- Niet ingevuld: Naam organisatie." in outcome.out


def test_set_then_check_is_ready(made: CasebookCli) -> None:
    ready(made)
    outcome = made.as_user(ADMIN, "policy", "check")
    assert outcome.code == 0 and "klaar voor een rechtmatige controle" in outcome.out


def test_set_refuses_a_bad_value_and_saves_nothing(made: CasebookCli) -> None:
    outcome = made.as_user(ADMIN, "policy", "set", "organisation_name=X", "retention_days=0")
    assert outcome.code == 3
    assert "Bewaartermijn" in outcome.err and "'0'" in outcome.err
    versions = made.as_user(ADMIN, "policy", "versions")
    assert versions.out.count("\n") == 3  # header, rule, version 1


def test_set_without_equals_sign(made: CasebookCli) -> None:
    outcome = made.as_user(ADMIN, "policy", "set", "organisation_name")
    assert outcome.code == 2 and "VELD=WAARDE" in outcome.err


def test_long_retention_warns(made: CasebookCli) -> None:
    outcome = made.as_user(ADMIN, "policy", "set", "retention_days=120")
    assert outcome.code == 0
    assert "120 dagen" in outcome.err


def test_show_whole_and_one_section(made: CasebookCli) -> None:
    ready(made)
    whole = made.as_user(ADMIN, "policy", "show")
    assert whole.code == 0
    assert "vzw De Werf" in whole.out and "{{" not in whole.out
    section = made.as_user(ADMIN, "policy", "show", "controle/2.5")
    assert section.out.startswith("#### 2.5 bewaring en inzage van persoonlijke gegevens")
    assert "voor een maximale duur van 90 dagen[16], in/op de centrale server." in section.out
    assert "[16] Cao nr. 81 bepaalt geen maximumduur" in section.out


def test_show_flags_missing_fields(made: CasebookCli) -> None:
    outcome = made.as_user(ADMIN, "policy", "show", "controle/2.5")
    assert "[bewaartermijn?]" in outcome.out and "[plaats van bewaring?]" in outcome.out


def test_show_unknown_section(made: CasebookCli) -> None:
    outcome = made.as_user(ADMIN, "policy", "show", "9.9")
    assert outcome.code == 1 and "controle/2.5" in outcome.err


def test_show_an_earlier_version(made: CasebookCli) -> None:
    ready(made)
    outcome = made.as_user(ADMIN, "policy", "show", "--version", "1", "controle/2.5")
    assert "[bewaartermijn?]" in outcome.out


def test_load_own_text(made: CasebookCli, tmp_path: Path) -> None:
    own = write(tmp_path, "own.md", "# P\n\n## REGELS {#regels}\n\n### 1. Bewaring\n\n{{retention_days}} dagen.\n")
    outcome = made.as_user(ADMIN, "policy", "load", str(own))
    assert outcome.code == 0 and "versie 2" in outcome.out
    assert "official_accounts" in outcome.out  # says which fields it no longer asks
    assert "storage_location" not in outcome.out  # art. 9: where data is kept is asked whatever the text
    again = made.as_user(ADMIN, "policy", "load", str(own))
    assert "Niets gewijzigd" in again.out


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        ("Geen hoofdstukken hier.\n", 3, "geen genummerde hoofdstukken"),
        ("# P\n\n## D\n\n### 1. X\n\n{{naam}}\n", 3, "regel 7: onbekend veld {{naam}}"),
        (b"\xff\xfe bad bytes", 1, "UTF-8"),
    ],
    ids=["no-sections", "unknown-field", "not-utf8"],
)
def test_load_refuses_bad_files(made: CasebookCli, tmp_path: Path, content: str | bytes, code: int, words: str) -> None:
    outcome = made.as_user(ADMIN, "policy", "load", str(write(tmp_path, "bad.md", content)))
    assert outcome.code == code
    assert words in outcome.err
    assert made.as_user(ADMIN, "policy", "versions").out.count("\n") == 3


def test_load_missing_file(made: CasebookCli, tmp_path: Path) -> None:
    outcome = made.as_user(ADMIN, "policy", "load", str(tmp_path / "nope.md"))
    assert outcome.code == 1 and "bestaat niet" in outcome.err


def test_fields_lists_values_and_gaps(made: CasebookCli) -> None:
    made.as_user(ADMIN, "policy", "set", "organisation_name=vzw De Werf")
    outcome = made.as_user(ADMIN, "policy", "fields")
    lines = {line.split()[0]: line for line in outcome.out.splitlines()[2:]}
    assert "vzw De Werf" in lines["organisation_name"]
    assert "ONTBREEKT" in lines["retention_days"]


def test_employees_import_and_list(made: CasebookCli, tmp_path: Path) -> None:
    outcome = made.as_user(ADMIN, "employees", "import", str(write(tmp_path, "staff.csv", DIRECTORY)))
    assert outcome.code == 0 and "2 rijen, 2 nieuw" in outcome.out
    listing = made.as_user(ADMIN, "employees", "list")
    assert "proxy_user:jpeeters" in listing.out


def test_employees_import_reports_bad_rows(made: CasebookCli, tmp_path: Path) -> None:
    bad = DIRECTORY + "Jan Twee,JAN@dewerf.be,,\n,x@dewerf.be,,\n"
    outcome = made.as_user(ADMIN, "employees", "import", str(write(tmp_path, "staff.csv", bad)))
    assert outcome.code == 1
    assert "regel 4:" in outcome.err and "regel 5:" in outcome.err
    assert "Niets ingelezen" in outcome.err
    assert made.as_user(ADMIN, "employees", "list").out.count("\n") == 2


def test_employees_import_missing_columns(made: CasebookCli, tmp_path: Path) -> None:
    outcome = made.as_user(ADMIN, "employees", "import", str(write(tmp_path, "staff.csv", "naam\nJan\n")))
    assert outcome.code == 3 and "email" in outcome.err


def test_receipts_record_list_export(made: CasebookCli, tmp_path: Path) -> None:
    ready(made)
    made.as_user(ADMIN, "employees", "import", str(write(tmp_path, "staff.csv", DIRECTORY)))
    recorded = made.as_user(ADMIN, "receipts", "record", "jan@dewerf.be", "--method", "email")
    assert recorded.code == 0 and "versie 2" in recorded.out
    missing = made.as_user(ADMIN, "receipts", "list", "--missing")
    assert "eva@dewerf.be" in missing.out and "jan@dewerf.be" not in missing.out
    target = tmp_path / "eva.md"
    exported = made.as_user(ADMIN, "receipts", "export", "eva@dewerf.be", "--out", str(target), "--place", "Gent")
    assert exported.code == 0
    form = target.read_text("utf-8")
    assert form.startswith("# ONTVANGSTBEWIJS") and "Eva Willems" in form and "Gedaan te Gent" in form


def test_receipts_bad_date(made: CasebookCli, tmp_path: Path) -> None:
    made.as_user(ADMIN, "employees", "import", str(write(tmp_path, "staff.csv", DIRECTORY)))
    outcome = made.as_user(ADMIN, "receipts", "record", "jan@dewerf.be", "--date", "gisteren")
    assert outcome.code == 2 and "geen datum" in outcome.err


def test_listings_never_print_control_characters(made: CasebookCli, tmp_path: Path) -> None:
    made.as_user(ADMIN, "policy", "set", "organisation_name=vzw \x1b[31mRood")
    made.as_user(ADMIN, "employees", "import", str(write(tmp_path, "s.csv", "name,email\nEva,eva@dewerf.be\n")))
    listing = made.as_user(ADMIN, "policy", "fields")
    assert "\x1b" not in listing.out and "Rood" in listing.out


def test_inform_after_a_change_makes_the_policy_ready_again(made: CasebookCli) -> None:
    ready(made)
    assert made.as_user(ADMIN, "policy", "set", "control_means=proxylogs en maillogs").code == 0
    check = made.as_user(ADMIN, "policy", "check")
    assert check.code == 1 and "policy inform" in check.out
    outcome = made.as_user(
        ADMIN, "policy", "inform", "--body", "works_council", "--date", "27/11/2026", "--presented", "maillogs erbij"
    )
    assert outcome.code == 0, outcome.err
    assert "de ondernemingsraad ingelicht op 2026-11-27 over versie 3" in outcome.out
    assert made.as_user(ADMIN, "policy", "check").code == 0
    listed = made.as_user(ADMIN, "policy", "consultations", "--json").json_lines()
    assert listed == [
        {
            "kind": "information",
            "body": "works_council",
            "date": "2026-11-27",
            "version": 3,
            "presented": "maillogs erbij",
        }
    ]


def test_evaluate_and_list(made: CasebookCli) -> None:
    ready(made)
    outcome = made.as_user(
        ADMIN,
        "policy",
        "evaluate",
        "--body",
        "works_council",
        "--date",
        "2026-10-01",
        "--discussed",
        "evenredigheid van de controle",
        "--changes",
        "bewaartermijn korter",
    )
    assert outcome.code == 0, outcome.err
    listed = made.as_user(ADMIN, "policy", "consultations")
    assert "evenredigheid van de controle → bewaartermijn korter" in listed.out


def test_inform_refusals_name_their_rule(made: CasebookCli) -> None:
    future = made.as_user(
        ADMIN, "policy", "inform", "--body", "works_council", "--date", "2027-01-01", "--presented", "x"
    )
    assert future.code == 3 and "datum van het overleg" in future.err
    bad_body = made.as_user(ADMIN, "policy", "inform", "--body", "kantine", "--date", "2026-11-01", "--presented", "x")
    assert bad_body.code == 2


def test_audit_names_the_employee_by_reference_and_resolve_names_them(made: CasebookCli, tmp_path: Path) -> None:
    ready(made)
    assert made.as_user(ADMIN, "employees", "import", str(write(tmp_path, "staff.csv", DIRECTORY))).code == 0
    assert made.as_user(ADMIN, "receipts", "record", "jan@dewerf.be", "--date", "2026-11-28").code == 0
    plain = made.as_user(ADMIN, "audit", "show")
    assert "receipt.recorded" in plain.out and "employee:" in plain.out and "jan@dewerf.be" not in plain.out
    resolved = made.as_user(ADMIN, "audit", "show", "--resolve")
    assert "(Jan Peeters <jan@dewerf.be>)" in resolved.out
