"""The employee's rights and retention: deadlines, the access answer, erasure, purge, holds, and nobody else's data."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from casebook import access, cases, employees, retention, users
from casebook.access.requests import Kind, Status
from casebook.book import Casebook, init_casebook, open_casebook
from casebook.clock import LOCAL_ZONE, FixedClock
from casebook.errors import Refused
from casebook.logs import importer
from casebook.policy import receipts, versions
from casebook.session import Session
from schema.roles import Role
from tests.conftest import ADMIN, PASSPHRASE, READY

START = datetime(2026, 11, 2, 9, 0, tzinfo=LOCAL_ZONE)
DIRECTORY = """name,email,department,proxy_user
Jan Peeters,jan@dewerf.be,ICT,jpeeters
Eva Maes,eva@dewerf.be,Onthaal,emaes
"""
LINE = "{ts:.3f} 120 10.0.0.5 TCP_MISS/200 2048 GET http://{host}/{path} {user} HIER_DIRECT/1.2.3.4 text/html"


class Office:
    def __init__(self, tmp_path: Path) -> None:
        self.clock = FixedClock(START)
        self.tmp = tmp_path
        self.book = init_casebook(tmp_path / "casebook", ADMIN, PASSPHRASE, clock=self.clock)
        self.admin = self.book.login(ADMIN, PASSPHRASE)
        versions.update_settings(
            self.admin, {**READY, "retention_days": "30", "keep_full_urls": "ja", "purposes": "1,3,4"}
        )
        assert employees.import_csv(self.admin, DIRECTORY).saved
        for email in ("jan@dewerf.be", "eva@dewerf.be"):
            receipts.record(self.admin, email, received_on=START.date())
        users.add_user(self.admin, "jan", (Role.EMPLOYEE,), PASSPHRASE, employee="jan@dewerf.be")
        users.add_user(self.admin, "eva", (Role.EMPLOYEE,), PASSPHRASE, employee="eva@dewerf.be")
        users.add_user(self.admin, "loos", (Role.EMPLOYEE,), PASSPHRASE)  # linked to nobody
        users.add_user(self.admin, "ilse", (Role.IT_OFFICER,), PASSPHRASE)
        users.add_user(self.admin, "sofie", (Role.SUPERVISOR,), PASSPHRASE)
        self.logs = 0

    def session(self, name: str) -> Session:
        return self.book.login(name, PASSPHRASE)

    def at(self, day: int, hour: int = 10) -> float:
        return (START + timedelta(days=day, hours=hour - 9)).timestamp()

    def browse(self, rows: list[tuple[float, str, str, str]]) -> None:
        """(time, user, host, path) lines, imported by the IT officer a moment after the last one."""
        self.logs += 1
        path = self.tmp / f"access{self.logs}.log"
        path.write_text("\n".join(LINE.format(ts=ts, user=u, host=h, path=p) for ts, u, h, p in rows) + "\n")
        self.to_moment(max(r[0] for r in rows) + 600)
        assert importer.import_file(self.session("ilse"), path).imported == len(rows)

    def to_moment(self, ts: float) -> None:
        target = datetime.fromtimestamp(ts, LOCAL_ZONE)
        if target > self.clock.now():
            self.clock.advance(target - self.clock.now())

    def to_day(self, day: int, hour: int = 9) -> None:
        self.to_moment(self.at(day, hour))


@pytest.fixture
def office(tmp_path: Path) -> Office:
    made = Office(tmp_path)
    yield made
    made.book.close()


def refused(rule: str, call, *args, **kwargs) -> Refused:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as refusal:
        call(*args, **kwargs)
    assert refusal.value.rule == rule, refusal.value.message
    return refusal.value


# -- deadlines -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year
        (date(2027, 3, 31), date(2027, 4, 30)),
        (date(2027, 12, 15), date(2028, 1, 15)),
    ],
)
def test_one_calendar_month(received: date, due: date) -> None:
    assert access.due_date(received) == due


def test_an_extension_within_the_first_month_only(office: Office) -> None:
    jan = office.session("jan")
    filed = access.file(jan, Kind.ACCESS, text="alles wat u over mij bijhoudt")
    assert (filed.received_on, filed.due_on) == (date(2026, 11, 2), date(2026, 12, 2))
    office.to_day(31)  # 3 December: the first month is over
    refused("access.extension", access.extend, office.session("ilse"), filed.id, "veel gegevens te verzamelen")
    second = access.file(jan, Kind.INFORMATION)
    refused("access.extension", access.extend, office.session("ilse"), second.id, "te kort")
    extended = access.extend(office.session("ilse"), second.id, "veel verzoeken tegelijk, complex dossier")
    assert extended.status is Status.EXTENDED and extended.due_on == date(2027, 3, 3)
    refused("access.extension", access.extend, office.session("ilse"), second.id, "nog eens verlengen graag")


def test_overdue_requests_are_marked(office: Office) -> None:
    filed = access.file(office.session("jan"), Kind.ACCESS)
    office.to_day(31)
    ilse = office.session("ilse")
    assert [r.id for r in access.overdue(ilse)] == [filed.id]
    assert access.listing(ilse)[0].overdue(ilse.today())


def test_a_refusal_states_its_reason(office: Office) -> None:
    filed = access.file(office.session("jan"), Kind.OBJECTION, text="ik maak bezwaar")
    refused("access.reason", access.decide, office.session("ilse"), filed.id, Status.REFUSED, "nee")
    done = access.decide(
        office.session("ilse"),
        filed.id,
        Status.REFUSED,
        "dwingende gerechtvaardigde gronden: de beveiliging van het netwerk",
    )
    assert done.status is Status.REFUSED and done.decision_reason
    again = refused("access.open", access.decide, office.session("ilse"), filed.id, Status.GRANTED)
    assert again.message.endswith("al beantwoord (geweigerd)")  # the status in words, not its code


# -- the access answer -----------------------------------------------------------------------------------------


def test_the_access_answer_holds_what_article_15_asks_and_only_their_data(office: Office) -> None:
    office.browse([(office.at(1), "jpeeters", "www.hln.be", "nieuws"), (office.at(1, 11), "emaes", "www.vrt.be", "")])
    filed = access.file(office.session("jan"), Kind.ACCESS)
    jan = office.session("jan")
    refused("access.granted", access.build, jan, filed.id)  # not before it is granted
    preview = access.build(office.session("ilse"), filed.id)  # whoever handles it sees it first
    assert preview.counts == {"events": 1, "visits": 1, "mail_sent": 0, "mail_received": 0}
    access.decide(office.session("ilse"), filed.id, Status.GRANTED)
    answer = access.as_json(jan, filed.id)
    headings = [i["heading"] for i in answer["information"]]
    assert {"Doeleinden", "Rechtsgrond", "Bewaring", "Recht van bezwaar", "Klacht", "Bron"} <= set(headings)
    assert [v["domain"] for v in answer["visits"]] == ["hln.be"]
    assert answer["receipts"] and answer["person"]["email"] == "jan@dewerf.be"
    text = access.as_markdown(jan, filed.id)
    assert "Gegevensbeschermingsautoriteit" in text and "hln.be" in text and "vrt.be" not in text
    rows = [r for r in office.book.audit_rows(office.admin, limit=500) if r.action == "access.resolved"]
    assert rows and rows[0].subject.startswith("employee:")


# -- erasure ---------------------------------------------------------------------------------------------------


def _case_about_jan(office: Office) -> int:
    office.browse([(office.at(1), "jpeeters", "www.pornhub.com", "")])
    sofie, ilse = office.session("sofie"), office.session("ilse")
    opened = cases.open_case(
        sofie,
        1,
        cases.Circumstance.EVENT,
        START.date(),
        START.date() + timedelta(days=3),
        "klacht van een collega over een site",
    )
    cases.control(ilse, opened.case_id)
    cases.approve(sofie, opened.case_id)
    cases.individualise(ilse, opened.case_id)
    return opened.case_id


def test_erasure_refused_in_an_open_case_and_under_hold(office: Office) -> None:
    case_id = _case_about_jan(office)
    erase = access.file(office.session("jan"), Kind.ERASURE)
    ilse = office.session("ilse")
    refused("access.erasure_case", access.decide, ilse, erase.id, Status.GRANTED)
    sofie = office.session("sofie")
    cases.suspend(sofie, case_id, "jan@dewerf.be", cases.SuspensionReason.ILLNESS, "ziek tot eind november")
    cases.sanction(sofie, case_id, "jan@dewerf.be", cases.SanctionKind.NONE)
    cases.close(sofie, case_id, "geen sanctie")
    retention.add_hold(sofie, case_id, "de werknemer betwist de feiten voor de arbeidsrechtbank")
    refused("access.erasure_hold", access.decide, ilse, erase.id, Status.GRANTED)
    assert access.get(ilse, erase.id).status is Status.RECEIVED  # nothing changed
    retention.release_hold(sofie, case_id)
    done = access.decide(ilse, erase.id, Status.GRANTED)
    assert done.status is Status.DONE
    again = access.file(office.session("jan"), Kind.ACCESS)
    assert access.build(ilse, again.id).counts["events"] == 0


def test_erasure_under_hold_names_the_hold_even_while_the_case_is_open(office: Office) -> None:
    """Closing the case would not release the hold: the refusal names what really keeps the data."""
    case_id = _case_about_jan(office)
    erase = access.file(office.session("jan"), Kind.ERASURE)
    retention.add_hold(office.session("sofie"), case_id, "de werknemer kondigde een betwisting aan")
    refusal = refused("access.erasure_hold", access.decide, office.session("ilse"), erase.id, Status.GRANTED)
    assert f"dossier {case_id} is in bewaring" in refusal.message


def test_erasure_keeps_the_global_figures(office: Office) -> None:
    office.browse([(office.at(1), "jpeeters", "www.hln.be", ""), (office.at(1, 11), "emaes", "www.hln.be", "")])
    store = office.book.store
    before = store.query_one("SELECT sum(requests) AS n FROM rollup_daily")["n"]
    erase = access.file(office.session("jan"), Kind.ERASURE)
    access.decide(office.session("ilse"), erase.id, Status.GRANTED)
    assert store.query_one("SELECT sum(requests) AS n FROM rollup_daily")["n"] == before
    assert store.query_one("SELECT count(*) AS n FROM events")["n"] == 1  # Eva's


# -- retention -------------------------------------------------------------------------------------------------


def test_purge_at_its_boundary(office: Office) -> None:
    office.browse([(office.at(0), "jpeeters", "old.example", "a"), (office.at(1), "jpeeters", "kept.example", "b")])
    office.to_day(31)  # 3 December: 30 days kept means 3 November on
    report = retention.purge(office.session("ilse"), dry_run=True)
    assert report.cutoff == datetime(2026, 11, 3, tzinfo=LOCAL_ZONE)
    assert report.counts["events"] == 1
    assert office.book.store.query_one("SELECT count(*) AS n FROM events")["n"] == 2  # a dry run keeps all
    report = retention.purge(office.session("ilse"))
    urls = [r["url"] for r in office.book.store.query("SELECT url FROM events")]
    assert urls == ["http://kept.example/b"] and report.counts["events"] == 1
    assert report.counts["visits"] == 1 and report.counts["rollup_daily_users"] >= 1
    purged = [r for r in office.book.audit_rows(office.admin, limit=100) if r.action == "retention.purged"]
    assert purged[0].detail["counts"]["events"] == 1


def test_held_evidence_survives_the_purge(office: Office) -> None:
    case_id = _case_about_jan(office)
    retention.add_hold(office.session("sofie"), case_id, "geschil over de feiten, advocaat verwittigd")
    office.to_day(40)
    retention.purge(office.session("ilse"))
    assert office.book.store.query_one("SELECT count(*) AS n FROM events")["n"] == 1
    assert retention.holds(office.session("ilse"))[0].age_days(office.session("ilse").today()) == 40 - 1
    retention.release_hold(office.session("sofie"), case_id)
    retention.purge(office.session("ilse"))
    assert office.book.store.query_one("SELECT count(*) AS n FROM events")["n"] == 0


def test_purged_rows_leave_no_bytes_in_the_file(office: Office) -> None:
    marker = "zqx-purged-marker-4711"
    office.browse([(office.at(0, 10 + n % 8), "jpeeters", "old.example", f"{marker}-{n}") for n in range(200)])
    office.browse([(office.at(20), "emaes", "kept.example", "kept-path")])
    home = office.book.files.home

    def raw() -> bytes:
        return b"".join(p.read_bytes() for p in home.iterdir() if p.name.startswith("casebook.db"))

    assert marker.encode() in raw()
    office.to_day(35)
    retention.purge(office.session("ilse"))
    assert marker.encode() not in raw()
    assert b"kept-path" in raw()


def test_unused_pseudonyms_go(office: Office) -> None:
    office.browse([(office.at(0), "jpeeters", "old.example", ""), (office.at(20), "emaes", "kept.example", "")])
    office.to_day(35)
    report = retention.purge(office.session("ilse"))
    assert report.counts["pseudonyms"] == 1
    assert office.book.store.query_one("SELECT count(*) AS n FROM pseudonyms")["n"] == 1


# -- nobody else's data ----------------------------------------------------------------------------------------


def test_an_employee_reaches_nobody_elses_data(office: Office) -> None:
    office.browse([(office.at(1), "emaes", "www.vrt.be", "")])
    eva_request = access.file(office.session("eva"), Kind.ACCESS)
    access.decide(office.session("ilse"), eva_request.id, Status.GRANTED)
    jan = office.session("jan")
    for call in (access.get, access.build, access.as_json, access.as_markdown, access.visits):
        refused("access.exists", call, jan, eva_request.id)
    assert [r.employee_email for r in access.listing(jan)] == []
    refused("role.required", access.file, jan, Kind.ACCESS, for_email="eva@dewerf.be", identity_check="paspoort")
    refused("role.required", access.decide, jan, eva_request.id, Status.GRANTED)
    refused("role.required", access.extend, jan, eva_request.id, "een reden die lang genoeg is")
    refused("role.required", retention.purge, jan)
    refused("role.required", retention.holds, jan)
    refused("role.required", employees.list_employees, jan)
    refused("role.required", cases.listing, jan)
    refused("access.linked", access.file, office.session("loos"), Kind.ACCESS)


def test_an_administrator_files_for_an_employee_with_the_identity_check(office: Office) -> None:
    refused("access.identity", access.file, office.admin, Kind.ACCESS, for_email="jan@dewerf.be")
    filed = access.file(
        office.admin,
        Kind.RECTIFICATION,
        for_email="jan@dewerf.be",
        identity_check="identiteitskaart getoond aan het onthaal",
        text="mijn IP klopt niet",
    )
    assert filed.employee_email == "jan@dewerf.be" and filed.identity_check


def test_one_account_per_employee(office: Office) -> None:
    refused(
        "users.employee_unique",
        users.add_user,
        office.admin,
        "jan2",
        (Role.EMPLOYEE,),
        PASSPHRASE,
        employee="jan@dewerf.be",
    )
    refused("employees.exists", users.update_user, office.admin, "loos", employee="niemand@dewerf.be")
    assert users.update_user(office.admin, "loos", employee="").employee_id is None


def test_a_fresh_casebook_vacuums_incrementally(book: Casebook) -> None:
    assert book.store.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
    assert book.store.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_an_older_casebook_switches_to_incremental_vacuum_at_its_first_purge(office: Office) -> None:
    """A file made before incremental vacuum is switched by the purge, not by being opened."""
    office.book.close()
    db = office.tmp / "casebook" / "casebook.db"
    raw = sqlite3.connect(db)
    raw.execute("PRAGMA auto_vacuum = NONE")
    raw.execute("VACUUM")
    raw.close()
    before = db.read_bytes()
    office.book = open_casebook(office.tmp / "casebook", clock=office.clock)
    assert office.book.store.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 0
    office.book.close()
    assert db.read_bytes() == before  # opening wrote nothing

    office.book = open_casebook(office.tmp / "casebook", clock=office.clock)
    assert retention.purge(office.session("ilse")).vacuumed
    assert office.book.store.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2


def test_what_an_import_carried_for_its_log_goes_with_the_period(office: Office) -> None:
    """A log read in two steps: the second import keeps the visit it took over (to put it back should it be
    removed), naming a pseudonym; past the period that goes like the visit itself."""
    log = office.tmp / "grown.log"
    first = LINE.format(ts=office.at(0, 10), user="jpeeters", host="old.example", path="a")
    log.write_text(first + "\n")
    office.to_day(0, 11)
    importer.import_file(office.session("ilse"), log)
    log.write_text(
        first + "\n" + LINE.format(ts=office.at(0, 10) + 60, user="jpeeters", host="old.example", path="b") + "\n"
    )
    importer.import_file(office.session("ilse"), log)
    (taken,) = office.book.store.conn.execute("SELECT taken FROM import_state WHERE import_id = 2").fetchone()
    assert json.loads(taken)  # the open visit, with its pseudonym
    office.to_day(31)
    retention.purge(office.session("ilse"))
    states = office.book.store.conn.execute("SELECT carried, taken FROM import_state").fetchall()
    assert all(json.loads(taken) == [] and not json.loads(carried).get("queued") for carried, taken in states)
    assert office.book.store.query_one("SELECT count(*) AS n FROM pseudonyms")["n"] == 0


def test_the_access_answer_counts_messages_not_attempts(office: Office) -> None:
    """Jan's one message, refused twice for now before it was taken, is one mail sent; Eva's through the content
    filter one mail received; the bounce notice he got is his too. Erasure takes them all."""
    versions.update_settings(office.admin, {"mail_domains": "dewerf.be"})
    day = datetime.fromtimestamp(office.at(1), LOCAL_ZONE)
    stamp = f"Nov {day.day:2d}"
    log = office.tmp / "mail.log"
    log.write_text(
        "\n".join(
            f"{stamp} {text}"
            for text in (
                "10:00:00 mail postfix/qmgr[1]: A1: from=<Jan@dewerf.be>, size=900, nrcpt=1 (queue active)",
                "10:00:01 mail postfix/smtp[2]: A1: to=<x@gmail.example>, relay=mx[192.0.2.7]:25, status=deferred (451)",
                "10:10:01 mail postfix/smtp[2]: A1: to=<x@gmail.example>, relay=mx[192.0.2.7]:25, status=deferred (451)",
                "10:30:01 mail postfix/smtp[2]: A1: to=<x@gmail.example>, relay=mx[192.0.2.7]:25, status=sent (250 ok)",
                "10:30:01 mail postfix/qmgr[1]: A1: removed",
                "10:40:00 mail postfix/qmgr[1]: B1: from=<eva@dewerf.be>, size=700, nrcpt=1 (queue active)",
                "10:40:01 mail postfix/qmgr[1]: B2: from=<eva@dewerf.be>, size=900, nrcpt=1 (queue active)",
                "10:40:01 mail postfix/smtp[2]: B1: to=<jan@dewerf.be>, relay=127.0.0.1[127.0.0.1]:10025,"
                " status=sent (250 2.0.0 Ok: queued as B2)",
                "10:40:02 mail postfix/virtual[3]: B2: to=<jan@dewerf.be>, relay=virtual, status=sent (delivered)",
                "10:50:00 mail postfix/qmgr[1]: C1: from=<>, size=2000, nrcpt=1 (queue active)",
                "10:50:01 mail postfix/virtual[3]: C1: to=<jan@dewerf.be>, relay=virtual, status=sent (delivered)",
            )
        )
        + "\n"
    )
    office.to_moment(office.at(1, 12))
    assert importer.import_file(office.session("ilse"), log).imported == 6
    filed = access.file(office.session("jan"), Kind.ACCESS)
    counts = access.build(office.session("ilse"), filed.id).counts
    assert (counts["mail_sent"], counts["mail_received"]) == (1, 2)
    erase = access.file(office.session("jan"), Kind.ERASURE)
    access.decide(office.session("ilse"), erase.id, Status.GRANTED)
    assert office.book.store.query_one("SELECT count(*) AS n FROM mail_events")["n"] == 0
