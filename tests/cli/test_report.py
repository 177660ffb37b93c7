"""`casebook report notice|processing-record|dpia`: to stdout or a file, exit codes, versions, who may."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli_support import CasebookCli, Outcome
from tests.conftest import ADMIN
from tests.core.test_documents import pdf_text


@pytest.fixture
def ready(made: CasebookCli) -> CasebookCli:
    made.fill_policy(controller_contact="privacy@dewerf.be")
    return made


def test_notice_to_stdout_made_once(ready: CasebookCli) -> None:
    first = ready.as_user(ADMIN, "report", "notice")
    assert first.code == 0, first.err
    assert first.out.startswith("# Privacyverklaring")
    assert "- **Organisatie:** vzw De Werf" in first.out and "- **Versie van dit document:** 1" in first.out
    assert "versie 1 gemaakt, uit policyversie 2" in first.err
    again = ready.as_user(ADMIN, "report", "notice")
    assert again.code == 0 and again.out == first.out
    assert "ongewijzigd sinds versie 1" in again.err


@pytest.mark.parametrize("kind", ["processing-record", "dpia"])
def test_record_and_dpia_to_stdout(ready: CasebookCli, kind: str) -> None:
    outcome = ready.as_user(ADMIN, "report", kind)
    assert outcome.code == 0, outcome.err
    assert "vzw De Werf" in outcome.out and "90 dagen" in outcome.out and "de centrale server" in outcome.out


def test_pdf_needs_a_file(ready: CasebookCli) -> None:
    outcome = ready.as_user(ADMIN, "report", "dpia", "--format", "pdf")
    assert outcome.code == 2 and "--out" in outcome.err
    assert outcome.out == ""


def test_pdf_written_to_a_file_by_its_suffix(ready: CasebookCli, tmp_path: Path) -> None:
    target = tmp_path / "geb.pdf"
    outcome = ready.as_user(ADMIN, "report", "dpia", "--out", str(target))
    assert outcome.code == 0, outcome.err
    assert outcome.out == "" and f"Geschreven naar {target}" in outcome.err
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Gegevensbeschermingseffectbeoordeling (ontwerp)" in text and "vzw De Werf" in text


def test_markdown_to_a_file_and_never_over_an_existing_one(ready: CasebookCli, tmp_path: Path) -> None:
    target = tmp_path / "register.md"
    target.write_text("van iemand anders\n", "utf-8")
    refused = ready.as_user(ADMIN, "report", "processing-record", "--out", str(target))
    assert refused.code == 3 and "bestaat al" in refused.err and "--force" in refused.err
    assert target.read_text("utf-8") == "van iemand anders\n"
    forced = ready.as_user(ADMIN, "report", "processing-record", "--out", str(target), "--force")
    assert forced.code == 0, forced.err
    assert target.read_text("utf-8").startswith("# Register van verwerkingsactiviteiten")


@pytest.mark.parametrize("name", ["casebook.key", "casebook.db", "iets.md"])
def test_never_into_the_casebook_folder(ready: CasebookCli, name: str) -> None:
    target = ready.home / name
    key = ready.key.read_bytes()
    outcome = ready.as_user(ADMIN, "report", "notice", "--out", str(target), "--force")
    assert outcome.code == 3 and "'eigen bestanden van het casebook'" in outcome.err
    assert ready.key.read_bytes() == key
    assert name != "iets.md" or not target.exists()
    # Refused before anything was made for it: no version of the notice either.
    assert "nog niet gemaakt" in ready.as_user(ADMIN, "report", "notice", "--versions").out
    assert ready.as_user(ADMIN, "audit", "verify").code == 0


def test_an_employee_reads_the_notice_once_made_and_never_the_dpia(ready: CasebookCli) -> None:
    ready.add_user("eva", "employee")
    before = ready.as_user("eva", "report", "notice")
    assert before.code == 3 and "nog niet gemaakt" in before.err
    made = ready.as_user(ADMIN, "report", "notice")
    assert made.code == 0
    after = ready.as_user("eva", "report", "notice")
    assert after.code == 0 and after.out == made.out
    assert "versie 1, gemaakt op 28 november 2026" in after.err
    dpia = ready.as_user("eva", "report", "dpia")
    assert dpia.code == 3 and "rol vereist" in dpia.err


def test_versions_listed_and_an_earlier_one_shown_as_it_was(ready: CasebookCli) -> None:
    first = ready.as_user(ADMIN, "report", "notice")
    assert ready.as_user(ADMIN, "policy", "set", "retention_days=60").code == 0
    second = ready.as_user(ADMIN, "report", "notice")
    assert "versie 2 gemaakt, uit policyversie 3" in second.err and "60 dagen" in second.out
    listing = ready.as_user(ADMIN, "report", "notice", "--versions")
    assert listing.code == 0
    lines = listing.out.splitlines()
    assert lines[0].split() == ["versie", "gemaakt", "op", "door", "policyversie"]
    assert [line.split()[0] for line in lines[2:]] == ["2", "1"]
    old = ready.as_user(ADMIN, "report", "notice", "--version", "1")
    assert old.code == 0 and old.out == first.out and "90 dagen" in old.out
    missing = ready.as_user(ADMIN, "report", "notice", "--version", "7")
    assert missing.code == 3 and "geen versie 7" in missing.err


def test_missing_facts_are_warned_about(made: CasebookCli) -> None:
    outcome = made.as_user(ADMIN, "report", "notice")
    assert outcome.code == 0
    assert "Waarschuwing:" in outcome.err and "controller_contact" in outcome.err
    assert "[in te vullen: naam van de organisatie" in outcome.out


def test_no_control_characters_reach_the_terminal(made: CasebookCli) -> None:
    made.as_user(ADMIN, "policy", "set", "organisation_name=vzw \x1b[31mRood")
    outcome = made.as_user(ADMIN, "report", "notice")
    assert outcome.code == 0 and "\x1b" not in outcome.out and "Rood" in outcome.out


def test_help_lists_the_kinds(made: CasebookCli) -> None:
    outcome = made.run("report", "--help")
    assert outcome.code == 0
    for kind in ("notice", "processing-record", "dpia"):
        assert kind in outcome.out


# -- the reports of a period: board, evaluation, receipts -------------------------------------------------


@pytest.fixture
def demo_cli(demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CasebookCli:
    return CasebookCli(demo_home, capsys, monkeypatch)


def as_demo(cli: CasebookCli, name: str, *args: str) -> Outcome:
    return cli.as_user(name, *args, passphrase=f"demo-pass-{name}")


def test_board_report_to_stdout_in_each_text_format(demo_cli: CasebookCli) -> None:
    period = ("--from", "2026-10-01", "--to", "30/11/2026")
    md = as_demo(demo_cli, "bert", "report", "board", *period)
    assert md.code == 0, md.err
    assert md.out.startswith("# Verslag aan de raad van bestuur over de controles")
    assert "- **Periode:** 1 oktober 2026 – 30 november 2026" in md.out
    assert "- **Gemaakt door:** Bert Maes (bert), raad van bestuur" in md.out
    data = json.loads(as_demo(demo_cli, "bert", "report", "board", *period, "--format", "json").out)
    assert data["figures"]["cases"] == {"opened": 4, "closed": 1, "open_at_end": 3}
    rows = list(csv.reader(io.StringIO(as_demo(demo_cli, "bert", "report", "board", *period, "--format", "csv").out)))
    assert ["Periode", "1 oktober 2026 – 30 november 2026"] in rows


def test_evaluation_as_pdf_by_the_suffix_and_never_over_a_file(demo_cli: CasebookCli, tmp_path: Path) -> None:
    target = tmp_path / "evaluatie.pdf"
    period = ("--from", "2026-10-01", "--to", "2026-11-30")
    outcome = as_demo(demo_cli, "sofie", "report", "evaluation", *period, "--out", str(target))
    assert outcome.code == 0, outcome.err
    assert outcome.out == "" and f"Geschreven naar {target}" in outcome.err
    text = pdf_text(target.read_bytes())
    assert "Evaluatie van het controlesysteem met het overlegorgaan" in text and "< 5" in text
    again = as_demo(demo_cli, "sofie", "report", "evaluation", *period, "--out", str(target))
    assert again.code == 3 and "bestaat al" in again.err


def test_a_report_of_a_period_needs_both_days_in_order(demo_cli: CasebookCli) -> None:
    missing = as_demo(demo_cli, "bert", "report", "board", "--to", "2026-11-30")
    assert missing.code == 2 and "--from" in missing.err
    reversed_ = as_demo(demo_cli, "bert", "report", "board", "--from", "2026-11-30", "--to", "2026-11-01")
    assert reversed_.code == 2 and "eerste niet na de laatste" in reversed_.err
    bad = as_demo(demo_cli, "bert", "report", "board", "--from", "gisteren", "--to", "2026-11-01")
    assert bad.code == 2
    pdf = as_demo(demo_cli, "bert", "report", "board", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "pdf")
    assert pdf.code == 2 and "--out" in pdf.err


def test_receipts_for_the_administrator_only(demo_cli: CasebookCli) -> None:
    period = ("--from", "2026-11-01", "--to", "2026-11-30")
    refused = as_demo(demo_cli, "bert", "report", "receipts", *period)
    assert refused.code == 3 and "beheerder" in refused.err and refused.out == ""
    outcome = as_demo(demo_cli, "an", "report", "receipts", *period)
    assert outcome.code == 0, outcome.err
    assert "| Pieter Goossens | Logistiek | pieter.goossens@dewerf.be | - | - |" in outcome.out
    board = as_demo(demo_cli, "an", "report", "board", *period)
    assert board.code == 3 and "rol vereist" in board.err


def test_help_lists_the_reports_and_their_options(made: CasebookCli) -> None:
    outcome = made.run("report", "--help")
    for kind in ("board", "evaluation", "receipts"):
        assert kind in outcome.out
    board = made.run("report", "board", "--help")
    assert board.code == 0 and "--from DATE" in board.out and "md|csv|json|pdf" in board.out
    assert "md|pdf]" in made.run("report", "notice", "--help").out
