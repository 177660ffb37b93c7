"""The `visits` format: visits a log platform aggregated, imported as visits only, pseudonymised at the door,
figuring in the overview as the same requests imported one by one would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook import cases, retention, rules, users
from casebook.book import Casebook, init_casebook
from casebook.clock import LOCAL_ZONE
from casebook.demo_data.synth import VISITS_HEADER, aggregate
from casebook.errors import Refused
from casebook.logs import formats, importer, removal, rollups, shares, visitlog
from casebook.logs.hits import MAX_BYTES, Reject
from casebook.policy import versions
from casebook.session import Session
from schema.roles import Role
from tests.conftest import NOW, PASSPHRASE, ready_with
from tests.core.test_cases import World, event_case, world  # noqa: F401 (world: the cases' fixture)
from tests.core.test_log_evidence import MONDAY, _dump, _tables, at, line

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"
REFERENCE = NOW.timestamp()


def count(book: Casebook, table: str) -> int:
    return int(book.store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def csv(path: Path, rows: list[str], header: str = VISITS_HEADER) -> Path:
    path.write_text("".join(f"{row}\n" for row in [header, *rows]))
    return path


def row(
    who: str = "an", host: str = "www.hln.be", start: float = 0, end: float = 0, n: int = 1, down: int = 100
) -> str:
    return f"{who},,{host},{start:.3f},{end:.3f},{n},{down},0,0"


@pytest.fixture
def controlled(admin: Session, officer: Session) -> Session:
    """Every purpose, permanent control, groups of one shown (the figures are the point here)."""
    ready_with(
        admin,
        purposes="1,2,3,4",
        control_mode="permanent",
        control_justification="een netwerk met gevoelige gegevens van cliënten",
        working_hours="08:30-17:00",
        private_minutes_per_day="30",
        min_group_size="1",
    )
    return officer


@pytest.fixture
def other(book: Casebook, home: Path, clock: object) -> Iterator[Session]:
    """An IT officer in a second casebook with the first one's key: the same people, the same pseudonyms."""
    folder = home.parent / "other"
    folder.mkdir(mode=0o700)
    (folder / "casebook.key").write_bytes(book.files.key.read_bytes())
    (folder / "casebook.key").chmod(0o600)
    second = init_casebook(folder, "admin", PASSPHRASE, clock=clock)  # type: ignore[arg-type]
    ready_with(second.login("admin", PASSPHRASE))
    users.add_user(second.login("admin", PASSPHRASE), "ilse", [Role.IT_OFFICER], PASSPHRASE)
    yield second.login("ilse", PASSPHRASE)
    second.close()


# -- reading a row -----------------------------------------------------------------------------------------


def parsed(header: str, text: str) -> visitlog.Span | None:
    parser = visitlog.Parser(REFERENCE, header)
    return parser.parse(text)


def test_a_row_in_epoch_seconds_and_in_iso_8601() -> None:
    epoch = parsed(VISITS_HEADER, "an,10.0.0.5,www.hln.be,1763280000,1763280120.5,12,34567,890,1")
    iso = parsed(
        VISITS_HEADER, "an,10.0.0.5,www.hln.be,2025-11-16T09:00:00+01:00,2025-11-16T08:02:00.5Z,12,34567,890,1"
    )
    assert epoch == visitlog.Span(1763280000, 1763280120.5, "an", "user", "http://www.hln.be/", 12, 34567)
    assert iso == epoch


@pytest.mark.parametrize(
    ("header", "text", "who"),
    [
        ("client,host,start,end,requests,bytes_down", "10.0.0.5,x.be,10,20,1,5", ("10.0.0.5", "ip")),
        ("user,host,start,end,requests,bytes_down", "an,x.be,10,20,1,5", ("an", "user")),
        # Both: the user when the row names one, else the client (a proxy without authentication for some).
        (VISITS_HEADER, ",10.0.0.5,x.be,10,20,1,5,0,0", ("10.0.0.5", "ip")),
        (VISITS_HEADER, "-,10.0.0.5,x.be,10,20,1,5,0,0", ("10.0.0.5", "ip")),
        # Any order, any case, the aliases, bytes_up and denied optional.
        ("Requests,END,Start,Bytes,Host,Client_IP", "1,20,10,5,x.be,10.0.0.5", ("10.0.0.5", "ip")),
    ],
)
def test_header_variants(header: str, text: str, who: tuple[str, str]) -> None:
    span = parsed(header, text)
    assert span is not None and (span.identity, span.identity_kind) == who
    assert (span.ts, span.end, span.requests, span.bytes) == (10, 20, 1, 5)


@pytest.mark.parametrize(
    "header",
    [
        "host,start,end,requests,bytes_down",  # nobody
        "user,start,end,requests,bytes_down",  # no host
        "user,host,end,requests,bytes_down",  # no start
        "user,host,start,end,bytes_down",  # no requests
        "user,host,start,end,requests",  # no bytes
    ],
)
def test_a_header_without_a_column_it_needs(header: str) -> None:
    with pytest.raises(Reject) as rejected:
        visitlog.Parser(REFERENCE).parse(header)
    assert rejected.value.reason == "visits_header"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("an,,x.be,10,20,1,5,0", "field_count"),
        ("an,,x.be,10,20\r,1,5,0,0", "syntax"),
        ("an,,x.be,yesterday,20,1,5,0,0", "timestamp"),
        ("an,,x.be,10,nan,1,5,0,0", "timestamp"),
        ("an,,x.be,20,10,1,5,0,0", "visit_order"),
        (f"an,,x.be,10,{10 + visitlog.MAX_VISIT_SECONDS + 1},1,5,0,0", "visit_too_long"),
        (f"an,,x.be,{REFERENCE},{REFERENCE + 2 * 86400},1,5,0,0", "future"),
        (",,x.be,10,20,1,5,0,0", "no_identity"),
        ("an,,,10,20,1,5,0,0", "no_host"),
        ("an,,x.be,10,20,0,5,0,0", "visit_counts"),
        ("an,,x.be,10,20,-3,5,0,0", "visit_counts"),
        (f"an,,x.be,10,20,{visitlog.MAX_VISIT_REQUESTS + 1},5,0,0", "visit_counts"),
        ("an,,x.be,10,20,2,5,0,3", "visit_counts"),
        ("an,,x.be,10,20,2,-5,0,0", "visit_counts"),
        (f"an,,x.be,10,20,2,{MAX_BYTES + 1},0,0", "visit_counts"),
        (f"an,,x.be,10,20,2,5,{MAX_BYTES + 1},0", "visit_counts"),
        ("an,,x.be,10,20,2.5,5,0,0", "number"),
        ("an,,x.be,10,20,two,5,0,0", "number"),
        ("an,,x.be,10,20,2,inf,0,0", "number"),
    ],
)
def test_every_kind_of_bad_row(text: str, reason: str) -> None:
    with pytest.raises(Reject) as rejected:
        parsed(VISITS_HEADER, text)
    assert rejected.value.reason == reason


cells = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(2**62), max_value=2**62).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "-", "an", "10.0.0.5", "www.hln.be", "1763280000", "2025-11-16T09:00:00+01:00"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(cells, min_size=7, max_size=11).map(",".join))
def test_a_row_is_a_visit_within_its_bounds_or_a_rejected_line(text: str) -> None:
    try:
        span = parsed(VISITS_HEADER, text)
    except Reject as reject:
        assert reject.reason
        return
    assert span is not None
    assert 0 <= span.end - span.ts <= visitlog.MAX_VISIT_SECONDS and span.end <= REFERENCE + 86400
    assert 1 <= span.requests <= visitlog.MAX_VISIT_REQUESTS and 0 <= span.bytes <= MAX_BYTES
    assert span.identity and span.identity_kind in ("user", "ip")


def test_clickhouse_csv_with_names_as_it_writes_it() -> None:
    """The README's query ends in FORMAT CSVWithNames: every name and string quoted, numbers bare."""
    header = '"user","client","host","start","end","requests","bytes_down","bytes_up","denied"'
    first = '"DEWERF\\kbakkali","","teams.microsoft.com",1793606400.123,1793606700.5,14,803211,5120,0'
    assert formats.detect([header, first]) == "visits"
    span = parsed(header, first)
    assert span == visitlog.Span(
        1793606400.123, 1793606700.5, "DEWERF\\kbakkali", "user", "http://teams.microsoft.com/", 14, 803211
    )


def test_detected_by_its_header_and_not_taken_for_a_per_request_csv() -> None:
    assert formats.detect([VISITS_HEADER, "an,,x.be,10,20,1,5,0,0"]) == "visits"
    assert formats.detect(["client,host,start,end,requests,bytes_down"]) == "visits"
    firewall = (SAMPLES / "firewall.csv").read_text().splitlines()[:5]
    assert formats.detect(firewall) == "csv"
    assert formats.detect((SAMPLES / "visits.csv").read_text().splitlines()[:5]) == "visits"


# -- shared out over the hours -------------------------------------------------------------------------------


def test_requests_and_bytes_shared_out_by_the_time_spent_in_each_hour() -> None:
    hour = 500_000
    # 30 minutes in the first hour, 60 in the second, 30 in the third: a quarter, a half, a quarter.
    assert shares.by_hour(hour * 3600 + 1800, hour * 3600 + 2 * 3600 + 1800, 8, 1001) == [
        (hour, 2, 250),
        (hour + 1, 4, 501),
        (hour + 2, 2, 250),
    ]
    # One request counts once, in the hour the visit spent most time in; no hour without a request.
    assert shares.by_hour(hour * 3600 + 3590, hour * 3600 + 3630, 1, 7) == [(hour + 1, 1, 7)]
    assert shares.by_hour(hour * 3600 + 10, hour * 3600 + 10, 3, 9) == [(hour, 3, 9)]
    for start, end, n, size in ((0.3, 7201.1, 7, 10), (100, 86000, 1000, 2**40), (3599.9, 3600.1, 2, 1)):
        found = shares.by_hour(start, end, n, size)
        assert sum(r for _, r, _ in found) == n and sum(b for _, _, b in found) == size
        assert all(r > 0 for _, r, _ in found)


# -- an import: visits only, the overview as the requests would give it ------------------------------------


def office_day() -> list[str]:
    """Requests of three people on one Monday, in time order: visits within hours, two hosts of one site,
    a pause longer than the gap, a tunnel."""
    rows: list[dict[str, object]] = []
    for who, user in ((1, "an"), (2, "bo"), (3, "-")):
        person = {"user": user, "client": f"10.0.0.{who}"}
        for minute in range(2, 50, 4):
            rows.append({"ts": at(9, minute + who / 10), **person})
            rows.append({"ts": at(9, minute + 1 + who / 10), "host": "static.hln.be", "size": 40, **person})
        rows.append({"ts": at(10, 5 * who), "host": "www.facebook.com", "size": 5000, **person})
        rows.append({"ts": at(13, 20 + who), "host": "www.facebook.com", "size": 70, **person})
        rows.append({"ts": at(14, 30), "elapsed": 600_000, "host": "teams.microsoft.com:443", **person})
    return [line(**r) for r in sorted(rows, key=lambda r: float(r["ts"]))]  # type: ignore[arg-type]


def test_a_visits_import_gives_the_overview_of_its_requests(
    book: Casebook, officer: Session, other: Session, tmp_path: Path
) -> None:
    requests = office_day()
    (tmp_path / "access.log").write_text("\n".join(requests) + "\n")
    importer.import_file(officer, tmp_path / "access.log")
    visits = csv(tmp_path / "visits.csv", aggregate(requests)[1:])
    done = importer.import_file(other, visits, "visits")
    assert (done.format, done.imported, done.rejected, done.not_events) == (
        "visits",
        len(visits.read_text().splitlines()) - 1,
        0,
        1,
    )
    second = other.casebook
    assert count(second, "events") == 0
    per_request, aggregated = _tables(book), _tables(second)
    # www.hln.be and static.hln.be are one site: the platform's visit of each host became one visit again.
    assert aggregated["visits"] == per_request["visits"]
    del per_request["events"], aggregated["events"]
    assert aggregated == per_request
    day = MONDAY.date()
    span = rollups.period("custom", day, day, day)
    totals = rollups.totals(other, span)
    assert (totals.requests, totals.visits) == (3 * (24 + 3), 3 * (1 + 2 + 1))
    assert (
        second.store.conn.execute("SELECT count(DISTINCT pseudonym_id) FROM rollup_category_users").fetchone()[0] == 3
    )
    assert totals == rollups.totals(officer, span)
    assert rollups.hours_of_day(other, span) == rollups.hours_of_day(officer, span)
    assert rollups.durations(other, span) == rollups.durations(officer, span)


def test_only_pseudonyms_are_kept(book: Casebook, officer: Session) -> None:
    result = importer.import_file(officer, SAMPLES / "visits.csv")
    assert (result.format, result.rejected) == ("visits", 3)
    assert set(result.reasons) == {"visit_order", "visit_counts", "visit_too_long"}
    dump = "\n".join(book.store.conn.iterdump())
    for secret in ("kbakkali", "ewillems", "10.20.1.30", "DEWERF"):
        assert secret not in dump, secret
    samples = [r["sample"] for r in book.store.query("SELECT sample FROM rejects")]
    assert len(samples) == 3 and not any("ewillems" in s or "10.20.1.30" in s for s in samples)
    assert count(book, "events") == 0 and count(book, "visits") > 0


def test_a_visit_over_hours_counts_its_people_in_each_of_them(book: Casebook, officer: Session, tmp_path: Path) -> None:
    start, end = at(9, 30), at(12, 30)
    importer.import_file(officer, csv(tmp_path / "v.csv", [row("an", "x.be", start, end, 300, 3000)]))
    hourly = book.store.query("SELECT hour, requests, bytes, visits, users FROM rollup_hourly ORDER BY hour")
    first = int(start // 3600)
    assert [tuple(r.values()) for r in hourly] == [
        (first, 50, 500, 1, 1),
        (first + 1, 100, 1000, 0, 1),
        (first + 2, 100, 1000, 0, 1),
        (first + 3, 50, 500, 0, 1),
    ]


# -- again, grown, in steps, removed ---------------------------------------------------------------------------


def test_imported_twice_is_skipped_and_grown_reads_only_the_new_rows(
    book: Casebook, officer: Session, tmp_path: Path
) -> None:
    path = csv(tmp_path / "v.csv", [row("an", "x.be", at(9, m), at(9, m + 1)) for m in range(0, 12, 4)])
    first = importer.import_file(officer, path)
    again = importer.import_file(officer, path)
    assert (first.imported, again.skipped) == (3, "already_imported")
    with path.open("a") as handle:
        handle.write(row("an", "x.be", at(9, 11), at(9, 12), 2, 50) + "\n")  # within the gap: the same visit
        handle.write(row("bo", "x.be", at(11, 0), at(11, 2), 4, 70) + "\n")
        handle.write("an,,x.be,bad,bad,1,1,0,0\n")
    grown = importer.import_file(officer, path)
    assert (grown.continues, grown.lines, grown.imported, grown.rejected) == (first.import_id, 3, 2, 1)
    visits = book.store.query("SELECT requests, bytes FROM visits ORDER BY start")
    assert [tuple(v.values()) for v in visits] == [(5, 350), (4, 70)]
    totals = book.store.query_one("SELECT sum(requests) AS r, sum(bytes) AS b, sum(visits) AS v FROM rollup_daily")
    assert tuple(totals.values()) == (9, 420, 2)  # type: ignore[union-attr]


def test_in_steps_gives_what_one_import_gives(book: Casebook, officer: Session, other: Session, tmp_path: Path) -> None:
    lines = aggregate(office_day())
    whole = csv(tmp_path / "whole.csv", lines[1:])
    importer.import_file(officer, whole)
    growing = tmp_path / "growing.csv"
    for cut in (5, 6, 20, len(lines)):
        growing.write_text("\n".join(lines[:cut]) + "\n")
        importer.import_file(other, growing)
    assert _tables(other.casebook) == _tables(book)


def test_removing_a_visits_import_takes_out_all_it_brought(book: Casebook, officer: Session, tmp_path: Path) -> None:
    # A per-request import shares hours and sites with the visits: its people must stay when the visits go.
    requests = [{"ts": at(9, m), "user": "bo", "host": "x.be"} for m in range(0, 40, 5)]
    (tmp_path / "access.log").write_text("".join(line(**r) + "\n" for r in requests))
    importer.import_file(officer, tmp_path / "access.log")
    before = _dump(book)
    rows = [row("an", "x.be", at(9, 1), at(10, 20), 40, 4000), row("cy", "y.be", at(9, 2), at(9, 3))]
    visits = importer.import_file(officer, csv(tmp_path / "v.csv", rows))
    assert book.store.query_one("SELECT users FROM rollup_hourly ORDER BY users DESC")["users"] == 2  # type: ignore[index]
    assert count(book, "rollup_daily_users") == 3
    removal.remove(officer, int(visits.import_id or 0))
    after = _dump(book)
    for table in ("imports", "import_state", "import_days", "audit"):
        before.pop(table, None), after.pop(table, None)
    assert after == before


def test_removing_requests_keeps_the_people_of_visits_in_the_same_hours(
    book: Casebook, officer: Session, tmp_path: Path
) -> None:
    importer.import_file(officer, csv(tmp_path / "v.csv", [row("an", "x.be", at(9, 1), at(9, 20), 4, 400)]))
    before = _dump(book)
    (tmp_path / "access.log").write_text(line(ts=at(9, 30), user="bo", host="x.be") + "\n")
    requests = importer.import_file(officer, tmp_path / "access.log")
    assert count(book, "rollup_users") == 2
    removal.remove(officer, int(requests.import_id or 0))
    after = _dump(book)
    for table in ("imports", "import_state", "import_days", "audit"):
        before.pop(table, None), after.pop(table, None)
    assert after == before


# -- the rules: what visits let them judge, and what they say they could not -----------------------------------


def test_rules_that_judge_requests_say_they_could_not_judge_visits(
    book: Casebook, admin: Session, controlled: Session, tmp_path: Path
) -> None:
    day = MONDAY + timedelta(days=1)

    def on(hour: int, minute: int = 0) -> float:
        return (day + timedelta(hours=hour, minutes=minute)).timestamp()

    rows = [
        # An hour on Facebook in working time: private use, judged from the visit.
        row("an", "www.facebook.com", on(10), on(11), 90),
        row("bo", "www.hln.be", on(10), on(10, 5), 7),
        # 3 GB received: over the 2048 MB a day; a malware host called.
        row("cy", "download.example.net", on(14), on(14, 20), 3, 3 * 2**30),
        row("cy", "eicar.org", on(15), on(15, 1), 2, 500),
    ]
    importer.import_file(controlled, csv(tmp_path / "v.csv", rows))
    report = rules.run(controlled)
    assert report.days == 1
    found = {i.rule: i for i in rules.listing(controlled)}
    assert set(found) == {"private_use", "heavy_downloads", "malware"}
    assert (found["heavy_downloads"].figures["bytes"], found["malware"].figures["requests"]) == (3 * 2**30 + 500, 2)
    # Each keeps its visits as its evidence.
    assert all(i.events == 1 for i in found.values())
    unjudged = {(m.rule, m.reason): m.requests for m in report.unmeasured}
    # Every rule that judges requests says so, with the requests in its reach; blocked_sites has nothing to
    # look for while the policy lists no site.
    assert unjudged == {("denied_requests", "visits"): 102}
    lines = report.not_judged()
    assert len(lines) == 1 and all("102" in text and "visits" in text for text in lines)
    versions.update_settings(admin, {"blocked_sites": "pokerstars.eu"})
    again = rules.run(controlled)
    assert {(m.rule, m.reason): m.requests for m in again.unmeasured} == {
        ("denied_requests", "visits"): 102,
        ("blocked_sites", "visits"): 102,
    }


# -- visits as evidence: a case on visits alone ------------------------------------------------------------------


def visits_of(w: World, rows: list[str], ended: float) -> None:
    """Visits imported by the IT officer, once the last of them ended."""
    w.logs += 1
    latest = datetime.fromtimestamp(ended, LOCAL_ZONE) + timedelta(minutes=30)
    if latest > w.clock.now():
        w.clock.advance(latest - w.clock.now())
    result = importer.import_file(w.session("ilse"), csv(w.tmp / f"visits{w.logs}.csv", rows), "visits")
    assert (result.imported, result.rejected) == (len(rows), 0), result.reasons


def test_a_case_on_visits_alone_rests_on_them(world: World) -> None:  # noqa: F811 (the cases' fixture)
    versions.update_settings(world.admin, {"working_hours": "08:30-17:00", "private_minutes_per_day": "30"})
    sofie, ilse = world.session("sofie"), world.session("ilse")
    visits_of(
        world, [row("DEWERF\\jpeeters", "www.facebook.com", world.at(1, 10), world.at(1, 11), 60)], world.at(1, 11)
    )
    world.to(2, 9)
    case_id = event_case(world, 4, first=0, last=13)
    cases.control(ilse, case_id)
    (finding,) = cases.show(sofie, case_id).findings
    assert (finding.rule, finding.events) == ("private_use", 1)
    kinds = world.book.store.query("SELECT DISTINCT kind FROM irregularity_events")
    assert [r["kind"] for r in kinds] == ["visit"]
    cases.warn(sofie, case_id, "e-mail aan alle werknemers")
    # After the warning: Eva, an hour on Facebook in working time.
    visits_of(world, [row("ewillems", "www.facebook.com", world.at(2, 13), world.at(2, 14), 80)], world.at(2, 14))
    world.to(3)
    assert cases.control(ilse, case_id).state == "controlled"
    cases.approve(sofie, case_id)
    taken = cases.individualise(ilse, case_id)
    assert [p.email for p in cases.show(ilse, case_id).people] == ["eva@dewerf.be"]
    assert taken.detail["events"] == 1
    # What the case rests on cannot be removed, nor reopened by a log that continues.
    second = int(world.book.store.query_one("SELECT max(id) AS id FROM imports")["id"])  # type: ignore[index]
    with pytest.raises(Refused) as refusal:
        removal.remove(ilse, second)
    assert refusal.value.rule == "imports.evidence"
    # Under a legal hold the visits outlive the retention period; released, they go.
    retention.add_hold(sofie, case_id, "de werknemer betwist de feiten voor de arbeidsrechtbank")
    world.to(120)
    retention.purge(ilse)
    assert count(world.book, "visits") == 2
    retention.release_hold(sofie, case_id)
    retention.purge(ilse)
    assert count(world.book, "visits") == 0
    assert world.book.store.query_one("SELECT count(*) AS n FROM irregularity_events")["n"] == 0  # type: ignore[index]


def test_the_sample_visits_give_the_figures_of_the_sample_squid_log(
    book: Casebook, officer: Session, other: Session
) -> None:
    """sample_logs/visits.csv is the day of sample_logs/squid-access.log as a log platform aggregates it: the
    same visits (its times written to the millisecond), the same figures per day. Per hour they differ where a
    visit crosses the hour: its requests are shared out over its hours, where each request counted in its own."""
    requests = importer.import_file(officer, SAMPLES / "squid-access.log")
    visits = importer.import_file(other, SAMPLES / "visits.csv")
    assert (visits.format, visits.rejected) == ("visits", 3) and requests.imported > visits.imported
    per_request, aggregated = _tables(book), _tables(other.casebook)

    def to_the_millisecond(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        return sorted(((*r[:2], round(float(r[2]), 3), round(float(r[3]), 3), *r[4:]) for r in rows), key=repr)

    assert to_the_millisecond(aggregated["visits"]) == to_the_millisecond(per_request["visits"])
    for table in ("rollup_daily", "rollup_daily_users", "rollup_category_users", "rollup_durations"):
        assert aggregated[table] == per_request[table], table
    hourly = [sum(int(r[i]) for r in aggregated["rollup_hours"]) for i in (1, 2, 3)]
    assert hourly == [sum(int(r[i]) for r in per_request["rollup_hours"]) for i in (1, 2, 3)]
