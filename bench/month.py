"""A month of an office in a casebook, built by the real `casebook import` once and cached under bench/data/.

The shape: 400 people, 3,000 sites with a long tail, working hours busy,
nights and weekends quiet, 30 days, about 10 million requests in all
(BENCH_OVERVIEW_EVENTS: fewer for a quick run), one Squid log a day
(synth.write_squid_office_month), and a mail log of a fortieth as many
messages over the same month (synth.write_postfix_bench). Same parameters,
the same logs. They are written, imported by the `casebook import` command
as a process of its own (with the casebook's clock fixed at NOW, after the
month, so that no line is in the future nor past the retention), each
file's imported lines checked against the lines written (none rejected),
and deleted: only the casebook is kept, with its key, in
bench/data/overview-v<VERSION>-<parameters>/, and `built.json` beside it says
what the build took. A second run finds it and imports nothing.

To rebuild: delete that folder (`rm -rf bench/data/overview-*`), or raise
VERSION when the generator, the policy or the importer's output changes.
At 10 million requests the build writes about 1.5 GB of logs (a day at a
time, deleted after the import) and takes a few minutes; it prints its
progress on stderr.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as day_time
from pathlib import Path

from bench.imports import POLICY as IMPORT_POLICY
from casebook import clock as clocks
from casebook import users
from casebook.book import Casebook, init_casebook, open_casebook
from casebook.demo_data.synth import BRUSSELS_WINTER, write_postfix_bench, write_squid_office_month
from casebook.policy import versions
from schema.roles import Role

# Raise when what a build writes changes (generator, policy, importer output): old caches are then ignored.
VERSION = 1
EVENTS = int(os.environ.get("BENCH_OVERVIEW_EVENTS", "10000000"))
DAYS = 30
PEOPLE = 400
DOMAINS = 3000
SEED = 3
FIRST = date(2026, 10, 26)  # a Monday, after the change to winter time
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CACHE = Path(__file__).resolve().parent / "data"
PASSPHRASE = "bench passphrase"
USER = "ilse"
# The office's policy: the import benchmark's, with permanent control (the rules run over every day), all four
# purposes, blocked sites, working hours and a break.
POLICY = {
    **IMPORT_POLICY,
    "purposes": "1, 2, 3, 4",
    "control_mode": "permanent",
    "control_justification": "de proxy is het enige netwerk naar buiten: overbelasting en malware zien we pas achteraf",
    "blocked_sites": "pokerstars.eu, unibet.be, thepiratebay.org",
    "mail_domains": "dewerf.be",
    "working_hours": "08:30-17:00",
    "breaks": "12:00-12:45",
}


@dataclass(frozen=True)
class Month:
    home: Path  # the casebook's folder (database and key)
    built: dict[str, object]  # what the build took, as built.json keeps it
    cached: bool  # found built, not built in this run


def folder(events: int) -> Path:
    """Where the casebook of a month of `events` requests is kept: named by what makes it, and VERSION."""
    return CACHE / f"overview-v{VERSION}-{events}r-{DAYS}d-{PEOPLE}p-{DOMAINS}s-seed{SEED}"


def say(text: str) -> None:
    """Progress on stderr: stdout is the benchmarks' JSON."""
    print(f"overview: {text}", file=sys.stderr, flush=True)


def size_mb(home: Path) -> float:
    """A casebook's files (database, write-ahead log, key) on disk."""
    return round(sum(f.stat().st_size for f in home.iterdir() if f.is_file()) / 1024 / 1024, 1)


def start() -> datetime:
    """The month's first midnight, in the office's (winter) time."""
    return datetime.combine(FIRST, day_time(), BRUSSELS_WINTER)


def month(events: int | None = None) -> Month:
    """The cached month's casebook (of EVENTS requests unless told), built first when there is none."""
    events = events or EVENTS
    done = folder(events)
    record = done / "built.json"
    if record.exists():
        return Month(done / "casebook", json.loads(record.read_text()), True)
    work = done.with_name(done.name + ".building")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    home = work / "casebook"
    _new_casebook(home)
    logs = work / "logs"
    say(f"writing {events:,} requests over {DAYS} days to {logs}")
    started = time.perf_counter()
    days = write_squid_office_month(logs, events, days=DAYS, people=PEOPLE, domains=DOMAINS, start=start(), seed=SEED)
    messages = max(1, events // 40)
    mail = logs / "mail.log"
    write_postfix_bench(mail, messages, start=start(), seconds_between=DAYS * 86400 / messages)
    written = time.perf_counter() - started
    log_mb = round(sum(p.stat().st_size for p in logs.iterdir()) / 1024 / 1024, 1)
    say(f"logs written in {written:.0f} s ({log_mb:,} MB); importing")
    seconds, rss, imported = _import(home, [mail, *(path for path, _ in days)])
    requests = sum(lines for _, lines in days)
    for path, lines in days:
        if imported[str(path)] != lines:
            raise RuntimeError(f"{path.name}: {imported[str(path)]} of {lines} lines imported")
    shutil.rmtree(logs)
    built = {
        "version": VERSION,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "requests": requests,
        "mail_messages": messages,
        "log_files": len(days) + 1,
        "log_mb": log_mb,
        "log_write_seconds": round(written, 1),
        "import_seconds": round(seconds, 1),
        "import_lines_per_s": round((requests + imported["mail"]) / seconds),
        "import_peak_rss_mb": round(rss, 1),
        "casebook_mb": size_mb(home),
    }
    (work / "built.json").write_text(json.dumps(built, indent=2) + "\n")
    work.rename(done)
    say(f"built in {seconds:.0f} s of import, casebook {built['casebook_mb']:,} MB, kept in {done}")
    return Month(done / "casebook", built, False)


def _new_casebook(home: Path) -> None:
    """A casebook with the office's policy, ready for imports, and its IT officer."""
    book = init_casebook(home, "bench", PASSPHRASE, clock=clocks.FixedClock(NOW))
    admin = book.login("bench", PASSPHRASE)
    versions.update_settings(admin, POLICY)
    users.add_user(admin, USER, [Role.IT_OFFICER], PASSPHRASE)
    book.close()


def _import(home: Path, files: list[Path]) -> tuple[float, float, dict[str, int]]:
    """(seconds, peak RSS in MB, lines imported per file and `mail` for the mail log) of one `casebook import`."""
    command = [sys.executable, "-m", "casebook", "--home", str(home), "--user", USER, "import", "--json"]
    env = {**os.environ, "CASEBOOK_PASSPHRASE": PASSPHRASE, "CASEBOOK_NOW": NOW.isoformat()}
    imported: dict[str, int] = {}
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(
            [*command, *map(str, files)], stdout=subprocess.PIPE, stderr=errors, env=env, text=True
        )
        assert child.stdout is not None
        for line in child.stdout:
            result = json.loads(line)
            # A day without a request (a weekend at a tiny size) is an empty file: skipped, and rightly.
            if result.get("error") or result.get("skipped") not in (None, "empty"):
                raise RuntimeError(f"import of {result['file']}: {result}")
            if result["rejected"]:
                raise RuntimeError(f"import of {result['file']} rejected lines: {result}")
            imported[result["file"]] = int(result["imported"])
            if result["file"].endswith("mail.log"):
                imported["mail"] = int(result["lines"])
            say(
                f"imported {Path(result['file']).name}: {result['imported']:,} in {result['seconds']:.1f} s "
                f"({len(imported) - ('mail' in imported)}/{len(files)} files, {time.perf_counter() - started:.0f} s)"
            )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise RuntimeError(f"casebook import failed: {errors.read().decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, imported


def open_month(found: Month) -> Casebook:
    """The month's casebook opened with its clock at NOW, as the import saw it."""
    return open_casebook(found.home, clock=clocks.FixedClock(NOW))
