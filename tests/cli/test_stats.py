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
    requests = [d["requests"] for d in data["domains"]]
    assert requests == sorted(requests, reverse=True)


def test_stats_for_a_period(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, whole, _ = run(demo_home, capsys, monkeypatch, "stats", "--json")
    code, one_day, _ = run(
        demo_home, capsys, monkeypatch, "stats", "--json", "--from", "2026-11-02", "--to", "2026-11-02"
    )
    assert code == 0
    assert 0 < json.loads(one_day)["requests"] < json.loads(whole)["requests"]


def test_irregularities_of_every_purpose(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(demo_home, capsys, monkeypatch, "irregularities", "--json")
    assert code == 0
    found = [json.loads(line) for line in out.splitlines()]
    assert {f["purpose"] for f in found} == {1, 2, 3, 4}
    again = run(demo_home, capsys, monkeypatch, "irregularities", "--json")[1]
    assert len(again.splitlines()) == len(found)  # running the rules again adds nothing


def test_supervisor_may_look_employee_may_not(
    demo_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(demo_home, capsys, monkeypatch, "irregularities", "--no-run", user="sofie")[0] == 0
    code, _, err = run(demo_home, capsys, monkeypatch, "stats", user="eva")
    assert code == 3 and "rol vereist" in err


@pytest.mark.parametrize(
    "args",
    [("stats",), ("stats", "--json"), ("stats", "--top", "500"), ("irregularities",), ("irregularities", "--json")],
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
    assert top == every[:3]
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
