"""Figures a case can stand on: a log is known by its content, imports race, come in steps, are undone;
real daemons' quirks (Squid's NUL-ended records, Postfix's queue ids across files); no impossible value
and no password is taken."""

from __future__ import annotations

import gzip
import shutil
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from casebook import rules, users
from casebook.book import Casebook, init_casebook
from casebook.clock import LOCAL_ZONE
from casebook.logs import importer, removal
from casebook.policy import versions
from casebook.session import Session
from schema.roles import Role
from tests.conftest import PASSPHRASE
from tests.core.test_policy_versions import READY

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"
DATA = Path(__file__).resolve().parents[1] / "data"
LINE = "{ts:.3f} {elapsed:6d} {client} {code} {size} {method} {target} {user} HIER_DIRECT/1.2.3.4 text/html{sent}"
MONDAY = datetime(2026, 11, 16, tzinfo=LOCAL_ZONE)


def at(hour: int, minute: float = 0, day: int = 0) -> float:
    return (MONDAY + timedelta(days=day, hours=hour, minutes=minute)).timestamp()


def line(**row: object) -> str:
    values: dict[str, object] = {
        "elapsed": 0,
        "client": "10.0.0.5",
        "code": "TCP_MISS/200",
        "size": 100,
        "method": "GET",
        "target": "http://www.hln.be/",
        "user": "-",
        **row,
    }
    values["sent"] = f" {row['sent']}" if "sent" in row else ""
    if "host" in row:
        values["target"] = f"http://{row['host']}/"
    return LINE.format(**values)


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(line(**row) + "\n" for row in rows))
    return path


def count(book: Casebook, table: str) -> int:
    return int(book.store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def officer(book: Casebook, admin: Session) -> Session:
    users.add_user(admin, "ilse", [Role.IT_OFFICER], PASSPHRASE)
    return book.login("ilse", PASSPHRASE)


@pytest.fixture
def controlled(admin: Session, officer: Session) -> Session:
    """A ready policy with every purpose, and groups of one shown (the rules' figures are the point here)."""
    versions.update_settings(
        admin,
        {
            **READY,
            "purposes": "1,2,3,4",
            "control_mode": "permanent",  # the rules run over every day only under permanent control
            "control_justification": "een netwerk met gevoelige gegevens van cliënten",
            "working_hours": "08:30-17:00",
            "upload_mb_per_day": "50",
            "private_minutes_per_day": "30",
            "min_group_size": "1",
        },
    )
    return officer


# -- a log is known by its content ---------------------------------------------------------------


def test_a_renamed_log_that_grew_gives_only_its_new_lines(book: Casebook, officer: Session, tmp_path: Path) -> None:
    log = write(tmp_path / "access.log", [{"ts": at(9, m)} for m in range(5)])
    first = importer.import_file(officer, log)
    rotated = log.rename(tmp_path / "access.log.1")  # logrotate, after the log grew a little
    with rotated.open("a") as handle:
        handle.write("".join(line(ts=at(9, 10 + m)) + "\n" for m in range(3)))
    second = importer.import_file(officer, rotated)
    assert (second.continues, second.lines, second.imported) == (first.import_id, 3, 3)
    assert count(book, "events") == 8
    compressed = tmp_path / "access.log.2.gz"
    with gzip.open(compressed, "wb") as handle:
        handle.write(rotated.read_bytes())
    rotated.unlink()
    assert importer.import_file(officer, compressed).skipped == "already_imported"
    assert count(book, "events") == 8 and count(book, "imports") == 2


def test_a_gz_of_a_log_that_grew_before_it_was_compressed(book: Casebook, officer: Session, tmp_path: Path) -> None:
    log = write(tmp_path / "access.log", [{"ts": at(9, m)} for m in range(5)])
    importer.import_file(officer, log)
    with gzip.open(tmp_path / "access.log.1.gz", "wb") as handle:
        handle.write(log.read_bytes() + (line(ts=at(10)) + "\n").encode())
    grown = importer.import_file(officer, tmp_path / "access.log.1.gz")
    assert (grown.lines, grown.imported) == (1, 1)
    assert count(book, "events") == 6


def test_a_copy_under_another_name_extended(book: Casebook, officer: Session, tmp_path: Path) -> None:
    log = write(tmp_path / "access.log", [{"ts": at(9, m)} for m in range(5)])
    importer.import_file(officer, log)
    copy = Path(shutil.copy(log, tmp_path / "kopie.txt"))
    with copy.open("a") as handle:
        handle.write(line(ts=at(11)) + "\n")
    assert importer.import_file(officer, copy).imported == 1
    assert count(book, "events") == 6


def test_a_shorter_copy_of_a_log_read_further_is_not_read_again(
    book: Casebook, officer: Session, tmp_path: Path
) -> None:
    rows = [{"ts": at(9, m)} for m in range(6)]
    log = write(tmp_path / "access.log", rows[:2])
    importer.import_file(officer, log)
    snapshot = (tmp_path / "backup.log").write_bytes(log.read_bytes() + (line(**rows[2]) + "\n").encode())
    assert snapshot
    write(log, rows)
    importer.import_file(officer, log)  # read up to six lines
    assert importer.import_file(officer, tmp_path / "backup.log").skipped == "overlaps"
    assert count(book, "events") == 6


def test_two_imports_of_one_file_at_once_store_it_once(
    book: Casebook, officer: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both have looked the file up and are about to write when the first one starts: only the check made
    inside the write lock sees the other's import."""
    from contextlib import contextmanager

    from casebook.store import Store

    log = write(tmp_path / "access.log", [{"ts": at(9, m)} for m in range(50)])
    both_ready = threading.Barrier(2, timeout=10)
    real = Store.transaction

    @contextmanager
    def transaction(self: Store, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if threading.current_thread().name.startswith("import-") and not getattr(self, "_waited", False):
            self._waited = True  # type: ignore[attr-defined]
            both_ready.wait()
        with real(self, *args, **kwargs) as db:  # type: ignore[arg-type]
            yield db

    monkeypatch.setattr(Store, "transaction", transaction)
    results: list[importer.ImportResult] = []
    failures: list[BaseException] = []

    def one() -> None:
        own = book.second_connection()
        try:
            results.append(importer.import_file(officer.on(own), log))
        except BaseException as exc:
            failures.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=one, name=f"import-{n}") for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(str(r.skipped) for r in results) == ["None", "already_imported"]
    assert count(book, "events") == 50 and count(book, "imports") == 1


# -- a last record without its end, NUL-ended records ------------------------------------------------


def test_an_unfinished_last_line_is_left_and_nothing_is_added_again(
    book: Casebook, officer: Session, tmp_path: Path
) -> None:
    log = tmp_path / "access.log"
    log.write_text(line(ts=at(9)) + "\n" + line(ts=at(9, 1))[:40])
    results = [importer.import_file(officer, log) for _ in range(3)]
    assert (results[0].lines, results[0].imported, results[0].rejected, results[0].pending) == (1, 1, 0, True)
    assert [r.skipped for r in results[1:]] == ["already_imported", "already_imported"]
    assert count(book, "imports") == 1 and count(book, "rejects") == 0
    log.write_text(line(ts=at(9)) + "\n" + line(ts=at(9, 1)) + "\n")
    done = importer.import_file(officer, log)
    started = tmp_path / "new.log"
    started.write_text(line(ts=at(9))[:30])  # a log whose first line is still being written
    assert [importer.import_file(officer, started).skipped for _ in range(2)] == ["unfinished", "unfinished"]
    assert (done.lines, done.imported, done.rejected) == (1, 1, 0)
    assert count(book, "events") == 2 and count(book, "imports") == 2


def test_squid_records_ended_by_a_nul(book: Casebook, officer: Session) -> None:
    """A real Squid 5 cuts a record over 8 KB short, ends it with a NUL and writes the next straight after."""
    raw = (DATA / "squid-nul.log").read_bytes()
    assert raw.count(b"\x00") == 1 and raw.split(b"\x00")[1][:10].isdigit()  # the next record, straight after
    result = importer.import_file(officer, DATA / "squid-nul.log")
    assert (result.lines, result.imported, result.rejected) == (3, 3, 0)
    hosts = [r[0] for r in book.store.conn.execute("SELECT method FROM events ORDER BY ts")]
    assert hosts == ["GET", "GET", "GET"]


# -- steps give what one import gives ---------------------------------------------------------------


def _tables(book: Casebook) -> dict[str, list[tuple[object, ...]]]:
    """Every figure, with ids replaced by what they stand for (two casebooks number them alike or not)."""
    q = book.store.conn.execute
    token = dict(q("SELECT id, token FROM pseudonyms").fetchall())
    token[None] = None
    domain = dict(q("SELECT id, domain FROM domains").fetchall())
    site = {i: (domain[d], c) for i, d, c in q("SELECT id, domain_id, category FROM sites")}
    shapes = {
        "events": (
            "SELECT e.ts, e.pseudonym_id, h.host, e.method, e.status, e.bytes, e.elapsed_ms, e.denied, e.url, e.sent"
            " FROM events e JOIN hosts h ON h.id = e.host_id",
            (None, token),
        ),
        "visits": ("SELECT pseudonym_id, site_id, start, end, requests, bytes FROM visits", (token, site)),
        "mail_events": (
            "SELECT ts, sender_id, recipient_id, size, status, direction FROM mail_events",
            (None, token, token),
        ),
        "rollup_hourly": ("SELECT * FROM rollup_hourly", (None, site)),
        "rollup_users": ("SELECT * FROM rollup_users", (None, site, token)),
        "rollup_daily": ("SELECT * FROM rollup_daily", (None, site)),
        "rollup_daily_users": ("SELECT * FROM rollup_daily_users", (domain, None, token)),
        "rollup_category_users": ("SELECT * FROM rollup_category_users", (None, None, token)),
        "rollup_durations": ("SELECT * FROM rollup_durations", (site,)),
        "rollup_hours": ("SELECT * FROM rollup_hours", ()),
        "rollup_hour_users": ("SELECT * FROM rollup_hour_users", (None, token)),
    }
    out = {}
    for table, (sql, names) in shapes.items():
        rows = []
        for row in q(sql):
            named = [names[i][v] if i < len(names) and names[i] is not None else v for i, v in enumerate(row)]
            rows.append(tuple(named))
        out[table] = sorted(rows, key=repr)
    return out


@pytest.fixture
def other(book: Casebook, home: Path, clock: object) -> Session:
    """An IT officer in a second casebook with the first one's key, for the same log imported another way."""
    folder = home.parent / "other"
    folder.mkdir(mode=0o700)
    # The same key: the same people get the same pseudonyms in both.
    (folder / "casebook.key").write_bytes(book.files.key.read_bytes())
    (folder / "casebook.key").chmod(0o600)
    second = init_casebook(folder, "admin", PASSPHRASE, clock=clock)  # type: ignore[arg-type]
    users.add_user(second.login("admin", PASSPHRASE), "ilse", [Role.IT_OFFICER], PASSPHRASE)
    yield second.login("ilse", PASSPHRASE)  # type: ignore[misc]
    second.close()


def _in_steps(session: Session, source: Path, folder: Path, cuts: list[int]) -> None:
    """Import `source` as a log that grows: its first `cut` lines, then more, each time under the same name."""
    lines = source.read_bytes().split(b"\n")
    log = folder / "growing.log"
    for cut in [*cuts, len(lines)]:
        log.write_bytes(b"\n".join(lines[:cut]) + (b"\n" if cut < len(lines) else b""))
        importer.import_file(session, log)


def test_squid_in_steps_gives_what_one_import_gives(
    book: Casebook, officer: Session, other: Session, tmp_path: Path
) -> None:
    rows = []
    for who in (1, 2, 3):
        for minute in range(0, 90, 3):  # visits running across every cut
            rows.append({"ts": at(9, minute + who / 10), "client": f"10.0.0.{who}", "host": "www.facebook.com"})
    rows.append({"ts": at(11, 30), "elapsed": 3_600_000, "host": "www.facebook.com:443"})  # an hour's tunnel
    rows.append({"ts": at(11, 31), "host": "mail.google.com"})
    source = write(tmp_path / "source.log", sorted(rows, key=lambda r: float(r["ts"])))  # type: ignore[arg-type]
    data = source.read_bytes() + (SAMPLES / "squid-access.log").read_bytes().rsplit(b"\n", 1)[0] + b"\n"
    source.write_bytes(data)
    (tmp_path / "steps").mkdir()
    importer.import_file(officer, source)
    count = len(data.split(b"\n"))
    _in_steps(other, source, tmp_path / "steps", [int(count * share) for share in (0.13, 0.4, 0.41, 0.77)])
    once, steps = _tables(book), _tables(other.casebook)
    assert steps["visits"] == once["visits"]
    assert steps == once


def test_postfix_in_steps_keeps_the_queue_ids(
    book: Casebook, admin: Session, officer: Session, other: Session, tmp_path: Path
) -> None:
    for session in (admin, other.casebook.login("admin", PASSPHRASE)):
        versions.update_settings(session, {"mail_domains": "dewerf.be"})
    source = SAMPLES / "postfix-mail.log"
    once = importer.import_file(officer, source)
    (tmp_path / "steps").mkdir()
    lines = source.read_text().split("\n")
    # Cut right after a message was queued: its deliveries come in the next part.
    queued = [i + 1 for i, text in enumerate(lines) if "qmgr" in text and "from=<" in text]
    _in_steps(other, source, tmp_path / "steps", [queued[3], queued[40], queued[41]])
    assert _tables(other.casebook)["mail_events"] == _tables(book)["mail_events"]
    rejected = other.casebook.store.conn.execute("SELECT sum(rejected) FROM imports").fetchone()[0]
    assert rejected == once.rejected  # no delivery lost as "unknown queue id"
    dump = "\n".join(other.casebook.store.conn.iterdump())
    assert "@dewerf.be" not in dump and "jan@gmail.com" not in dump  # what waits is sealed


def test_a_grown_csv_continues_with_its_header(book: Casebook, officer: Session, tmp_path: Path) -> None:
    log = tmp_path / "firewall.csv"
    header = "timestamp,src_ip,user,dst_host,bytes,bytes_sent,method,action\n"
    log.write_text(header + f"{at(9)},10.0.0.5,an,www.hln.be,100,20,GET,allow\n")
    importer.import_file(officer, log)
    with log.open("a") as handle:
        handle.write(f"{at(10)},10.0.0.5,an,www.standaard.be,300,40,GET,allow\n")
    grown = importer.import_file(officer, log)
    assert (grown.imported, grown.rejected) == (1, 0)
    rows = book.store.conn.execute("SELECT bytes, sent FROM events ORDER BY ts").fetchall()
    assert rows == [(100, 20), (300, 40)]


# -- nothing read, nothing counted; an import undone ---------------------------------------------------


def test_a_file_of_which_nothing_was_read_does_not_count(book: Casebook, officer: Session) -> None:
    wrong = importer.import_file(officer, SAMPLES / "squid-combined.log", "postfix")
    assert wrong.imported == 0 and wrong.rejected == wrong.lines
    right = importer.import_file(officer, SAMPLES / "squid-combined.log")
    assert right.skipped is None and right.imported == 300
    assert count(book, "imports") == 2


def _dump(book: Casebook) -> dict[str, list[tuple[object, ...]]]:
    conn = book.store.conn
    names = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if r[0] != "audit"
    ]
    return {name: sorted(map(tuple, conn.execute(f"SELECT * FROM {name}")), key=repr) for name in names}


def test_removing_an_import_restores_every_table(
    book: Casebook, admin: Session, controlled: Session, tmp_path: Path
) -> None:
    users.add_user(admin, "sofie", [Role.SUPERVISOR], PASSPHRASE)
    rows = [{"ts": at(10, m, day=1), "user": "an", "host": "www.facebook.com"} for m in range(0, 40, 2)]
    log = write(tmp_path / "access.log", rows[:8])
    importer.import_file(controlled, log)
    rules.run(controlled)
    before = _dump(book)
    # The log grows: its open visit continues, a new person and new sites come, rules find more.
    more = rows + [{"ts": at(10, 41, day=1), "user": "bo", "host": "www.pornhub.com"}]
    more += [{"ts": at(11, m, day=1), "user": "an", "host": "wetransfer.com", "sent": 30 * 2**20} for m in (1, 2)]
    write(log, more)
    grown = importer.import_file(controlled, log)
    assert grown.continues is not None
    rules.run(controlled)
    assert _dump(book) != before
    assert {i.rule for i in rules.listing(controlled)} >= {"offensive_sites", "large_uploads", "private_use"}
    with pytest.raises(Exception) as refused:
        removal.remove(book.login("sofie", PASSPHRASE), int(grown.continues))
    assert getattr(refused.value, "rule", None) == "role.required"
    first = int(grown.continues)
    with pytest.raises(Exception) as later_first:
        removal.remove(controlled, first)
    assert getattr(later_first.value, "rule", None) == "imports.continued"
    done = removal.remove(controlled, int(grown.import_id or 0))
    assert done.events == 15 and done.irregularities_removed >= 2
    assert _dump(book) == before
    trail = book.store.conn.execute("SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert trail[0] == "logs.import_removed" and '"events":15' in trail[1]


# -- categories belong to hosts -----------------------------------------------------------------------


def test_a_category_belongs_to_its_host_not_to_the_first_host_of_its_domain(
    book: Casebook, controlled: Session, tmp_path: Path
) -> None:
    from casebook.logs import rollups

    rows = [{"ts": at(10, m, day=1), "host": "mail.google.com"} for m in range(0, 10, 2)]
    rows += [{"ts": at(10, m, day=1), "host": "www.google.com"} for m in range(20, 60, 2)]
    importer.import_file(controlled, write(tmp_path / "g.log", rows))
    span = rollups.period("custom", MONDAY.date(), MONDAY.date(), MONDAY.date() + timedelta(days=2))
    by_category = {r.name: r.requests for r in rollups.categories(controlled, span)}
    assert by_category == {"": 20, "webmail": 5}
    (google,) = rollups.domains(controlled, span)
    assert (google.name, google.requests, google.category) == ("google.com", 25, None)
    rules.run(controlled)
    # 40 minutes at www.google.com are work, the 8 at mail.google.com are below the threshold: nothing private.
    assert [i.rule for i in rules.listing(controlled)] == []


# -- values that cannot be true, passwords in URLs, paths of mailboxes -------------------------------


@pytest.mark.parametrize(
    ("row", "expect"),
    [
        ({"elapsed": 999_999_999_999}, "impossible"),
        ({"elapsed": 86_400_001}, "impossible"),
        ({"size": -5}, "impossible"),
        ({"size": 2**40 + 1}, "impossible"),
        ({"size": 2**70}, "impossible"),  # beyond 64 bits: once a crash of the whole import
        ({"sent": -1}, "impossible"),
        ({"elapsed": 86_400_000, "size": 2**40}, None),
    ],
)
def test_impossible_values_are_rejected_under_their_own_reason(
    book: Casebook, officer: Session, tmp_path: Path, row: dict[str, object], expect: str | None
) -> None:
    result = importer.import_file(officer, write(tmp_path / "x.log", [{"ts": at(9), **row}, {"ts": at(9, 1)}]))
    assert result.imported == (1 if expect else 2)
    assert dict(result.reasons) == ({expect: 1} if expect else {})


def test_impossible_values_in_csv_and_postfix(book: Casebook, officer: Session, tmp_path: Path) -> None:
    csv = tmp_path / "fw.csv"
    csv.write_text(
        "timestamp,user,host,bytes,bytes_out\n"
        f"{at(9)},an,www.hln.be,inf,0\n{at(9)},an,www.hln.be,1e300,0\n{at(9)},an,www.hln.be,5,-3\n"
        f"nan,an,www.hln.be,5,3\n{at(9)},an,www.hln.be,5,3\n"
    )
    result = importer.import_file(officer, csv)
    assert (result.imported, dict(result.reasons)) == (1, {"number": 1, "impossible": 2, "timestamp": 1})
    mail = tmp_path / "mail.log"
    mail.write_text(f"Nov 24 08:45:53 vm postfix/qmgr[1]: A1: from=<a@b.be>, size={2**80}, nrcpt=1 (queue active)\n")
    assert dict(importer.import_file(officer, mail).reasons) == {"impossible": 1}


def test_no_password_in_a_stored_url_nor_a_kept_line(
    book: Casebook, admin: Session, officer: Session, tmp_path: Path
) -> None:
    versions.update_settings(admin, {"keep_full_urls": "ja"})
    log = tmp_path / "u.log"
    log.write_text(
        line(ts=at(9), target="http://an:geheim123@www.hln.be/x?q=1")
        + "\n"
        + line(ts=at(9, 1), target="ftp://an:geheim123@files.example/")
        + "\n"
        + line(ts=at(9, 2), method="CONNECT", target="an:geheim123@www.hln.be:443")
        + "\n"
        + line(ts=at(9, 3), target="http://an:geheim123@[bad/")[:-20]
        + "\n"
    )
    result = importer.import_file(officer, log)
    assert (result.imported, result.rejected) == (3, 1)
    urls = [r[0] for r in book.store.conn.execute("SELECT url FROM events ORDER BY ts")]
    assert urls == ["http://www.hln.be/x?q=1", "ftp://files.example/", "www.hln.be:443"]
    assert "geheim123" not in "\n".join(book.store.conn.iterdump())


def test_a_mailbox_path_is_masked_in_a_kept_line(book: Casebook, officer: Session, tmp_path: Path) -> None:
    """Postfix's local deliveries, as a real Postfix writes them; their qmgr lines are missing here."""
    deliveries = [raw for raw in (DATA / "postfix-local.log").read_text().splitlines() if "postfix/local" in raw]
    assert any("delivered to file: /" in raw for raw in deliveries)
    log = tmp_path / "mail.log"
    log.write_text("\n".join(deliveries) + "\n")
    result = importer.import_file(officer, log, "postfix")
    assert result.reasons["unknown_queue_id"] == len(deliveries)
    samples = "\n".join(r[0] for r in book.store.conn.execute("SELECT sample FROM rejects"))
    assert "delivered to file: …" in samples and "an.devos" not in samples and "nobody-here" not in samples


def test_a_real_postfix_log(book: Casebook, admin: Session, officer: Session) -> None:
    versions.update_settings(admin, {"mail_domains": "dewerf.be"})
    result = importer.import_file(officer, DATA / "postfix-local.log")
    assert (result.format, result.rejected) == ("postfix", 0)
    mails = book.store.conn.execute("SELECT status, direction, size FROM mail_events ORDER BY id").fetchall()
    assert mails == [
        ("sent", "internal", 257),
        ("sent", "internal", 244),
        ("bounced", "internal", 244),
        ("sent", "incoming", 1993),
        ("deferred", "outgoing", 247),
        ("deferred", "outgoing", 247),  # tried again
    ]


# -- upload sizes ----------------------------------------------------------------------------------------


def test_request_sizes_from_a_squid_logformat_with_its_request_size(book: Casebook, officer: Session) -> None:
    """The lines a real Squid 5 writes with `logformat casebook ... %mt %>st` (see the README)."""
    result = importer.import_file(officer, DATA / "squid-sent.log")
    assert (result.format, result.imported, result.rejected) == ("squid", 4, 0)
    rows = book.store.conn.execute("SELECT method, bytes, sent FROM events ORDER BY ts").fetchall()
    assert rows == [("GET", 546, 139), ("POST", 546, 300209), ("GET", 546, 139), ("PUT", 546, 300205)]


def test_the_upload_rule_measures_what_was_sent_and_says_when_it_cannot(
    book: Casebook, controlled: Session, tmp_path: Path
) -> None:
    # Native Squid: a 90 MB reply to a POST is a download; the rule cannot tell what was sent.
    native = [{"ts": at(10, m, day=1), "host": "wetransfer.com", "method": "POST", "size": 90 * 2**20} for m in (1, 2)]
    importer.import_file(controlled, write(tmp_path / "native.log", native))
    report = rules.run(controlled)
    assert "large_uploads" not in {i.rule for i in rules.listing(controlled)}
    assert [(u.rule, u.days, u.requests) for u in report.unmeasured] == [("large_uploads", 1, 2)]
    # With %>st: 30 MB sent twice, small replies: over 50 MB sent, whatever the method (a tunnel, here).
    sized = [
        {"ts": at(10, m, day=2), "host": "wetransfer.com:443", "method": "CONNECT", "size": 4000, "sent": 30 * 2**20}
        for m in (1, 2)
    ]
    importer.import_file(controlled, write(tmp_path / "sized.log", sized))
    report = rules.run(controlled)
    assert report.unmeasured == ()
    (found,) = [i for i in rules.listing(controlled) if i.rule == "large_uploads"]
    assert found.figures["bytes"] == 60 * 2**20 and found.events == 2


# -- the rules look again only where imports brought something --------------------------------------------


def test_rules_run_only_on_the_days_imports_touched(
    book: Casebook, admin: Session, controlled: Session, tmp_path: Path
) -> None:
    week = [{"ts": at(10, day=d), "host": "www.hln.be"} for d in range(7)]
    importer.import_file(controlled, write(tmp_path / "week.log", week))
    assert rules.run(controlled).days == 7
    assert rules.run(controlled).days == 0  # nothing new
    importer.import_file(controlled, write(tmp_path / "more.log", [{"ts": at(11, day=3)}, {"ts": at(12, day=5)}]))
    assert rules.run(controlled).days == 2
    versions.update_settings(admin, {"denied_per_day": "3"})  # another threshold: every day again
    assert rules.run(controlled).days == 7
    versions.update_settings(admin, {"min_group_size": "7"})  # not a rule's: nothing to look at again
    assert rules.run(controlled).days == 0
