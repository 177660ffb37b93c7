"""`casebook stats` and `casebook irregularities` on the demo casebook: right keys, and nobody in them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casebook.cli import main
from casebook.demo_data import synth
from tests.conftest import NOW

KEYS = {"requests", "bytes", "visits", "seconds", "users"}


def run(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, user: str = "ilse"
) -> tuple[int, str, str]:
    monkeypatch.setenv("CASEBOOK_PASSPHRASE", f"demo-pass-{user}")
    monkeypatch.setenv("CASEBOOK_NOW", NOW.isoformat())
    code = main(["--home", str(home), "--user", user, *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def secrets(home: Path) -> set[str]:
    """Everything that could point at a person: pseudonyms, client addresses, user names, mail addresses."""
    import sqlite3

    conn = sqlite3.connect(home / "casebook.db")
    tokens = {row[0] for row in conn.execute("SELECT token FROM pseudonyms")}
    conn.close()
    found = set(tokens) | {t[:12] for t in tokens}
    for proxy_user, address, mail in synth.OFFICE:
        found |= {proxy_user, proxy_user.split("\\")[-1], address, mail, mail.split("@")[0]}
    return found


def test_stats_json_keys_and_sums(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(demo_home, capsys, monkeypatch, "stats", "--json")
    assert code == 0
    data = json.loads(out)
    assert KEYS | {"domains", "categories"} <= set(data)
    assert sum(d["requests"] for d in data["domains"]) == data["requests"]
    assert sum(d["bytes"] for d in data["domains"]) == data["bytes"]
    assert sum(c["requests"] for c in data["categories"]) == data["requests"]
    assert all(KEYS | {"domain", "category"} <= set(d) for d in data["domains"])
    requests = [d["requests"] for d in data["domains"] if "folded" not in d]
    assert requests == sorted(requests, reverse=True)


def test_stats_fold_groups_of_fewer_people_than_the_policy_says(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A domain, a category or a total about fewer than `min_group_size` people (default 5) points at them."""
    _, out, _ = run(demo_home, capsys, monkeypatch, "stats", "--json")
    data = json.loads(out)
    assert data["min_group_size"] == 5
    rows = data["domains"] + data["categories"]
    assert all(r["users"] is None or r["users"] >= 5 for r in rows)
    (other,) = [d for d in data["domains"] if "folded" in d]
    assert other["domain"] is None and other["folded"] > 0 and other["requests"] > 0
    assert sum(d["requests"] for d in data["domains"]) == data["requests"]
    assert sum(c["requests"] for c in data["categories"]) == data["requests"]
    text = run(demo_home, capsys, monkeypatch, "stats", "--top", "500")[1]
    assert "overige (minder dan 5 personen)" in text
    for table in text.split("\n\n")[1:]:
        for row in table.splitlines()[2:]:
            users = row.split()[-1]
            assert users == "5" or not users.isdigit() or int(users) >= 5, row
    # Ask for groups of 50 (more people than the demo has): every figure folds, even the totals' users.
    monkeypatch.setenv("CASEBOOK_PASSPHRASE", "demo-pass-an")
    assert main(["--home", str(demo_home), "--user", "an", "policy", "set", "min_group_size=50"]) == 0
    capsys.readouterr()
    data = json.loads(run(demo_home, capsys, monkeypatch, "stats", "--json")[1])
    assert data["users"] is None and [d["domain"] for d in data["domains"]] == [None]
    assert "users" in data and all(d["users"] is None for d in data["domains"] + data["categories"])


def test_stats_for_a_period(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, whole, _ = run(demo_home, capsys, monkeypatch, "stats", "--json")
    code, one_day, _ = run(
        demo_home, capsys, monkeypatch, "stats", "--json", "--from", "2026-11-02", "--to", "2026-11-02"
    )
    assert code == 0
    assert 0 < json.loads(one_day)["requests"] < json.loads(whole)["requests"]


def test_the_demo_controls_only_inside_its_cases(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo's policy announces periodic and event-driven control: no rules outside a case's scope.
    code, _, err = run(demo_home, capsys, monkeypatch, "irregularities", "--json")
    assert code == 3 and "controle op de aangekondigde wijze" in err
    code, out, _ = run(demo_home, capsys, monkeypatch, "irregularities", "--no-run", "--json")
    assert code == 0
    found = [json.loads(line) for line in out.splitlines()]
    assert {f["purpose"] for f in found} == {1, 3, 4}  # what the demo's cases found


def test_supervisor_may_look_employee_may_not(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(demo_home, capsys, monkeypatch, "irregularities", "--no-run", user="sofie")[0] == 0
    code, _, err = run(demo_home, capsys, monkeypatch, "stats", user="eva")
    assert code == 3 and "rol vereist" in err


@pytest.mark.parametrize(
    "args",
    [
        ("stats",),
        ("stats", "--json"),
        ("stats", "--top", "500"),
        ("irregularities", "--no-run"),
        ("irregularities", "--no-run", "--json"),
    ],
)
def test_no_person_in_any_output(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    code, out, err = run(demo_home, capsys, monkeypatch, *args)
    assert code == 0
    text = out + err
    leaked = sorted(s for s in secrets(demo_home) if s in text)
    assert leaked == [], leaked


def test_top_applies_to_json_too(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    every = json.loads(run(demo_home, capsys, monkeypatch, "stats", "--json")[1])["domains"]
    assert len(every) > 3
    top = json.loads(run(demo_home, capsys, monkeypatch, "stats", "--json", "--top", "3")[1])["domains"]
    # The row of the domains too small to show (folded) is no domain of its own: it comes with any --top.
    assert top[:3] == every[:3] and [d["folded"] for d in top[3:]] == [every[-1]["folded"]]
    text = run(demo_home, capsys, monkeypatch, "stats", "--top", "3")[1]
    assert every[0]["domain"] in text and every[3]["domain"] not in text


def test_stats_text_writes_numbers_the_languages_way(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(run(demo_home, capsys, monkeypatch, "stats", "--json")[1])
    assert data["requests"] > 9999
    dutch = run(demo_home, capsys, monkeypatch, "stats")[1]
    english = run(demo_home, capsys, monkeypatch, "--lang", "en", "stats")[1]
    assert f"{data['requests']:,}".replace(",", ".") in dutch
    assert f"{data['requests']:,}" in english
    assert str(data["requests"]) not in dutch + english
