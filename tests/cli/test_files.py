"""The command line's files: `--out` never over the casebook nor over a file without `--force`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_support import CasebookCli
from tests.conftest import ADMIN

DIRECTORY = "name,email\nEva Willems,eva@dewerf.be\n"


@pytest.fixture
def with_eva(made: CasebookCli, tmp_path: Path) -> CasebookCli:
    staff = tmp_path / "staff.csv"
    staff.write_text(DIRECTORY)
    assert made.as_user(ADMIN, "employees", "import", str(staff)).code == 0
    return made


def export(cli: CasebookCli, *args: str) -> tuple[int, str, str]:
    outcome = cli.as_user(ADMIN, "receipts", "export", "eva@dewerf.be", *args)
    return outcome.code, outcome.out, outcome.err


def test_out_never_writes_over_the_casebooks_own_files(with_eva: CasebookCli, tmp_path: Path) -> None:
    key = with_eva.key.read_bytes()
    (tmp_path / "link.txt").symlink_to(with_eva.key)

    for target in (with_eva.key, with_eva.db, tmp_path / "link.txt", with_eva.home / "notes.txt"):
        code, out, err = export(with_eva, "--out", str(target), "--force")
        assert code == 3, target
        assert err.startswith("Geweigerd door de regel 'eigen bestanden van het casebook'"), err
    assert with_eva.key.read_bytes() == key
    assert with_eva.as_user(ADMIN, "audit", "verify").code == 0


def test_out_writes_over_a_file_only_with_force(with_eva: CasebookCli, tmp_path: Path) -> None:
    target = tmp_path / "eva.txt"
    target.write_text("signed copy")

    refused = export(with_eva, "--out", str(target))
    forced = export(with_eva, "--out", str(target), "--force")

    assert refused[0] == 3 and "--force" in refused[2]
    assert forced[0] == 0 and f"{target}" in forced[1]
    assert "ONTVANGSTBEWIJS" in target.read_text()


def test_out_dash_is_stdout(with_eva: CasebookCli) -> None:
    code, out, _ = export(with_eva, "--out", "-")
    assert code == 0 and out.startswith("ONTVANGSTBEWIJS")


def test_files_read_on_the_command_line_are_never_the_casebooks_own(made: CasebookCli) -> None:
    for command in (("policy", "load"), ("employees", "import")):
        outcome = made.as_user(ADMIN, *command, str(made.key))
        assert outcome.code == 3, command
        assert "eigen bestand van het casebook" in outcome.err


def test_import_of_the_casebooks_own_file_is_refused_and_the_others_go_on(made: CasebookCli) -> None:
    made.add_user("ilse", "it_officer")
    samples = Path(__file__).resolve().parents[2] / "sample_logs"

    outcome = made.as_user("ilse", "import", "--format", "csv", str(made.key), str(samples / "firewall.csv"))

    assert outcome.code == 3
    assert outcome.err.startswith("Geweigerd door de regel 'eigen bestanden van het casebook'")
    assert "firewall.csv (csv)" in outcome.out
