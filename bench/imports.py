"""The log import against the same file read by others, in the same run.

- our import of a deterministic 1,000,000-line Squid log into a fresh casebook
  (lines/s, peak RSS of the importing process);
- GoAccess parsing the same file, when installed (`apt-get install goaccess`);
- the sqlite3 shell's plain `.import` of the same lines into one column;
- our import of 4,000,000 lines, for peak RSS: streaming means it barely grows.
Targets (issue 4): import time <= 0.6 x GoAccess; peak RSS < 150 MB, and at 4M
lines at most 20% above 1M.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from casebook.demo_data.synth import write_squid_bench

LINES = int(os.environ.get("BENCH_LINES", "1000000"))
BIG_LINES = int(os.environ.get("BENCH_BIG_LINES", str(4 * LINES)))
CACHE = Path(__file__).resolve().parent / "data"

# Runs in a child process, so its peak RSS is the import's alone.
_CHILD = """
import json, resource, sys, time
from pathlib import Path
from casebook import passwords, users
from casebook.book import init_casebook
from casebook.logs import importer
from schema.roles import Role
home, log = Path(sys.argv[1]), Path(sys.argv[2])
book = init_casebook(home, "bench", "bench passphrase")
admin = book.login("bench", "bench passphrase")
users.add_user(admin, "ilse", [Role.IT_OFFICER], "bench passphrase")
session = book.login("ilse", "bench passphrase")
started = time.perf_counter()
result = importer.import_file(session, log)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "imported": result.imported, "rejected": result.rejected,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _log(lines: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"squid-{lines}.log"
    if not path.exists():
        write_squid_bench(path.with_suffix(".tmp"), lines)
        path.with_suffix(".tmp").rename(path)
    return path


def _ours(log: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(Path(folder) / "cb"), str(log)],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout)


def _timed(command: list[str], **kwargs: object) -> float | None:
    started = time.perf_counter()
    try:
        subprocess.run(command, check=True, capture_output=True, **kwargs)  # type: ignore[call-overload]
    except (OSError, subprocess.CalledProcessError):
        return None
    return time.perf_counter() - started


def run() -> dict[str, object]:
    log = _log(LINES)
    ours = _ours(log)
    goaccess = None
    if shutil.which("goaccess"):
        with tempfile.TemporaryDirectory() as folder:
            # GoAccess's own SQUID preset stumbles on CONNECT host:port; the same fields, spelled out, do not.
            goaccess = _timed(
                [
                    "goaccess",
                    str(log),
                    "--log-format=%x.%^ %~%L %h %^/%s %b %m %U %^ %^ %^",
                    "--date-format=%s",
                    "--time-format=%s",
                    "-o",
                    str(Path(folder) / "report.json"),
                ]
            )
    sqlite_import = None
    if shutil.which("sqlite3"):
        with tempfile.TemporaryDirectory() as folder:
            sqlite_import = _timed(
                ["sqlite3", str(Path(folder) / "plain.db")],
                input=f'CREATE TABLE t(line TEXT);\n.separator "\\t" "\\n"\n.import {log} t\n',
                text=True,
            )
    big = _ours(_log(BIG_LINES)) if BIG_LINES else None
    return {
        "lines": LINES,
        "import_seconds": round(ours["seconds"], 2),
        "lines_per_s": round(LINES / ours["seconds"]),
        "peak_rss_mb": round(ours["peak_rss_mb"], 1),
        "goaccess_seconds": round(goaccess, 2) if goaccess else None,
        "import_vs_goaccess": round(ours["seconds"] / goaccess, 2) if goaccess else None,
        "target_vs_goaccess": 0.6,
        "sqlite3_import_seconds": round(sqlite_import, 2) if sqlite_import else None,
        "import_vs_sqlite3_import": round(ours["seconds"] / sqlite_import, 2) if sqlite_import else None,
        "big_lines": BIG_LINES,
        "big_peak_rss_mb": round(big["peak_rss_mb"], 1) if big else None,
        "big_vs_1m_peak_rss": round(big["peak_rss_mb"] / ours["peak_rss_mb"], 2) if big else None,
    }
