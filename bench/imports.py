"""The whole `casebook import` command against GoAccess 1.7 reading the same file, in the same run.

Two shapes of deterministic Squid log, 1,000,000 lines each (BENCH_LINES):
- `few_visits`: people stay on a site for a few dozen requests, URLs with query
  strings (synth.write_squid_grouped): requests group into few visits;
- `many_visits`: every request to a random one of thousands of hosts
  (synth.write_squid_bench): nearly every request is its own visit.

Each side runs as a whole process, BENCH_RUNS times (3), interleaved: per run,
for each shape, GoAccess, then the plain-Python baseline, then the casebook.
Reported per shape: median and min seconds of each, the casebook's median and
min as ratios against GoAccess's, and its peak RSS. Each side's count of lines
read is checked against the file: GoAccess's valid requests from its JSON
report, the casebook's imported lines from `import --json`. Without GoAccess
(`apt-get install goaccess`) its figures are null and only the plain-Python
baseline stands: a process that reads the same file and splits each line, the
least any import of it does.

Then each shape once at 4,000,000 lines (BENCH_BIG_LINES, 0 to skip), for the
peak RSS: streaming means it barely grows.
Targets (issue 18): import <= 0.7 x GoAccess's time on both shapes; peak RSS
<= 150 MB, and at 4M lines at most 20% above 1M.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from casebook import users
from casebook.book import init_casebook
from casebook.demo_data.synth import write_squid_bench, write_squid_grouped
from casebook.policy import versions
from schema.roles import Role

LINES = int(os.environ.get("BENCH_LINES", "1000000"))
BIG_LINES = int(os.environ.get("BENCH_BIG_LINES", str(4 * LINES)))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CACHE = Path(__file__).resolve().parent / "data"
SHAPES: dict[str, Callable[[Path, int], None]] = {
    "few_visits": write_squid_grouped,
    "many_visits": write_squid_bench,
}
PASSPHRASE = "bench passphrase"
# A policy filled in and in force: nothing is imported before (control.policy_ready).
POLICY = {
    "organisation_name": "bench",
    "date_in_force": "2026-03-01",
    "bodies_present": "works_council",
    "consultation_body": "works_council",
    "consultation_date": "20/01/2026",
    "evaluation_body": "ondernemingsraad",
    "purposes": "4, 1, 3",
    "control_mode": "periodic,event",
    "test_period_max_days": "14",
    "control_means": "proxylogs op de server",
    "retention_days": "90",
    "storage_location": "de centrale server",
    "mail_domains": "example.be",
    "sanctions": "schriftelijke verwittiging",
}
# GoAccess's own SQUID preset stumbles on CONNECT host:port; the same fields, spelled out, do not.
GOACCESS_FORMAT = ["--log-format=%x.%^ %~%L %h %^/%s %b %m %U %^ %^ %^", "--date-format=%s", "--time-format=%s"]
# Reads the file and splits each line, nothing more: the floor of any import of it in Python.
SPLIT = "import sys\nn = 0\nfor line in open(sys.argv[1], 'rb'):\n    line.split()\n    n += 1\nprint(n)\n"


def _log(shape: str, lines: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"squid-{shape}-{lines}.log"
    if not path.exists():
        SHAPES[shape](path.with_suffix(".tmp"), lines)
        path.with_suffix(".tmp").rename(path)
    return path


def _template(folder: Path) -> Path:
    """A casebook ready for imports, with an IT officer (ilse); copied afresh for each import."""
    home = folder / "template"
    book = init_casebook(home, "bench", PASSPHRASE)
    admin = book.login("bench", PASSPHRASE)
    versions.update_settings(admin, POLICY)
    users.add_user(admin, "ilse", [Role.IT_OFFICER], PASSPHRASE)
    book.close()
    return home


def _process(command: list[str], **env: str) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stdout) of one process; fails loudly when it does."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env={**os.environ, **env})
        assert child.stderr is not None
        error = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise RuntimeError(f"{command[0]} failed ({child.returncode}): {error.decode(errors='replace')[-2000:]}")
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, out.read().decode()


def _casebook(template: Path, folder: Path, log: Path, lines: int) -> tuple[float, float]:
    home = folder / "casebook"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(template, home)
    command = [sys.executable, "-m", "casebook", "--home", str(home), "--user", "ilse", "import", "--json", str(log)]
    seconds, rss, out = _process(command, CASEBOOK_PASSPHRASE=PASSPHRASE)
    result = json.loads(out.strip().splitlines()[-1])
    if result["imported"] != lines:
        raise RuntimeError(f"the casebook imported {result['imported']} of {lines} lines: {result}")
    return seconds, rss


def _goaccess(folder: Path, log: Path, lines: int) -> tuple[float, float] | None:
    if not shutil.which("goaccess"):
        return None
    report = folder / "report.json"
    seconds, rss, _ = _process(["goaccess", str(log), *GOACCESS_FORMAT, "--no-progress", "-o", str(report)])
    valid = json.loads(report.read_text())["general"]["valid_requests"]
    if valid != lines:
        raise RuntimeError(f"GoAccess read {valid} of {lines} lines")
    return seconds, rss


def _split(log: Path, lines: int) -> tuple[float, float]:
    seconds, rss, out = _process([sys.executable, "-c", SPLIT, str(log)])
    if int(out) != lines:
        raise RuntimeError(f"the baseline read {out.strip()} of {lines} lines")
    return seconds, rss


def _figures(times: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(times), 2), "min": round(min(times), 2)}


def _ratio(ours: list[float], theirs: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(ours) / statistics.median(theirs), 2),
        "min": round(min(ours) / min(theirs), 2),
    }


def run() -> dict[str, object]:
    logs = {shape: _log(shape, LINES) for shape in SHAPES}
    times: dict[str, dict[str, list[float]]] = {
        shape: {"casebook": [], "goaccess": [], "split": []} for shape in SHAPES
    }
    rss: dict[str, list[float]] = {shape: [] for shape in SHAPES}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        template = _template(folder)
        for _ in range(RUNS):
            for shape, log in logs.items():
                theirs = _goaccess(folder, log, LINES)
                if theirs is not None:
                    times[shape]["goaccess"].append(theirs[0])
                times[shape]["split"].append(_split(log, LINES)[0])
                seconds, peak = _casebook(template, folder, log, LINES)
                times[shape]["casebook"].append(seconds)
                rss[shape].append(peak)
        big = {
            shape: _casebook(template, folder, _log(shape, BIG_LINES), BIG_LINES)[1] if BIG_LINES else None
            for shape in SHAPES
        }
    shapes: dict[str, object] = {}
    for shape in SHAPES:
        side = times[shape]
        peak = max(rss[shape])
        shapes[shape] = {
            "import_seconds": _figures(side["casebook"]),
            "goaccess_seconds": _figures(side["goaccess"]) if side["goaccess"] else None,
            "split_seconds": _figures(side["split"]),
            "import_vs_goaccess": _ratio(side["casebook"], side["goaccess"]) if side["goaccess"] else None,
            "import_vs_split": _ratio(side["casebook"], side["split"]),
            "lines_per_s": round(LINES / statistics.median(side["casebook"])),
            "peak_rss_mb": round(peak, 1),
            "big_peak_rss_mb": round(big[shape], 1) if big[shape] else None,
            "big_vs_1m_peak_rss": round(big[shape] / peak, 2) if big[shape] else None,
        }
    return {
        "lines": LINES,
        "runs": RUNS,
        "big_lines": BIG_LINES,
        "baseline": "goaccess" if shutil.which("goaccess") else "split (GoAccess not installed)",
        "goaccess_version": _goaccess_version(),
        "target_vs_goaccess": 0.7,
        "target_peak_rss_mb": 150,
        "shapes": shapes,
    }


def _goaccess_version() -> str | None:
    if not shutil.which("goaccess"):
        return None
    done = subprocess.run(["goaccess", "--version"], capture_output=True, text=True, check=False)
    return done.stdout.splitlines()[0].strip() if done.stdout else None
