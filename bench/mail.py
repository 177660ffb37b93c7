"""The Postfix import against a plain pass over the same file, in the same run.

- our import of a deterministic mail log of about 200,000 lines (a busy server's day: a content filter,
  retries, bounces, probes, an IMAP server's lines among them) into a fresh casebook, in a child process;
- the baseline: one plain Python pass over the same file that splits every line as syslog (stamp, host,
  program, message) and does nothing else: what any reader of such a log must at least do.
The ratio import/baseline is the figure to follow; lines/s and messages/s are this machine's.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from casebook.demo_data.synth import write_postfix_bench

MESSAGES = int(os.environ.get("BENCH_MAIL_MESSAGES", "19800"))
CACHE = Path(__file__).resolve().parent / "data"

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from casebook import users
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
mails = book.store.conn.execute("SELECT count(*) FROM mail_events").fetchone()[0]
print(json.dumps({"seconds": seconds, "lines": result.lines, "imported": result.imported,
                  "rejected": result.rejected, "mail_rows": mails,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
_SYSLOG = re.compile(r"^(\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d) (\\S+) ([^\\s\\[:]+)(?:\\[\\d+\\])?: (.*)$")


def log_file(messages: int = MESSAGES) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"postfix-{messages}.log"
    if not path.exists():
        write_postfix_bench(path.with_suffix(".tmp"), messages)
        path.with_suffix(".tmp").rename(path)
    return path


def ours(log: Path, python: str = sys.executable, env: dict[str, str] | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [python, "-c", _CHILD, str(Path(folder) / "cb"), str(log)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
    return json.loads(done.stdout)


def baseline(log: Path) -> float:
    started = time.perf_counter()
    split = _SYSLOG.match
    with log.open("rb") as handle:
        for raw in handle:
            split(raw.decode("utf-8"))
    return time.perf_counter() - started


def run() -> dict[str, object]:
    log = log_file()
    plain = baseline(log)
    found = ours(log)
    return {
        "lines": found["lines"],
        "messages": MESSAGES,
        "mail_rows": found["mail_rows"],
        "import_seconds": round(found["seconds"], 2),
        "lines_per_s": round(found["lines"] / found["seconds"]),
        "peak_rss_mb": round(found["peak_rss_mb"], 1),
        "baseline_seconds": round(plain, 2),
        "import_vs_baseline": round(found["seconds"] / plain, 2),
    }
