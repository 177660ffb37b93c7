"""The import's output, table by table, as it stood before the import was made faster (issue 18).

Speed work must not move a figure: the sample logs, a week of the demo's office
and a slice of each benchmark shape (few visits; a visit per request) are
imported and the rules run, and every table the import or the rules write is
compared, row for row, with digests recorded from the import before the speed
work (main 8b9f94d). Pseudonym tokens depend on the casebook's random key, so
pseudonyms are compared by id (ids follow the order people first appear).

After a deliberate change of the import's output, rewrite the digests with
`CASEBOOK_IMPORT_DIGESTS=write pytest tests/core/test_import_output.py` and say
why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from casebook import clock as clocks
from casebook import rules
from casebook.book import Casebook
from casebook.demo_data import synth
from casebook.logs import importer
from casebook.session import Session
from tests.conftest import ready_with

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"
DIGESTS = Path(__file__).with_name("import_output.json")
BENCH_LINES = 6000

# Every table an import, a continued import or the rules write; the columns that vary by run left out
# (an import's seconds, a token under a random key).
TABLES = {
    "pseudonyms": "SELECT id FROM pseudonyms",
    "domains": "SELECT * FROM domains",
    "hosts": "SELECT * FROM hosts",
    "sites": "SELECT * FROM sites",
    "imports": "SELECT id, path IS NOT NULL, content_hash, size, first_line, prefix_of, format, lines, imported,"
    " rejected, imported_by, imported_at, first_ts, last_ts FROM imports",
    # What a Postfix log leaves open names its messages' people by token: left out of what is carried.
    "import_state": "SELECT import_id, json_remove(carried, '$.mail'), taken, taken_mails, created, events_from,"
    " events_to, visits_from, visits_to, mails_from, mails_to FROM import_state",
    "import_days": "SELECT * FROM import_days",
    "rejects": "SELECT * FROM rejects",
    "events": "SELECT * FROM events",
    "mail_events": "SELECT * FROM mail_events",
    "visits": "SELECT * FROM visits",
    "rollup_hourly": "SELECT * FROM rollup_hourly",
    "rollup_users": "SELECT * FROM rollup_users",
    "rollup_daily": "SELECT * FROM rollup_daily",
    "rollup_daily_users": "SELECT * FROM rollup_daily_users",
    "rollup_category_users": "SELECT * FROM rollup_category_users",
    "rollup_durations": "SELECT * FROM rollup_durations",
    "rollup_hours": "SELECT * FROM rollup_hours",
    "rollup_hour_users": "SELECT * FROM rollup_hour_users",
    "irregularities": "SELECT * FROM irregularities",
    "irregularity_events": "SELECT * FROM irregularity_events",
}


def _digests(book: Casebook) -> dict[str, str]:
    """Each table's rows (sorted, so only their content counts, not the order they were written in), hashed."""
    out = {}
    for table, sql in TABLES.items():
        rows = sorted(repr(tuple(row)) for row in book.store.conn.execute(sql))
        out[table] = f"{len(rows)}:" + hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


def _logs(folder: Path) -> list[Path]:
    # The formats of before the speed work: the visits format (pre-aggregated, no requests) came after it.
    logs = sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.name != "visits.csv")
    monday = datetime(2026, 11, 16, tzinfo=clocks.LOCAL_ZONE)
    week = folder / "office-week.log"
    week.write_text("\n".join(synth.month(monday, 7)) + "\n")
    few, many = folder / "few-visits.log", folder / "many-visits.log"
    synth.write_squid_grouped(few, BENCH_LINES)
    synth.write_squid_bench(many, BENCH_LINES)
    # The grouped log in two steps: the second import takes over what the first left open.
    head = folder / "few-visits-head.log"
    lines = few.read_bytes().split(b"\n")
    head.write_bytes(b"\n".join(lines[: BENCH_LINES // 3]) + b"\n")
    return [*logs, week, head, few, many]


def test_the_import_writes_what_it_wrote_before_it_was_made_faster(
    book: Casebook, admin: Session, officer: Session, tmp_path: Path
) -> None:
    ready_with(admin, control_mode="permanent", control_justification="een netwerk met gevoelige gegevens")
    for log in _logs(tmp_path):
        importer.import_file(officer, log)
    rules.run(officer, book.clock.now().date() - timedelta(days=40), book.clock.now().date())
    found = _digests(book)
    if os.environ.get("CASEBOOK_IMPORT_DIGESTS") == "write":
        DIGESTS.write_text(json.dumps(found, indent=1) + "\n")
    assert found == json.loads(DIGESTS.read_text())
