"""The scripts in examples/ run as the README says, against a casebook of their own, and leave nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_example(name: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`PATH=.venv/bin:$PATH examples/NAME` from the repository's root, with a TMPDIR of the test's own."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}", TMPDIR=str(scratch))
    return subprocess.run(
        ["bash", f"examples/{name}"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def test_the_cases_walkthrough(tmp_path: Path) -> None:
    done = run_example("cases-walkthrough.sh", tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout.splitlines()
    assert "De policy (versie 2) is klaar voor een rechtmatige controle." in out
    # Purpose 4: approving before a recurrence is refused, naming the rule; only after it may the case go on.
    assert "Geweigerd door de regel 'eerst de controle'" in done.stderr
    assert "1 persoon had geen ontvangstbewijs van de policy toen de feiten gebeurden" in done.stdout
    assert "Dossier 1: afgesloten (versie 9)." in out
    assert "Dossier 2: afgesloten (versie 11)." in out
    register = out[out.index("Register van de sancties (wet van 8 april 1965):") :]
    assert [line.split()[:5] for line in register[3:]] == [
        ["6", "november", "2026", "1", "Jan"],
        ["9", "november", "2026", "2", "Eva"],
    ]
    assert "schriftelijke verwittiging" in register[3] and "beperking van de toegang" in register[4]
    # Its temporary casebook is gone with it.
    assert list((tmp_path / "tmp").iterdir()) == []
