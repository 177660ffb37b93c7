"""The timer's commands: `casebook import` and `casebook irregularities` as the service account, no passphrase."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casebook import signin
from tests.cli_support import CasebookCli
from tests.conftest import ADMIN

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"


def audit_rows(cli: CasebookCli) -> list[dict[str, object]]:
    outcome = cli.as_user(ADMIN, "audit", "show", "--limit", "1000", "--json")
    assert outcome.code == 0, outcome.err
    return outcome.json_lines()


def test_a_timer_imports_without_a_passphrase_as_the_scheduler(made: CasebookCli) -> None:
    made.env(CASEBOOK_PASSPHRASE=None)  # nothing stored anywhere

    outcome = made.run("import", str(SAMPLES / "squid-access.log"))

    assert outcome.code == 0, outcome.err
    assert "squid-access.log (squid): 920 regels, 912 ingelezen, 8 afgekeurd" in outcome.out
    rows = audit_rows(made)
    imported = [r for r in rows if r["action"] == "logs.imported"]
    assert [r["actor"] for r in imported] == ["scheduler"]
    signed_in = [r for r in rows if r["action"] == "signin.ok" and r["actor"] == "scheduler"]
    assert signed_in[0]["detail"] == {"method": "scheduler", "os_user": signin.os_user()}


def test_the_scheduler_runs_the_control_and_says_what_it_found_without_listing_it(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = CasebookCli(demo_home, capsys, monkeypatch)

    text = cli.run("irregularities")
    as_json = cli.run("irregularities", "--json")

    assert text.code == 0, text.err
    assert text.out.startswith("Regels nagegaan over 30 dag(en) (7 regels)")
    (report,) = as_json.json_lines()
    assert set(report) == {"days", "rules", "found", "updated"} and report["found"] == 0  # the demo ran them
    trail = cli.as_user("an", "audit", "show", "--json", passphrase="demo-pass-an").json_lines()
    assert [r["actor"] for r in trail if r["action"] == "control.rules_run"][-2:] == ["scheduler", "scheduler"]
    listed = cli.run("irregularities", "--no-run")
    assert listed.code == 3 and "'wat de planner mag'" in listed.err


def test_a_named_user_still_gives_their_passphrase(made: CasebookCli) -> None:
    made.add_user("ilse", "it_officer")
    made.env(CASEBOOK_PASSPHRASE=None)

    outcome = made.run("--user", "ilse", "import", str(SAMPLES / "squid-access.log"))

    assert outcome.code == 1
    assert "geen wachtwoordzin" in outcome.err


def test_the_scheduler_named_may_do_only_its_own_commands(made: CasebookCli) -> None:
    outcome = made.run("--user", "scheduler", "user", "list")

    assert outcome.code == 3
    assert outcome.err.startswith("Geweigerd door de regel 'wat de planner mag'")
    assert json.dumps(outcome.out) == '""'


def test_other_commands_without_a_user_still_ask_who_you_are(made: CasebookCli) -> None:
    outcome = made.run("setting", "show")

    assert outcome.code == 1
    assert "wie bent u?" in outcome.err


def test_over_ssh_nobody_is_the_scheduler(made: CasebookCli) -> None:
    made.env(SSH_CONNECTION="192.0.2.1 50122 192.0.2.2 22", CASEBOOK_PASSPHRASE=None)

    outcome = made.run("import", str(SAMPLES / "squid-access.log"))

    assert outcome.code == 3
    assert "niet via SSH" in outcome.err
