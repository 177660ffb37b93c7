"""`casebook import` and `casebook categories import`: summaries, JSON lines, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_support import CasebookCli
from tests.conftest import ADMIN, NOW

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"
KEYS = {"file", "format", "lines", "imported", "rejected", "not_events", "skipped", "seconds"}


def officer(made: CasebookCli) -> CasebookCli:
    made.add_user("ilse", "it_officer")
    return made


def test_import_prints_a_summary_per_file(made_ready: CasebookCli) -> None:
    cli = officer(made_ready)
    outcome = cli.as_user("ilse", "import", str(SAMPLES / "squid-access.log"), str(SAMPLES / "firewall.csv"))
    assert outcome.code == 0, outcome.err
    assert "squid-access.log (squid): 920 regels: 912 ingelezen, 8 afgekeurd, in " in outcome.out
    assert "1 × tijdstip in de toekomst" in outcome.out
    assert "firewall.csv (csv)" in outcome.out


def test_import_json_has_the_agreed_keys(made_ready: CasebookCli) -> None:
    cli = officer(made_ready)
    first = cli.as_user("ilse", "import", "--json", str(SAMPLES / "squid-combined.log"))
    (row,) = first.json_lines()
    assert set(row) == KEYS
    assert (row["format"], row["lines"], row["imported"], row["rejected"], row["skipped"]) == ("clf", 302, 300, 2, None)
    again = cli.as_user("ilse", "import", "--json", str(SAMPLES / "squid-combined.log"))
    assert again.json_lines()[0]["skipped"] == "already_imported"
    assert again.code == 0


def test_unreadable_files_exit_non_zero_but_the_others_import(made_ready: CasebookCli, tmp_path: Path) -> None:
    cli = officer(made_ready)
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 10)
    outcome = cli.as_user(
        "ilse", "import", "--json", str(tmp_path / "missing.log"), str(binary), str(SAMPLES / "postfix-mail.log")
    )
    assert outcome.code == 1
    rows = outcome.json_lines()
    assert [r["file"].split("/")[-1] for r in rows] == ["missing.log", "photo.jpg", "postfix-mail.log"]
    assert "bestaat niet" in rows[0]["error"] and "niet herkend" in rows[1]["error"]
    assert rows[2]["imported"] > 0 and "error" not in rows[2]


def test_forced_format(made_ready: CasebookCli) -> None:
    cli = officer(made_ready)
    outcome = cli.as_user("ilse", "import", "--json", "--format", "postfix", str(SAMPLES / "squid-combined.log"))
    row = outcome.json_lines()[0]
    assert (row["format"], row["imported"], row["rejected"]) == ("postfix", 0, 302)


def test_web_server_log_needs_its_host(made_ready: CasebookCli, tmp_path: Path) -> None:
    cli = officer(made_ready)
    log = tmp_path / "intranet.log"
    log.write_text('10.20.0.10 - - [02/Nov/2026:09:15:02 +0100] "GET /index.html HTTP/1.1" 200 512\n')
    without = cli.as_user("ilse", "import", "--json", str(log)).json_lines()[0]
    assert (without["imported"], without["rejected"]) == (0, 1)
    log.write_text(log.read_text() + log.read_text().replace("09:15", "09:16"))
    with_host = cli.as_user("ilse", "import", "--json", "--host", "intranet.dewerf.be", str(log)).json_lines()[0]
    assert with_host["imported"] >= 1


def test_only_the_it_officer_imports(made: CasebookCli) -> None:
    outcome = made.as_user(ADMIN, "import", str(SAMPLES / "squid-access.log"))
    assert outcome.code == 3 and "ict-verantwoordelijke" in outcome.err


def test_import_refused_while_the_policy_is_not_ready(made: CasebookCli) -> None:
    cli = officer(made)
    outcome = cli.as_user("ilse", "import", str(SAMPLES / "squid-access.log"), str(SAMPLES / "firewall.csv"))
    assert outcome.code == 3 and outcome.out == ""
    assert "Geweigerd door de regel 'policy klaar voor controle'" in outcome.err
    assert "Niet ingevuld: Naam organisatie" in outcome.err
    assert cli.as_user("ilse", "imports", "list", "--json").out.strip() == ""  # nothing came in
    # The overview shows what imports collected: refused by the same rule, with the same exit code.
    for command in (["stats"], ["stats", "--json"], ["irregularities", "--no-run"], ["irregularities"]):
        refused = cli.as_user("ilse", *command)
        assert refused.code == 3 and "policy klaar voor controle" in refused.err, command
    cli.fill_policy()
    assert cli.as_user("ilse", "import", str(SAMPLES / "squid-access.log")).code == 0


def test_categories_import(made_ready: CasebookCli, tmp_path: Path) -> None:
    cli = officer(made_ready)
    (tmp_path / "ut1" / "gambling").mkdir(parents=True)
    (tmp_path / "ut1" / "gambling" / "domains").write_text("casino.example\nbets.example\n")
    # The UT1 lists carry their own description of where they come from.
    (tmp_path / "ut1" / "global_usage").write_text("# Blacklists UT1, Université Toulouse 1 Capitole\n")
    outcome = cli.as_user("ilse", "categories", "import", str(tmp_path / "ut1"))
    assert outcome.code == 0 and "2 domeinen" in outcome.out and "UT1" in outcome.out
    empty = cli.as_user("ilse", "categories", "import", str(tmp_path))
    assert empty.code == 3 and "geen lijsten" in empty.err


def test_json_is_one_object_per_line(made_ready: CasebookCli) -> None:
    cli = officer(made_ready)
    outcome = cli.as_user("ilse", "import", "--json", *(str(p) for p in sorted(SAMPLES.iterdir())))
    assert outcome.code == 0
    for line in outcome.out.strip().splitlines():
        assert set(json.loads(line)) == KEYS


def test_categories_import_reports_what_is_no_domain(made: CasebookCli, tmp_path: Path) -> None:
    made.add_user("ilse", "it_officer")
    lists = tmp_path / "lijsten" / "gambling"
    lists.mkdir(parents=True)
    (lists / "domains").write_text("casino.example\nevil..com\n*.x.com\n/../etc\n\n# a comment\nbücher.de\n10.1.2.3\n")
    outcome = made.as_user("ilse", "categories", "import", str(tmp_path / "lijsten"))
    assert outcome.code == 0, outcome.err
    assert "3 regels zijn geen domeinnaam" in outcome.err
    assert "gambling/domains regel 2: evil..com" in outcome.err
    assert "UT1" not in outcome.out  # a folder of its own gets no borrowed attribution
    given = made.as_user("ilse", "categories", "import", str(tmp_path / "lijsten"), "--attribution", "Eigen lijst")
    assert "Eigen lijst" in given.out


def test_imports_list_and_remove(made_ready: CasebookCli, tmp_path: Path) -> None:
    cli = officer(made_ready)
    wrong = cli.as_user("ilse", "import", "--json", "--format", "postfix", str(SAMPLES / "squid-combined.log"))
    assert wrong.json_lines()[0]["imported"] == 0
    listed = cli.as_user("ilse", "imports", "list", "--json").json_lines()
    assert [(r["id"], r["format"], r["imported"]) for r in listed] == [(1, "postfix", 0)]
    # Nothing of it could be read: it does not count, and the right format reads it all.
    right = cli.as_user("ilse", "import", "--json", str(SAMPLES / "squid-combined.log")).json_lines()[0]
    assert (right["skipped"], right["imported"]) == (None, 300)
    text = cli.as_user("ilse", "imports", "list")
    assert text.code == 0 and "squid-combined.log" in text.out and "clf" in text.out
    removed = cli.as_user("ilse", "--lang", "en", "imports", "remove", "2")
    assert removed.code == 0, removed.err
    assert "Import 2 (" in removed.out and "removed: 300 requests" in removed.out
    assert [r["id"] for r in cli.as_user("ilse", "imports", "list", "--json").json_lines()] == [1]
    gone = cli.as_user("ilse", "--lang", "en", "imports", "remove", "2")
    assert gone.code == 3 and "there is no import 2" in gone.err
    assert cli.as_user(ADMIN, "imports", "remove", "1").code == 3  # the IT officer's, not the administrator's
    assert cli.as_user("ilse", "imports", "remove", "zero").code == 2


def test_a_grown_log_says_what_it_continues_and_what_it_left(made_ready: CasebookCli, tmp_path: Path) -> None:
    cli = officer(made_ready)
    log = tmp_path / "access.log"
    lines = (SAMPLES / "squid-access.log").read_bytes().split(b"\n")
    log.write_bytes(b"\n".join(lines[:50]) + b"\n" + lines[50][:20])
    first = cli.as_user("ilse", "--lang", "en", "import", str(log))
    assert "The last line is not finished yet" in first.out
    log.write_bytes(b"\n".join(lines[:80]) + b"\n")
    grown = cli.as_user("ilse", "--lang", "en", "import", str(log))
    assert "30 lines" in grown.out and "Continues import 1" in grown.out
    again = cli.as_user("ilse", "--lang", "en", "import", "--json", str(log)).json_lines()[0]
    assert again["skipped"] == "already_imported"


def test_postfix_lines_that_are_no_event_are_named_and_counted(made_ready: CasebookCli) -> None:
    cli = officer(made_ready)
    outcome = cli.as_user("ilse", "import", str(SAMPLES / "postfix-mail.log"))
    assert outcome.code == 0, outcome.err
    expected = "1.223 regels: 484 ingelezen, 738 zonder gebeurtenis (wachtrijbeheer en verbindingen), 1 afgekeurd"
    assert expected in outcome.out
    (row,) = cli.as_user(
        "ilse", "import", "--json", "--format", "postfix", str(SAMPLES / "postfix-mail.log")
    ).json_lines()
    assert row["skipped"] == "already_imported"


def test_every_line_is_accounted_for_in_json(made_ready: CasebookCli) -> None:
    cli = officer(made_ready)
    rows = cli.as_user(
        "ilse", "import", "--json", str(SAMPLES / "postfix-mail.log"), str(SAMPLES / "firewall.csv")
    ).json_lines()
    for row in rows:
        assert row["lines"] == row["imported"] + row["not_events"] + row["rejected"]
    assert [row["not_events"] for row in rows] == [738, 1]  # a CSV's one header line


def squid_log(path: Path, lines: int, host: str = "www.example.com") -> Path:
    """A Squid log of `lines` requests a second apart, the day before the tests' moment."""
    start = NOW.timestamp() - 86_400
    path.write_text(
        "".join(
            # Five clients: a domain of fewer people than the policy's smallest group would show folded.
            f"{start + i:.3f}    120 10.20.0.{i % 5 + 1} TCP_MISS/200 1234 GET http://{host}/page - HIER_DIRECT/192.0.2.7 "
            "text/html\n"
            for i in range(lines)
        )
    )
    return path


def test_counts_are_written_the_languages_way(made_ready: CasebookCli, tmp_path: Path) -> None:
    cli = officer(made_ready)
    log = squid_log(tmp_path / "access.log", 1500)
    dutch = cli.as_user("ilse", "import", str(log))
    assert "1.500 regels: 1.500 ingelezen, 0 afgekeurd" in dutch.out
    english = cli.as_user("ilse", "--lang", "en", "stats")
    assert "1,500" in english.out and "1.500" not in english.out
    (row,) = cli.as_user("ilse", "import", "--json", str(squid_log(tmp_path / "more.log", 1200))).json_lines()
    assert row["lines"] == 1200  # JSON keeps plain numbers


def test_internationalised_domains_read_as_written_and_stay_punycode_in_json(
    made_ready: CasebookCli, tmp_path: Path
) -> None:
    cli = officer(made_ready)
    assert cli.as_user("ilse", "import", str(squid_log(tmp_path / "idn.log", 5, "www.xn--bcher-kva.de"))).code == 0
    text = cli.as_user("ilse", "stats").out
    assert "bücher.de" in text and "xn--" not in text
    data = json.loads(cli.as_user("ilse", "stats", "--json").out)
    assert [d["domain"] for d in data["domains"]] == ["xn--bcher-kva.de"]


def test_import_of_visits_a_log_platform_aggregated(made_ready: CasebookCli, tmp_path: Path) -> None:
    cli = officer(made_ready)
    visits = SAMPLES / "visits.csv"
    outcome = cli.as_user("ilse", "import", "--format", "visits", "--json", str(visits))
    assert outcome.code == 0, outcome.err
    (row,) = outcome.json_lines()
    assert set(row) == KEYS
    rows = len(visits.read_text().splitlines()) - 1  # less the header
    assert (row["format"], row["lines"], row["imported"], row["rejected"], row["not_events"]) == (
        "visits",
        rows + 1,
        rows - 3,
        3,
        1,
    )
    # Recognised by its header too: imported once, then known by its content.
    again = cli.as_user("ilse", "import", "--json", str(visits))
    assert again.json_lines()[0]["skipped"] == "already_imported"
    later = tmp_path / "tuesday.csv"
    later.write_text("client,host,start,end,requests,bytes_down\n10.20.1.30,www.hln.be,1762156800,1762157100,4,9000\n")
    said = cli.as_user("ilse", "import", str(later))
    assert "tuesday.csv (visits): 2 regels: 1 ingelezen" in said.out, said.out
