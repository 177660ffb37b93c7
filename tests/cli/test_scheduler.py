"""The timer's commands: `casebook import` and `casebook irregularities` as the service account, no passphrase."""

from __future__ import annotations

import json
from pathlib import Path

from casebook import audit, signin
from casebook.book import Casebook
from casebook.policy import versions
from casebook.session import Session
from tests.cli_support import CasebookCli
from tests.conftest import ADMIN
from tests.core.test_policy_versions import READY

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"


def audit_rows(cli: CasebookCli) -> list[dict[str, object]]:
    outcome = cli.as_user(ADMIN, "audit", "show", "--limit", "1000", "--json")
    assert outcome.code == 0, outcome.err
    return outcome.json_lines()


def test_a_timer_imports_without_a_passphrase_as_the_scheduler(made: CasebookCli) -> None:
    made.env(CASEBOOK_PASSPHRASE=None)  # nothing stored anywhere

    outcome = made.run("import", str(SAMPLES / "squid-access.log"))

    assert outcome.code == 0, outcome.err
    assert "squid-access.log (squid): 920 regels: 912 ingelezen, 8 afgekeurd" in outcome.out
    rows = audit_rows(made)
    imported = [r for r in rows if r["action"] == "logs.imported"]
    assert [r["actor"] for r in imported] == ["scheduler"]
    signed_in = [r for r in rows if r["action"] == "signin.ok" and r["actor"] == "scheduler"]
    assert signed_in[0]["detail"] == {"method": "scheduler", "os_user": signin.os_user()}


def test_the_scheduler_runs_the_control_and_says_what_it_found_without_listing_it(
    book: Casebook, admin: Session, cli: CasebookCli
) -> None:
    # A policy that announces permanent control: the rules run every night, outside any case.
    justification = "de veiligheid van het netwerk vraagt een voortdurende globale opvolging"
    versions.update_settings(admin, {**READY, "control_mode": "permanent", "control_justification": justification})
    cli.env(CASEBOOK_PASSPHRASE=None)
    assert cli.run("import", str(SAMPLES / "squid-access.log")).code == 0

    text = cli.run("irregularities")
    as_json = cli.run("irregularities", "--json")
    listed = cli.run("irregularities", "--no-run")

    assert text.code == 0, text.err
    assert text.out.startswith("Regels nagegaan over")
    (report,) = as_json.json_lines()
    assert (
        set(report) == {"days", "rules", "found", "updated", "removed", "unmeasured"} and report["found"] == 0
    )  # the first run found all
    assert listed.code == 3 and "'wat de planner mag'" in listed.err  # the list is for the people of Logs mode
    runs = [row.actor for row in audit.rows(book.store, limit=50) if row.action == "control.rules_run"]
    assert runs == ["scheduler", "scheduler"]


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


def test_the_scheduler_purges_what_the_retention_period_no_longer_allows(
    book: Casebook, admin: Session, cli: CasebookCli
) -> None:
    versions.update_settings(admin, READY)
    cli.env(CASEBOOK_PASSPHRASE=None)

    outcome = cli.run("purge", "--json")

    assert outcome.code == 0, outcome.err
    (report,) = outcome.json_lines()
    assert "cutoff" in report
    purged = [row.actor for row in audit.rows(book.store, limit=20) if row.action.startswith("retention.")]
    assert purged and set(purged) == {"scheduler"}
