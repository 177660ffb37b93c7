"""The import: counts that match the file, pseudonyms only, atomic, deduplicated, continued, sessionised."""

from __future__ import annotations

import gc
import gzip
import shutil
from pathlib import Path

import pytest

from casebook import categories, users
from casebook.book import Casebook
from casebook.errors import CasebookError, Refused
from casebook.logs import importer
from casebook.policy import versions
from casebook.session import Session
from schema.roles import Role
from tests.conftest import PASSPHRASE, ready_with

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"
LINE = "{ts:.3f} {elapsed:6d} {client} TCP_MISS/200 {size} GET http://{host}/ {user} HIER_DIRECT/1.2.3.4 text/html"


def squid(path: Path, rows: list[dict[str, object]]) -> Path:
    """A squid log of the given requests (defaults for what a row leaves out)."""
    lines = []
    for row in rows:
        values = {"elapsed": 0, "client": "10.0.0.5", "size": 100, "host": "www.hln.be", "user": "-", **row}
        lines.append(LINE.format(**values))
    path.write_text("\n".join(lines) + "\n")
    return path


def count(book: Casebook, table: str, where: str = "") -> int:
    return int(book.store.query_one(f"SELECT count(*) AS n FROM {table} {where}")["n"])  # type: ignore[index]


def all_text(book: Casebook) -> str:
    return "\n".join(book.store.conn.iterdump())


def test_sample_squid_log(book: Casebook, officer: Session) -> None:
    result = importer.import_file(officer, SAMPLES / "squid-access.log")
    raw = (SAMPLES / "squid-access.log").read_bytes()
    # A record ends at a newline or a NUL; the last one, without its end, is left for later.
    assert result.lines == raw.count(b"\n") + raw.count(b"\x00") and result.pending
    assert (result.rejected, result.imported) == (8, result.lines - 8)
    assert result.reasons["future"] == 1 and "nul" not in result.reasons
    assert count(book, "events") == result.imported
    kept = book.store.query("SELECT line_no, reason, sample FROM rejects ORDER BY line_no")
    assert len(kept) == 8
    assert all("\x1b" not in r["sample"] and "\x00" not in r["sample"] for r in kept)
    lines = raw.replace(b"\x00", b"\n").split(b"\n")
    first = kept[0]
    assert first["sample"][:5] == lines[first["line_no"] - 1].decode("utf-8", "replace")[:5]


def test_no_identifier_in_clear(book: Casebook, officer: Session) -> None:
    for name in ("squid-access.log", "squid-combined.log", "postfix-mail.log", "firewall.csv"):
        importer.import_file(officer, SAMPLES / name)
    dump = all_text(book)
    for secret in ("iclaes", "ewillems", "10.20.0.10", "10.20.1.30", "jan.vermeulen@dewerf.be", "jan@gmail.com"):
        assert secret not in dump, secret
    assert count(book, "mail_events") > 0 and count(book, "events") > 0


def test_one_person_one_pseudonym_across_formats(book: Casebook, officer: Session, tmp_path: Path) -> None:
    squid(tmp_path / "a.log", [{"ts": 1762070400, "user": "DEWERF\\IClaes"}])
    (tmp_path / "b.log").write_text(
        '10.9.9.9 - iclaes@DEWERF.LOCAL [02/Nov/2026:09:15:02 +0100] "GET http://x.be/ HTTP/1.1" 200 5\n'
    )
    importer.import_file(officer, tmp_path / "a.log")
    importer.import_file(officer, tmp_path / "b.log")
    assert count(book, "pseudonyms") == 1


def test_same_content_is_skipped(book: Casebook, officer: Session, tmp_path: Path) -> None:
    first = importer.import_file(officer, SAMPLES / "squid-combined.log")
    again = importer.import_file(officer, SAMPLES / "squid-combined.log")
    copy = importer.import_file(officer, Path(shutil.copy(SAMPLES / "squid-combined.log", tmp_path / "copy.log")))
    assert (again.skipped, copy.skipped) == ("already_imported", "already_imported")
    assert count(book, "events") == first.imported
    assert count(book, "imports") == 1


def test_grown_log_imports_only_the_new_lines(book: Casebook, officer: Session, tmp_path: Path) -> None:
    log = squid(tmp_path / "access.log", [{"ts": 1762070400 + i} for i in range(5)])
    importer.import_file(officer, log)
    with log.open("a") as handle:
        handle.write(LINE.format(ts=1762070500, elapsed=0, client="10.0.0.6", size=7, host="x.be", user="-") + "\n")
        handle.write("garbage\n")
    grown = importer.import_file(officer, log)
    assert (grown.lines, grown.imported, grown.rejected) == (2, 1, 1)
    assert count(book, "events") == 6
    assert book.store.query_one("SELECT line_no FROM rejects")["line_no"] == 7  # type: ignore[index]


def test_truncated_last_line_is_read_when_complete(book: Casebook, officer: Session, tmp_path: Path) -> None:
    full = LINE.format(ts=1762070401, elapsed=0, client="10.0.0.6", size=7, host="x.be", user="-")
    log = tmp_path / "access.log"
    log.write_text(
        LINE.format(ts=1762070400, elapsed=0, client="10.0.0.5", size=7, host="x.be", user="-") + "\n" + full[:30]
    )
    first = importer.import_file(officer, log)
    assert (first.lines, first.imported, first.rejected, first.pending) == (1, 1, 0, True)
    log.write_text(log.read_text() + full[30:] + "\n")
    second = importer.import_file(officer, log)
    assert (second.lines, second.imported, second.rejected) == (1, 1, 0)
    assert count(book, "events") == 2


def power_cut(monkeypatch: pytest.MonkeyPatch, at: int = 1) -> None:
    """A crash as the `at`-th request is taken, whichever way it is taken (a request's line in one step, or by
    parse() and hit())."""
    calls = {"n": 0}

    def tick() -> None:
        calls["n"] += 1
        if calls["n"] >= at:
            raise RuntimeError("power cut")

    real_hit, real_lines = importer._Run.hit, importer._Run.requests

    def hit(self: importer._Run, event: object) -> None:
        tick()
        real_hit(self, event)  # type: ignore[arg-type]

    def requests(self: importer._Run, parser: object, latest: float) -> object:
        take = real_lines(self, parser, latest)  # type: ignore[arg-type]

        def taking(line: str) -> float | None:
            tick()
            return take(line)

        return taking

    monkeypatch.setattr(importer._Run, "hit", hit)
    monkeypatch.setattr(importer._Run, "requests", requests)


class _Undo(Exception):
    pass


def _taken_both_ways(book: Casebook, officer: Session, log: Path, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What an import of `log` writes, its lines taken in one step and then by parse() and hit(); each import
    rolled back, so the second reads the file anew."""
    found = []
    for fused in (True, False):
        with monkeypatch.context() as patch:
            if not fused:
                patch.setattr(importer._Run, "requests", lambda self, parser, latest: None)
            try:
                with book.store.transaction():
                    result = importer.import_file(officer, log)
                    rows = {
                        table: book.store.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                        for table in ("events", "rejects", "visits", "pseudonyms", "hosts", "rollup_hourly")
                    }
                    raise _Undo((result.lines, result.imported, result.rejected, dict(result.reasons), rows))
            except _Undo as undo:
                found.append(undo.args[0])
    return found


def test_lines_taken_in_one_step_as_parse_and_hit_take_them(
    book: Casebook, officer: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ts = 1762070400
    lines = [
        f"{ts}.001 120 10.0.0.5 TCP_MISS/200 1234 GET http://www.hln.be/a?b=c - HIER_DIRECT/1.2.3.4 text/html",
        f"{ts}.002 99 10.0.0.5 TCP_TUNNEL/200 500 CONNECT mail.google.com:443 Jan HIER_DIRECT/1.2.3.4 -",
        f"{ts}.003 99 10.0.0.6 TCP_TUNNEL/200 500 CONNECT mail.google.com:443 jan HIER_DIRECT/1.2.3.4 - 77",
        f"{ts}.004 5 10.0.0.6 TCP_DENIED/403 0 get http://u:p@Casino.example/x - HIER_NONE/- text/html",
        f"{ts}.005 5 10.0.0.6 TCP_MISS/407 0 GET http://www.hln.be/ - HIER_NONE/-",
        f"{ts}.006 5 10.0.0.6 TCP_MISS/200 10 GET http://www.hln.be/i.png - HIER_DIRECT/1.2.3.4 image/png",
        f"{ts}.007 5 10.0.0.6 TCP_MISS/200 10 GET http://www.hln.be/ - HIER_DIRECT/1.2.3.4 text/html 2",
        f"{ts}.008 5 10.0.0.6 TCP_MISS/200 10 GET /local - HIER_DIRECT/1.2.3.4 text/html",
        f"{ts}.009 5 10.0.0.6 TCP_MISS/200 10 GET http://[::1 - HIER_DIRECT/1.2.3.4 text/html",
        f"{ts}.010 5 10.0.0.6 TCP_MISS/200 -1 GET http://www.hln.be/ - HIER_DIRECT/1.2.3.4 text/html",
        f"{ts}.011 5 10.0.0.6 TCP_MISS/200 1 GET http://www.hln.be/ - HIER_DIRECT/1.2.3.4 text/html {2**41}",
        f"{ts}.012 x 10.0.0.6 TCP_MISS/200 1 GET http://www.hln.be/ - HIER_DIRECT/1.2.3.4 text/html",
        f"{ts}.013 5 10.0.0.6 TCP_MISS/abc 1 GET http://www.hln.be/ - HIER_DIRECT/1.2.3.4 text/html",
        "inf 5 10.0.0.6 TCP_MISS/200 1 GET http://www.hln.be/ - HIER_DIRECT/1.2.3.4 text/html",
        "-5 5 10.0.0.6 TCP_MISS/200 1 GET http://www.hln.be/ - HIER_DIRECT/1.2.3.4 text/html",
        f"{ts + 10**8} 5 10.0.0.6 TCP_MISS/200 1 GET http://www.hln.be/ - HIER_DIRECT/1.2.3.4 text/html",
        f"{ts}.014 5 10.0.0.6 TCP_MISS/200 1 GET",
        f"{ts}.015 {10**9} 10.0.0.6 TCP_MISS/200 1 GET http://www.hln.be/ - HIER_DIRECT/1.2.3.4 text/html",
        f"{ts + 4000}.1 5 10.0.0.5 TCP_MISS/200 1 GET http://www.hln.be/z - HIER_DIRECT/1.2.3.4 text/html",
    ]
    log = tmp_path / "mixed.log"
    log.write_text("\n".join(lines) + "\n")
    fused, by_parse = _taken_both_ways(book, officer, log, monkeypatch)
    assert fused == by_parse
    assert fused[1] >= 6 and fused[2] >= 9  # the lines above: both kinds, every reason tried


def test_crash_mid_import_leaves_nothing(book: Casebook, officer: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {
        t: count(book, t) for t in ("imports", "events", "visits", "pseudonyms", "hosts", "rollup_hourly", "audit")
    }
    power_cut(monkeypatch, at=300)
    with pytest.raises(RuntimeError):
        importer.import_file(officer, SAMPLES / "squid-access.log")
    assert {t: count(book, t) for t in before} == before


def test_cancel_keeps_nothing(book: Casebook, officer: Session, tmp_path: Path) -> None:
    log = squid(tmp_path / "big.log", [{"ts": 1762070400 + i} for i in range(25_000)])
    seen = []
    with pytest.raises(importer.Cancelled):
        importer.import_file(officer, log, progress=seen.append, cancelled=lambda: len(seen) >= 1)
    assert count(book, "imports") == 0 and count(book, "events") == 0
    assert importer.import_file(officer, log).imported == 25_000  # and it can be imported after all


def _collector() -> tuple[bool, int]:
    return gc.isenabled(), gc.get_freeze_count()


def test_the_collector_is_paused_while_a_file_is_read_and_put_back_however_it_ends(
    book: Casebook, officer: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = squid(tmp_path / "big.log", [{"ts": 1762070400 + i} for i in range(12_000)])
    before = _collector()
    assert before == (True, 0)
    during: list[tuple[bool, int]] = []
    importer.import_file(officer, log, progress=lambda _: during.append(_collector()))
    assert during and all(not enabled and frozen > 0 for enabled, frozen in during)
    assert _collector() == before
    with pytest.raises(importer.Cancelled):
        importer.import_file(
            officer,
            squid(tmp_path / "other.log", [{"ts": 1762080400 + i} for i in range(12_000)]),
            cancelled=lambda: True,
        )
    assert _collector() == before
    power_cut(monkeypatch)
    with pytest.raises(RuntimeError):
        importer.import_file(officer, squid(tmp_path / "third.log", [{"ts": 1762090400}]))
    assert _collector() == before
    gc.disable()  # a program that runs without the collector keeps it so
    try:
        with pytest.raises(RuntimeError):
            importer.import_file(officer, squid(tmp_path / "fourth.log", [{"ts": 1762090500}]))
        assert _collector() == (False, 0)
    finally:
        gc.enable()


def test_gzip_is_read_transparently(book: Casebook, officer: Session) -> None:
    result = importer.import_file(officer, SAMPLES / "squid-access.log.1.gz")
    with gzip.open(SAMPLES / "squid-access.log.1.gz") as handle:
        assert result.imported == sum(1 for _ in handle)


def test_visits_merge_intervals_not_elapsed_sums(book: Casebook, officer: Session, tmp_path: Path) -> None:
    t0 = 1762070400
    log = squid(
        tmp_path / "v.log",
        [
            {"ts": t0 + 3600, "elapsed": 3_600_000, "host": "www.facebook.com:443"},  # a tunnel open for an hour
            {"ts": t0 + 600, "elapsed": 1000, "host": "www.facebook.com"},  # requests inside it
            {"ts": t0 + 1200, "elapsed": 1000, "host": "www.facebook.com"},
            {"ts": t0 + 9000, "elapsed": 2000, "host": "www.facebook.com"},  # much later: a new visit
            {"ts": t0 + 9100, "elapsed": 0, "host": "www.facebook.com"},
        ],
    )
    importer.import_file(officer, log)
    visits = book.store.query("SELECT start, end, requests FROM visits ORDER BY start")
    assert [(v["end"] - v["start"], v["requests"]) for v in visits] == [(3600, 3), (102, 2)]
    # Summing elapsed would have said 3600 + 1 + 1 + 2 seconds.
    assert book.store.query_one("SELECT sum(seconds) AS s FROM rollup_hourly")["s"] == 3702  # type: ignore[index]


def test_visit_gap_follows_the_setting(book: Casebook, admin: Session, officer: Session, tmp_path: Path) -> None:
    from casebook import settings

    settings.set_value(admin, "visit_gap_minutes", "1")
    squid(tmp_path / "g.log", [{"ts": 1762070400}, {"ts": 1762070400 + 120}])
    importer.import_file(officer, tmp_path / "g.log")
    assert count(book, "visits") == 2


def test_rollups_add_up_to_the_events(book: Casebook, officer: Session) -> None:
    importer.import_file(officer, SAMPLES / "squid-access.log")
    totals = book.store.query_one("SELECT sum(requests) AS r, sum(bytes) AS b FROM rollup_hourly")
    events = book.store.query_one("SELECT count(*) AS r, sum(bytes) AS b FROM events")
    assert (totals["r"], totals["b"]) == (events["r"], events["b"])  # type: ignore[index]
    mismatched = book.store.query(
        "SELECT r.hour, r.site_id, r.users, (SELECT count(DISTINCT e.pseudonym_id) FROM events e "
        "JOIN hosts h ON h.id = e.host_id WHERE h.site_id = r.site_id AND CAST(e.ts / 3600 AS INTEGER) = r.hour)"
        " AS counted FROM rollup_hourly r WHERE r.users != counted"
    )
    assert mismatched == []


def test_distinct_users_stay_exact_across_imports(book: Casebook, officer: Session, tmp_path: Path) -> None:
    t0 = 1762070400
    importer.import_file(officer, squid(tmp_path / "a.log", [{"ts": t0, "client": "10.0.0.1"}]))
    importer.import_file(
        officer,
        squid(tmp_path / "b.log", [{"ts": t0 + 60, "client": "10.0.0.1"}, {"ts": t0 + 90, "client": "10.0.0.2"}]),
    )
    row = book.store.query_one("SELECT requests, users FROM rollup_hourly")
    assert (row["requests"], row["users"]) == (3, 2)  # type: ignore[index]


def test_full_urls_only_when_the_policy_keeps_them(
    book: Casebook, admin: Session, officer: Session, tmp_path: Path
) -> None:
    log = squid(tmp_path / "u.log", [{"ts": 1762070400, "host": "www.hln.be/[red]x[/red]?q=\x1b[2J"}])
    importer.import_file(officer, log)
    assert book.store.query_one("SELECT url FROM events")["url"] is None  # type: ignore[index]
    versions.update_settings(admin, {"keep_full_urls": "ja"})
    importer.import_file(officer, squid(tmp_path / "u2.log", [{"ts": 1762070401, "host": "www.hln.be/[red]x"}]))
    kept = book.store.query("SELECT url FROM events WHERE url IS NOT NULL")
    assert [r["url"] for r in kept] == ["http://www.hln.be/[red]x/"]  # stored as written, shown as plain text


def test_mail_direction_follows_the_policy_domains(book: Casebook, admin: Session, officer: Session) -> None:
    versions.update_settings(admin, {"mail_domains": "dewerf.be"})
    importer.import_file(officer, SAMPLES / "postfix-mail.log")
    directions = {r["direction"] for r in book.store.query("SELECT DISTINCT direction FROM mail_events")}
    assert {"internal", "outgoing", "incoming"} <= directions


def test_categories(book: Casebook, officer: Session, tmp_path: Path) -> None:
    importer.import_file(
        officer,
        squid(
            tmp_path / "c.log",
            [
                {"ts": 1762070400, "host": "www.facebook.com"},
                {"ts": 1762070401, "host": "mail.google.com"},
                {"ts": 1762070402, "host": "www.google.com"},
            ],
        ),
    )
    found = {r["domain"]: r["category"] for r in book.store.query("SELECT domain, category FROM domains")}
    assert found == {"facebook.com": "social", "google.com": "webmail"} or found["facebook.com"] == "social"


def test_imported_lists_come_first(book: Casebook, officer: Session, tmp_path: Path) -> None:
    lists = tmp_path / "ut1"
    (lists / "gambling").mkdir(parents=True)
    (lists / "gambling" / "domains").write_text("casino.example\n# a comment\n.poker.example\n")
    (lists / "LICENSE").write_text("CC BY-SA 4.0\n")
    done = categories.import_lists(officer, lists)
    assert (done.categories, done.domains) == (1, 2)
    assert done.attribution == "CC BY-SA 4.0"  # the lists' own licence, not a name guessed for them
    assert categories.categorise(book.store, "www.casino.example") == "gambling"
    assert categories.categorise(book.store, "www.facebook.com") == "social"
    assert categories.categorise(book.store, "www.unknown.example") is None


@pytest.mark.parametrize(
    ("content", "fmt", "expect"),
    [
        (b"", None, "skipped:empty"),
        (
            b"x" * 1_048_576
            + b"\n"
            + LINE.format(ts=1762070400, elapsed=0, client="10.0.0.5", size=1, host="a.be", user="-").encode()
            + b"\n",
            "squid",
            "1/1",
        ),
        (
            LINE.format(ts=1762070400, elapsed=0, client="10.0.0.5", size=1, host="a.be", user="-").encode() + b"\n",
            "postfix",
            "0/1",
        ),
        (
            b"\n".join(
                LINE.format(
                    ts=1762070400 - i * 60, elapsed=0, client="10.0.0.5", size=1, host="a.be", user="-"
                ).encode()
                for i in range(5)
            )
            + b"\n",
            None,
            "5/0",
        ),
    ],
    ids=["empty", "one-megabyte-line", "forced-wrong-format", "out-of-order"],
)
def test_named_cases(
    book: Casebook, officer: Session, tmp_path: Path, content: bytes, fmt: str | None, expect: str
) -> None:
    path = tmp_path / "case.log"
    path.write_bytes(content)
    result = importer.import_file(officer, path, fmt)
    if expect.startswith("skipped:"):
        assert result.skipped == expect.split(":")[1]
    else:
        imported, rejected = (int(x) for x in expect.split("/"))
        assert (result.imported, result.rejected) == (imported, rejected)


def test_binary_file_is_not_a_log(book: Casebook, officer: Session, tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(CasebookError) as error:
        importer.import_file(officer, path)
    assert error.value.key == "logs.error.unknown_format"


def test_missing_file(book: Casebook, officer: Session, tmp_path: Path) -> None:
    with pytest.raises(CasebookError) as error:
        importer.import_file(officer, tmp_path / "nope.log")
    assert error.value.key == "logs.error.missing"


def test_only_the_it_officer_imports(book: Casebook, people: dict[str, Session]) -> None:
    for name in ("admin", "sofie", "bert", "eva"):
        with pytest.raises(Refused) as refusal:
            importer.import_file(people[name], SAMPLES / "squid-access.log")
        assert refusal.value.rule == "role.required"


def test_nothing_is_imported_while_the_policy_is_not_ready(
    book: Casebook, admin: Session, people: dict[str, Session]
) -> None:
    """Importing logs is installing the control (CAO 81 art. 9): refused, naming the rule, before a byte is read."""
    with pytest.raises(Refused) as refusal:
        importer.import_file(people["ilse"], SAMPLES / "squid-access.log")
    assert refusal.value.rule == "control.policy_ready"
    assert "Naam organisatie" in refusal.value.message  # what still blocks it, the first of them
    assert (count(book, "imports"), count(book, "events"), count(book, "pseudonyms")) == (0, 0, 0)
    ready_with(admin)
    assert importer.import_file(people["ilse"], SAMPLES / "squid-access.log").imported > 0
    # A change of the control the body has not heard of yet blocks the policy again: imports stop with it.
    versions.update_settings(admin, {"purposes": "1,2,3,4"})
    with pytest.raises(Refused) as again:
        importer.import_file(people["ilse"], SAMPLES / "postfix-mail.log")
    assert again.value.rule == "control.policy_ready" and "Weerhouden controledoelstellingen" in again.value.message


def test_sample_files_are_the_generators_output(tmp_path: Path) -> None:
    """sample_logs/ can be made again: `python -m casebook.demo_data.synth samples sample_logs`."""
    from casebook.demo_data import synth

    synth.write_samples(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in SAMPLES.iterdir())
    for made in tmp_path.iterdir():
        assert made.read_bytes() == (SAMPLES / made.name).read_bytes(), made.name


def test_day_level_rollups_agree_with_the_events(book: Casebook, officer: Session) -> None:
    importer.import_file(officer, SAMPLES / "squid-access.log")
    importer.import_file(officer, SAMPLES / "squid-access.log.1.gz")
    store = book.store
    events = store.query_one("SELECT count(*) AS n, sum(bytes) AS b FROM events")
    for table in ("rollup_daily", "rollup_hours"):
        row = store.query_one(f"SELECT sum(requests) AS n, sum(bytes) AS b FROM {table}")
        assert (row["n"], row["b"]) == (events["n"], events["b"]), table  # type: ignore[index]
    assert store.query_one("SELECT sum(visits) AS n FROM rollup_durations")["n"] == count(book, "visits")  # type: ignore[index]
    from datetime import datetime

    from casebook.clock import LOCAL_ZONE

    expected: set[tuple[int, int, int]] = set()
    for row in store.query("SELECT e.ts, h.domain_id, e.pseudonym_id FROM events e JOIN hosts h ON h.id = e.host_id"):
        day = datetime.fromtimestamp(row["ts"], LOCAL_ZONE).date().toordinal()
        expected.add((row["domain_id"], day, row["pseudonym_id"]))
    stored = {(r["domain_id"], r["day"], r["pseudonym_id"]) for r in store.query("SELECT * FROM rollup_daily_users")}
    assert stored == expected
    people = store.query_one("SELECT count(DISTINCT pseudonym_id) AS n FROM rollup_category_users")
    assert people["n"] == count(book, "pseudonyms")  # type: ignore[index]


def test_writing_hours_early_gives_the_same_figures(
    book: Casebook, officer: Session, admin: Session, home: Path, monkeypatch: pytest.MonkeyPatch, clock: object
) -> None:
    """Hours written out during a long import (to keep memory flat) add up to what one write at the end gives."""
    from casebook.book import init_casebook

    tables = (
        "rollup_hourly",
        "rollup_users",
        "rollup_daily",
        "rollup_daily_users",
        "rollup_category_users",
        "rollup_durations",
        "rollup_hours",
        "rollup_hour_users",
    )

    def figures(target: Casebook) -> dict[str, list[tuple[object, ...]]]:
        return {t: sorted(tuple(r.values()) for r in target.store.query(f"SELECT * FROM {t}")) for t in tables}

    importer.import_file(officer, SAMPLES / "squid-access.log")
    once = figures(book)
    other = init_casebook(home.parent / "other", "admin", PASSPHRASE, clock=clock)  # type: ignore[arg-type]
    try:
        other_admin = other.login("admin", PASSPHRASE)
        ready_with(other_admin)
        users.add_user(other_admin, "ilse", [Role.IT_OFFICER], PASSPHRASE)
        monkeypatch.setattr(importer, "SWEEP_SECONDS", 60)
        importer.import_file(other.login("ilse", PASSPHRASE), SAMPLES / "squid-access.log")
        assert figures(other) == once
    finally:
        other.close()
