"""Mail logs from real servers (issue 14): one message counted once, every Postfix set-up read, nothing
identifying kept.

The fixtures in tests/data/postfix/ are what a real Postfix 3.7 wrote (tests/data/postfix/lab/run-lab.sh:
a private instance on loopback with a content filter, retries, bounces, expiry, a local forward, the
discard/error/retry/lmtp/pipe transports, address probes, postsuper, a second instance named postfix-out,
through rsyslog in three stamp styles and through Postfix's own maillog_file). The hand-made lines follow
the shapes of Postfix's delivery agents.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from casebook import retention
from casebook.book import Casebook
from casebook.clock import FixedClock
from casebook.logs import formats, importer, postfix, removal, rollups
from casebook.logs.hits import Reject
from casebook.policy import versions
from casebook.session import Session
from casebook.settings import set_value
from tests.conftest import PASSPHRASE, ready_with
from tests.core.test_log_evidence import _in_steps, _tables, count, other  # noqa: F401

DATA = Path(__file__).resolve().parents[1] / "data" / "postfix"
LAB_DAY = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
def mail_officer(admin: Session, officer: Session) -> Session:
    versions.update_settings(admin, {"mail_domains": "dewerf.be"})
    return officer


@pytest.fixture
def lab_clock(clock: FixedClock) -> FixedClock:
    """The lab ran on 1 December 2026: the casebook's clock a day later."""
    clock.advance(LAB_DAY + timedelta(days=1, hours=9) - clock.now())
    return clock


def figures(book: Casebook) -> Counter[tuple[str, str, str]]:
    rows = book.store.conn.execute("SELECT kind, direction, status FROM mail_events").fetchall()
    return Counter((str(k), str(d), str(s)) for k, d, s in rows)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(text + "\n" for text in lines), encoding="utf-8")
    return path


def pf(at: str, daemon: str, text: str, tag: str = "postfix") -> str:
    """A classic syslog line of Postfix on 27 November 2026 (the casebook's clock stands at the 28th)."""
    return f"Nov 27 {at} mail {tag}/{daemon}[{1000 + len(text) % 97}]: {text}"


def queued(at: str, queue: str, sender: str, size: int = 5000, tag: str = "postfix") -> str:
    return pf(at, "qmgr", f"{queue}: from=<{sender}>, size={size}, nrcpt=1 (queue active)", tag)


def to(at: str, queue: str, recipient: str, status: str, detail: str = "250 2.0.0 Ok", **more: str) -> str:
    daemon = more.get("daemon", "smtp")
    relay = more.get("relay", "mx.gmail.example[192.0.2.7]:25")
    orig = f" orig_to=<{more['orig']}>," if "orig" in more else ""
    return pf(
        at,
        daemon,
        f"{queue}: to=<{recipient}>,{orig} relay={relay}, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0,"
        f" status={status} ({detail})",
        more.get("tag", "postfix"),
    )


def removed(at: str, queue: str, tag: str = "postfix") -> str:
    return pf(at, "qmgr", f"{queue}: removed", tag)


# -- real Postfix -------------------------------------------------------------------------------------------

LAB_FIGURES = Counter(
    {
        # klant, defer2.klant (deferred twice, then taken), lmtp, pipe, via postfix-out, SMTPUTF8, a quoted sender
        ("message", "outgoing", "sent"): 7,
        ("message", "outgoing", "expired"): 9,  # later.traag, and p0..p7 at a dead site
        ("message", "outgoing", "bounced"): 1,
        ("message", "outgoing", "discarded"): 1,  # the discard transport
        ("message", "outgoing", "deferred"): 1,  # held, then deleted with postsuper while still deferred
        # an alias of two people, a forward (its copy to the outside is the same message), a file, a command
        ("message", "incoming", "sent"): 5,
        ("message", "external", "sent"): 1,  # relayed for a client, after its recipient was verified
        ("notice", "incoming", "sent"): 11,  # bounce, expiry (9) and `sendmail -bv` reports: the null sender
        ("probe", "outgoing", "deliverable"): 2,  # reject_unverified_recipient, and sendmail -bv
        ("probe", "outgoing", "undeliverable"): 1,
    }
)


def test_a_real_postfix_counts_messages_not_attempts(
    book: Casebook, admin: Session, mail_officer: Session, lab_clock: FixedClock
) -> None:
    result = importer.import_file(mail_officer, DATA / "mail.log")
    assert (result.format, result.rejected, result.other_programs) == ("postfix", 0, 4)
    assert figures(book) == LAB_FIGURES
    text = (DATA / "mail.log").read_text()
    # What the log holds, line by line: far more than the messages.
    assert text.count(": to=<") == result.imported > sum(LAB_FIGURES.values()) + 40
    assert "postfix-out/qmgr" in text and "postfix/submission/smtpd" in text and "forwarded as" in text
    span = rollups.period("custom", LAB_DAY.date(), LAB_DAY.date(), LAB_DAY.date())
    versions.update_settings(admin, {"min_group_size": "1"})
    overview = rollups.mail(mail_officer, span)
    assert {d: n for d, (n, _) in overview.items() if n} == {"outgoing": 19, "incoming": 5, "external": 1}
    # The first size the server gave the message, not the filter's copy (bigger by the headers it adds).
    sizes = book.store.conn.execute("SELECT size FROM mail_events WHERE status = 'bounced'").fetchall()
    assert sizes == [(747,)]


@pytest.mark.parametrize("name", ["mail-rfc3339.log", "mail-rfc5424.log"])
def test_the_same_server_through_other_stamps(
    book: Casebook, mail_officer: Session, lab_clock: FixedClock, name: str
) -> None:
    result = importer.import_file(mail_officer, DATA / name)
    assert (result.format, result.rejected, result.other_programs) == ("postfix", 0, 4)
    assert figures(book) == LAB_FIGURES
    first = book.store.conn.execute("SELECT min(ts) FROM mail_events").fetchone()[0]
    assert datetime.fromtimestamp(first, UTC).microsecond != 0  # RFC 3339's microseconds kept


def test_rfc5424_whose_app_name_is_only_postfix(book: Casebook, mail_officer: Session, lab_clock: FixedClock) -> None:
    """rsyslog's default cuts the program name at the slash: `postfix 3209 - -  4A3B2: ...`."""
    text = (DATA / "mail-rfc5424-appname.log").read_text()
    assert " vm postfix 3" in text and "postfix/qmgr" not in text
    result = importer.import_file(mail_officer, DATA / "mail-rfc5424-appname.log")
    assert (result.format, result.rejected) == ("postfix", 0)
    found = figures(book)
    assert found[("message", "outgoing", "discarded")] == 1  # the discard transport, known by relay=none
    assert found[("message", "outgoing", "sent")] == 7 and found[("probe", "outgoing", "undeliverable")] == 1


def test_postfix_own_maillog_file(book: Casebook, mail_officer: Session, lab_clock: FixedClock) -> None:
    text = (DATA / "maillog_file.log").read_text()
    assert text.startswith("Dec 01 ")  # postlogd pads the day with a zero
    result = importer.import_file(mail_officer, DATA / "maillog_file.log")
    assert (result.format, result.rejected) == ("postfix", 0)
    assert figures(book) == Counter({("message", "outgoing", "sent"): 2, ("message", "incoming", "sent"): 1})


def test_a_real_log_in_steps_gives_what_one_import_gives(
    book: Casebook,
    admin: Session,
    mail_officer: Session,
    other: Session,  # noqa: F811
    lab_clock: FixedClock,
    tmp_path: Path,
) -> None:
    for session in (admin, other.casebook.login("admin", PASSPHRASE)):
        versions.update_settings(session, {"mail_domains": "dewerf.be"})
    other.casebook.clock.advance(lab_clock.now() - other.casebook.clock.now())  # type: ignore[attr-defined]
    source = DATA / "mail.log"
    importer.import_file(mail_officer, source)
    lines = source.read_text().split("\n")
    # Cuts inside every kind of lifecycle: between a filter hop and its copy's delivery, between retries, right
    # after a removal (its grace), before an expiry and before a forward's copy.
    hops = [i for i, text in enumerate(lines) if "queued as" in text]
    cuts = sorted({hops[1], hops[1] + 1, hops[5], *(i for i, t in enumerate(lines) if "forwarded as" in t)})
    cuts += [i for i, text in enumerate(lines) if "status=expired" in text][:1]
    cuts += [len(lines) * share // 10 for share in range(1, 10)]
    (tmp_path / "steps").mkdir()
    _in_steps(other, source, tmp_path / "steps", sorted(set(cuts)))
    once, steps = _tables(book), _tables(other.casebook)
    assert steps["mail_events"] == once["mail_events"]
    assert count(other.casebook, "imports") == len(set(cuts)) + 1
    # What an import leaves open is sealed: no address in the casebook, not in what waits either.
    dump = "\n".join(other.casebook.store.conn.iterdump())
    assert "@dewerf.be" not in dump and "klant@" not in dump


def test_removing_a_step_puts_back_the_open_messages_it_took(
    book: Casebook, mail_officer: Session, lab_clock: FixedClock, tmp_path: Path
) -> None:
    lines = (DATA / "mail.log").read_text().split("\n")
    retry = next(i for i, text in enumerate(lines) if "defer2.klant" in text and "status=deferred" in text)
    log = tmp_path / "mail.log"
    log.write_text("\n".join(lines[: retry + 1]) + "\n")
    importer.import_file(mail_officer, log)
    before = sorted(map(tuple, book.store.conn.execute("SELECT * FROM mail_events")))
    assert ("message", "outgoing", "deferred") in figures(book)  # still on its way: deferred for now
    log.write_text("\n".join(lines) + "\n")
    grown = importer.import_file(mail_officer, log)
    assert grown.continues is not None
    state = book.store.conn.execute("SELECT taken_mails FROM import_state WHERE import_id = ?", (grown.import_id,))
    assert json.loads(state.fetchone()[0])  # the open rows it took over
    assert figures(book) == LAB_FIGURES
    removal.remove(mail_officer, int(grown.import_id or 0))
    assert sorted(map(tuple, book.store.conn.execute("SELECT * FROM mail_events"))) == before


def test_purged_open_messages_are_not_brought_back_by_the_next_step(
    book: Casebook, admin: Session, mail_officer: Session, lab_clock: FixedClock, tmp_path: Path
) -> None:
    """A purge deletes an open message's row; the import that continues the log must not write it again."""
    lines = [
        queued("09:00:00", "A1", "jan@dewerf.be"),
        to("09:00:01", "A1", "x@gmail.example", "deferred", "450 try later"),
    ]
    log = write(tmp_path / "mail.log", lines)
    lab_clock.advance(datetime(2026, 11, 28, 9, tzinfo=UTC) - lab_clock.now())
    importer.import_file(mail_officer, log)
    assert count(book, "mail_events") == 1
    ready_with(admin, retention_days="1")  # a change of the retention, told to the works council
    lab_clock.advance(timedelta(days=3))
    retention.purge(mail_officer)
    assert count(book, "mail_events") == 0
    write(log, [*lines, to("09:30:00", "A1", "x@gmail.example", "sent"), removed("09:30:00", "A1")])
    assert importer.import_file(mail_officer, log).continues is not None
    assert count(book, "mail_events") == 0


# -- one message, counted once: hand-made lifecycles ----------------------------------------------------------


def rows_of(book: Casebook) -> list[tuple[str, str, str, int]]:
    return sorted(
        (str(k), str(d), str(s), int(z))
        for k, d, s, z in book.store.conn.execute("SELECT kind, direction, status, size FROM mail_events")
    )


def test_deferred_twice_then_sent_is_one_sent_message(book: Casebook, mail_officer: Session, tmp_path: Path) -> None:
    importer.import_file(
        mail_officer,
        write(
            tmp_path / "mail.log",
            [
                queued("09:00:00", "4A3B2", "jan@dewerf.be", 5000),
                to("09:00:01", "4A3B2", "x@gmail.example", "deferred", "451 4.7.1 greylisted"),
                queued("09:10:00", "4A3B2", "jan@dewerf.be", 5000),
                # the queue manager itself, for a site marked dead: no relay, the same deferral
                to(
                    "09:10:00",
                    "4A3B2",
                    "x@gmail.example",
                    "deferred",
                    "delivery temporarily suspended",
                    relay="none",
                    daemon="qmgr",
                ),
                queued("09:30:00", "4A3B2", "jan@dewerf.be", 5000),
                to("09:30:01", "4A3B2", "x@gmail.example", "sent"),
                removed("09:30:01", "4A3B2"),
            ],
        ),
    )
    assert rows_of(book) == [("message", "outgoing", "sent", 5000)]


def test_a_deferral_of_the_queue_manager_counts_like_the_error_daemons(
    book: Casebook, mail_officer: Session, tmp_path: Path
) -> None:
    lines = [queued("09:00:00", "B1", "jan@dewerf.be"), queued("09:00:00", "B2", "jan@dewerf.be")]
    for queue, daemon in (("B1", "qmgr"), ("B2", "error")):
        lines.append(
            to(
                "09:00:01",
                queue,
                f"{queue}@dood.example",
                "deferred",
                "delivery temporarily suspended",
                relay="none",
                daemon=daemon,
            )
        )
    importer.import_file(mail_officer, write(tmp_path / "mail.log", lines))
    assert rows_of(book) == [("message", "outgoing", "deferred", 5000)] * 2


def test_a_content_filter_hop_counts_once(book: Casebook, mail_officer: Session, tmp_path: Path) -> None:
    """amavis on 127.0.0.1:10024 hands the message back on 127.0.0.1:2525, queued again as 153053D."""
    importer.import_file(
        mail_officer,
        write(
            tmp_path / "mail.log",
            [
                queued("09:00:00", "14E9E3D", "klant@gmail.example", 8000),
                pf("09:00:01", "smtpd", "153053D: client=localhost[127.0.0.1]"),
                queued("09:00:01", "153053D", "klant@gmail.example", 8600),
                to(
                    "09:00:01",
                    "14E9E3D",
                    "an@dewerf.be",
                    "sent",
                    "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 153053D",
                    relay="127.0.0.1[127.0.0.1]:10024",
                ),
                removed("09:00:01", "14E9E3D"),
                to(
                    "09:00:02",
                    "153053D",
                    "an@dewerf.be",
                    "sent",
                    "250 2.0.0 <an@dewerf.be> Saved",
                    relay="mail.dewerf.be[private/dovecot-lmtp]",
                    daemon="lmtp",
                ),
                removed("09:00:02", "153053D"),
                # the same shape with the re-injection port in the relay, as the issue saw it
                queued("09:05:00", "2A", "klant@gmail.example", 100),
                queued("09:05:01", "2B", "klant@gmail.example", 150),
                to(
                    "09:05:01",
                    "2A",
                    "eva@dewerf.be",
                    "sent",
                    "250 2.0.0 Ok: queued as 2B",
                    relay="127.0.0.1[127.0.0.1]:2525",
                ),
                to("09:05:02", "2B", "eva@dewerf.be", "deferred", "mailbox full", daemon="virtual", relay="virtual"),
                to("09:15:02", "2B", "eva@dewerf.be", "bounced", "mailbox full", daemon="virtual", relay="virtual"),
            ],
        ),
    )
    assert rows_of(book) == [("message", "incoming", "bounced", 100), ("message", "incoming", "sent", 8000)]


def test_the_filters_copy_delivered_before_the_hop_line_is_the_same_message(
    book: Casebook, mail_officer: Session, tmp_path: Path
) -> None:
    """Hops race: the copy can be queued, delivered and removed before the line that names it."""
    importer.import_file(
        mail_officer,
        write(
            tmp_path / "mail.log",
            [
                queued("09:00:00", "C1", "jan@dewerf.be", 700),
                queued("09:00:01", "C2", "jan@dewerf.be", 900),
                to("09:00:01", "C2", "x@gmail.example", "sent"),
                removed("09:00:01", "C2"),
                to(
                    "09:00:02",
                    "C1",
                    "x@gmail.example",
                    "sent",
                    "250 2.0.0 Ok: queued as C2",
                    relay="localhost[127.0.0.1]:10025",
                ),
                removed("09:00:02", "C1"),
            ],
        ),
    )
    assert rows_of(book) == [("message", "outgoing", "sent", 700)]


def test_a_remote_server_that_says_queued_as_is_the_end(book: Casebook, mail_officer: Session, tmp_path: Path) -> None:
    importer.import_file(
        mail_officer,
        write(
            tmp_path / "mail.log",
            [
                queued("09:00:00", "D1", "jan@dewerf.be", 700),
                to("09:00:01", "D1", "x@gmail.example", "sent", "250 2.0.0 Ok: queued as D2"),
                removed("09:00:01", "D1"),
                queued("09:00:05", "D2", "y@gmail.example", 300),  # our own queue id D2, by chance: another message
                to("09:00:06", "D2", "an@dewerf.be", "sent", relay="virtual", daemon="virtual"),
            ],
        ),
    )
    assert rows_of(book) == [("message", "incoming", "sent", 300), ("message", "outgoing", "sent", 700)]


def test_a_local_forward_is_the_original_message(book: Casebook, mail_officer: Session, tmp_path: Path) -> None:
    importer.import_file(
        mail_officer,
        write(
            tmp_path / "mail.log",
            [
                queued("09:00:00", "E1", "klant@gmail.example", 700),
                to("09:00:01", "E1", "jan@dewerf.be", "sent", "forwarded as E2", relay="local", daemon="local"),
                queued("09:00:01", "E2", "klant@gmail.example", 800),
                removed("09:00:01", "E1"),
                to("09:00:02", "E2", "jan.thuis@gmail.example", "sent", orig="jan@dewerf.be"),
                removed("09:00:02", "E2"),
            ],
        ),
    )
    assert rows_of(book) == [("message", "incoming", "sent", 700)]


def test_bounce_notices_and_probes_are_no_ones_mail(
    book: Casebook, admin: Session, mail_officer: Session, tmp_path: Path
) -> None:
    importer.import_file(
        mail_officer,
        write(
            tmp_path / "mail.log",
            [
                queued("09:00:00", "F1", "jan@dewerf.be", 700),
                to("09:00:01", "F1", "nobody@gmail.example", "bounced", "550 5.1.1 User unknown"),
                queued("09:00:01", "F2", "", 2000),
                pf("09:00:01", "bounce", "F1: sender non-delivery notification: F2"),
                removed("09:00:01", "F1"),
                to("09:00:01", "F2", "jan@dewerf.be", "sent", relay="virtual", daemon="virtual"),
                # a notice from outside: the null sender, through smtpd
                queued("09:01:00", "F3", "", 3000),
                to("09:01:01", "F3", "eva@dewerf.be", "sent", relay="virtual", daemon="virtual"),
                # reject_unverified_recipient's probes, from double-bounce@
                queued("09:02:00", "F4", "double-bounce@mail.dewerf.be", 233),
                to("09:02:01", "F4", "who@partner.example", "deliverable", "250 2.1.5 Ok"),
                queued("09:02:00", "F5", "double-bounce@mail.dewerf.be", 233),
                to("09:02:01", "F5", "who2@partner.example", "undeliverable-but-not-cached", "550 5.1.1 unknown"),
                # a postmaster notice, from double-bounce@ too
                queued("09:03:00", "F6", "double-bounce@mail.dewerf.be", 1500),
                pf("09:03:00", "bounce", "F1: postmaster non-delivery notification: F6"),
                to("09:03:01", "F6", "postmaster@dewerf.be", "sent", relay="virtual", daemon="virtual"),
                # the discard transport
                queued("09:04:00", "F7", "jan@dewerf.be", 400),
                to("09:04:01", "F7", "x@trash.example", "sent", "silently dropped", relay="none", daemon="discard"),
            ],
        ),
    )
    assert rows_of(book) == [
        ("message", "outgoing", "bounced", 700),
        ("message", "outgoing", "discarded", 400),
        ("notice", "incoming", "sent", 2000),
        ("notice", "incoming", "sent", 3000),
        ("notice", "internal", "sent", 1500),
        ("probe", "outgoing", "deliverable", 233),
        ("probe", "outgoing", "undeliverable-but-not-cached", 233),
    ]
    day = datetime(2026, 11, 27).date()
    span = rollups.period("custom", day, day, day)
    versions.update_settings(admin, {"min_group_size": "1"})
    assert rollups.mail(mail_officer, span)["incoming"] == (0, 0)  # notices are in no direction


def test_expired_and_deleted_messages(book: Casebook, mail_officer: Session, tmp_path: Path) -> None:
    importer.import_file(
        mail_officer,
        write(
            tmp_path / "mail.log",
            [
                queued("09:00:00", "G1", "jan@dewerf.be", 700),
                to("09:00:01", "G1", "a@gmail.example", "sent"),
                to("09:00:01", "G1", "b@gmail.example", "deferred", "451 later"),
                pf("10:00:00", "qmgr", "G1: from=<jan@dewerf.be>, status=expired, returned to sender"),
                removed("10:00:00", "G1"),
                queued("09:00:00", "G2", "jan@dewerf.be", 800),
                to("09:00:01", "G2", "c@gmail.example", "deferred", "451 later"),
                pf("09:05:00", "postsuper", "G2: removed"),
                pf("09:05:00", "postsuper", "Deleted: 1 message"),
            ],
        ),
    )
    assert rows_of(book) == [
        ("message", "outgoing", "deferred", 800),  # deleted while deferred: nothing final was ever known
        ("message", "outgoing", "expired", 700),
        ("message", "outgoing", "sent", 700),
    ]


# -- every ordinary set-up read ---------------------------------------------------------------------------


def test_multi_instance_postfix_is_read_and_its_hop_counted_once(
    book: Casebook, mail_officer: Session, tmp_path: Path
) -> None:
    lines = [
        pf("09:00:00", "smtpd", "connect from mx.gmail.example[192.0.2.7]", "postfix-in"),
        pf("09:00:00", "smtpd", "H1: client=mx.gmail.example[192.0.2.7]", "postfix-in"),
        queued("09:00:00", "H1", "klant@gmail.example", 900, "postfix-in"),
        pf("09:00:00", "trivial-rewrite", "warning: do not list domain dewerf.be in BOTH", "postfix-in"),
        queued("09:00:01", "H2", "klant@gmail.example", 950, "postfix-out"),
        to(
            "09:00:01",
            "H1",
            "an@dewerf.be",
            "sent",
            "250 2.0.0 Ok: queued as H2",
            relay="127.0.0.1[127.0.0.1]:10026",
            tag="postfix-in",
        ),
        removed("09:00:01", "H1", "postfix-in"),
        to("09:00:02", "H2", "an@dewerf.be", "sent", relay="virtual", daemon="virtual", tag="postfix-out"),
        removed("09:00:02", "H2", "postfix-out"),
        pf("09:00:03", "postfix-script", "starting the Postfix mail system", "postfix-out"),
    ]
    log = write(tmp_path / "mail.log", lines)
    assert formats.detect(lines) == "postfix"
    result = importer.import_file(mail_officer, log)
    assert (result.rejected, result.imported) == (0, 2)
    assert rows_of(book) == [("message", "incoming", "sent", 900)]


def test_a_debian_mail_log_with_other_programs(book: Casebook, mail_officer: Session, tmp_path: Path) -> None:
    others = [
        f"Nov 27 08:{m:02d}:00 mail dovecot: imap-login: Login: user=<jan@dewerf.be>, method=PLAIN, rip=10.0.0.5"
        for m in range(40)
    ]
    others += [
        "Nov 27 08:59:00 mail amavis[812]: (00812-01) Passed CLEAN {RelayedInbound}, <a@b.example> -> <jan@dewerf.be>",
        "Nov 27 08:59:00 mail opendkim[700]: 4A3B2: DKIM-Signature field added (s=mail, d=dewerf.be)",
        "Nov 27 08:59:00 mail postgrey[600]: action=greylist, reason=new, client_name=x, sender=a@b.example",
    ]
    lines = others + [
        queued("09:00:00", "J1", "jan@dewerf.be", 700),
        to("09:00:01", "J1", "x@gmail.example", "sent"),
        removed("09:00:01", "J1"),
    ]
    assert formats.detect(lines[:60]) == "postfix"  # a mail.log that opens with 43 lines of other programs
    assert formats.detect(others) is None
    log = write(tmp_path / "mail.log", lines)
    result = importer.import_file(mail_officer, log)
    assert (result.format, result.rejected, result.other_programs, result.imported) == ("postfix", 0, 43, 1)
    forced = importer.import_file(
        mail_officer, write(tmp_path / "forced.log", ["not syslog at all", *lines]), "postfix"
    )
    assert (forced.rejected, forced.other_programs) == (1, 43)


def test_daemon_names_with_a_hyphen_and_submission_services(
    book: Casebook, mail_officer: Session, tmp_path: Path
) -> None:
    lines = [
        pf("09:00:00", "postfix-script", "starting the Postfix mail system"),
        pf("09:00:00", "trivial-rewrite", "warning: do not list domain dewerf.be in BOTH mydestination"),
        pf("09:00:01", "smtpd", "K1: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=jan", "postfix/submission"),
        queued("09:00:01", "K1", "jan@dewerf.be", 700),
        to("09:00:02", "K1", "x@gmail.example", "sent"),
        pf("09:00:03", "smtpd", "K2: client=pc[10.0.0.6], sasl_method=LOGIN, sasl_username=eva", "postfix/smtps"),
    ]
    result = importer.import_file(mail_officer, write(tmp_path / "mail.log", lines))
    assert (result.rejected, result.imported) == (0, 1)


# -- stamps ---------------------------------------------------------------------------------------------------

REFERENCE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def first_ts(lines: list[str], reference: datetime = REFERENCE, zone: str | None = None) -> datetime:
    from casebook.clock import zone_of

    parser = postfix.Parser(reference, zone=zone_of(zone) if zone else None)
    delivery = None
    for text in lines:
        delivery = parser.parse(text) or delivery
    assert delivery is not None
    return datetime.fromtimestamp(delivery.ts, UTC)


def shape(stamp: str, queue: str = "5003A") -> list[str]:
    return [
        f"{stamp} mail postfix/qmgr[5003]: {queue}: from=<a@dewerf.be>, size=5, nrcpt=1 (queue active)",
        f"{stamp} mail postfix/smtp[5004]: {queue}: to=<b@x.example>, relay=x[192.0.2.1]:25, status=sent (250 ok)",
    ]


def test_rfc5424_and_journald_stamps() -> None:
    rfc5424 = [
        "<22>1 2026-11-28T10:15:00.123456+01:00 mail postfix/qmgr 5003 - - 5003A: from=<a@dewerf.be>, size=5,"
        " nrcpt=1 (queue active)",
        '<22>1 2026-11-28T10:15:00.123456+01:00 mail postfix/smtp 5004 - [meta sequenceId="7"] 5003A: to=<b@x.example>,'
        " relay=x[192.0.2.1]:25, status=sent (250 ok)",
    ]
    assert first_ts(rfc5424) == datetime(2026, 11, 28, 9, 15, 0, 123456, tzinfo=UTC)
    assert first_ts(shape("Nov 28 11:10:02.123456")) == datetime(2026, 11, 28, 10, 10, 2, 123456, tzinfo=UTC)
    assert first_ts(shape("2026-11-28T11:10:02+0100")) == datetime(2026, 11, 28, 10, 10, 2, tzinfo=UTC)
    assert formats.detect(rfc5424) == "postfix"


def test_a_stamp_without_a_year_lies_before_the_import() -> None:
    # Imported on 1 December: 15 December is last year's, 1 December (and a clock a little ahead) this year's.
    assert first_ts(shape("Dec 15 10:00:00")).year == 2025
    assert first_ts(shape("Dec  1 10:00:00")).year == 2026
    assert first_ts(shape("Nov 30 23:00:00")).year == 2026
    assert first_ts(shape("Dec 31 23:59:59"), datetime(2027, 1, 1, 8, tzinfo=UTC)).year == 2026
    # 29 February: in a leap year, or the last leap year before the import.
    assert first_ts(shape("Feb 29 10:00:00"), datetime(2028, 3, 1, tzinfo=UTC)).date().isoformat() == "2028-02-29"
    assert first_ts(shape("Feb 29 10:00:00"), datetime(2029, 1, 5, tzinfo=UTC)).date().isoformat() == "2028-02-29"
    with pytest.raises(Reject, match="timestamp"):
        first_ts(shape("Feb 30 10:00:00"))


def test_the_logs_time_zone_is_a_setting(book: Casebook, admin: Session, mail_officer: Session, tmp_path: Path) -> None:
    assert first_ts(shape("Nov 28 10:00:00")).hour == 9  # Brussels, winter
    assert first_ts(shape("Nov 28 10:00:00"), zone="UTC").hour == 10
    log = write(tmp_path / "mail.log", shape("Nov 27 10:00:00"))
    set_value(admin, "syslog_time_zone", "UTC")
    importer.import_file(mail_officer, log)
    (ts,) = book.store.conn.execute("SELECT ts FROM mail_events").fetchone()
    assert datetime.fromtimestamp(ts, UTC).hour == 10
    with pytest.raises(Exception) as refused:
        set_value(admin, "syslog_time_zone", "Mars/Olympus")
    assert getattr(refused.value, "rule", None) == "settings.valid"


# -- addresses and direction ------------------------------------------------------------------------------


def test_every_address_a_server_accepts_is_read(book: Casebook, mail_officer: Session, tmp_path: Path) -> None:
    lines = [queued("09:00:00", "L1", '"jan peeters"@dewerf.be', 700)]
    for n, recipient in enumerate(
        ["jörg.müller@example.de", '"john doe"@example.org', "user@[192.0.2.1]", "root@localhost", "Jan@DeWerf.Be"]
    ):
        lines.append(to(f"09:00:0{n + 1}", "L1", recipient, "sent"))
    result = importer.import_file(mail_officer, write(tmp_path / "mail.log", lines))
    assert (result.rejected, result.imported) == (0, 5)
    assert sorted(d for _, d, _, _ in rows_of(book)) == ["internal", "internal", "outgoing", "outgoing", "outgoing"]
    # Normalised as the directory's: the same person, the same pseudonym, whatever the case.
    tokens = {r[0] for r in book.store.conn.execute("SELECT p.token FROM pseudonyms p")}
    assert importer.Pseudonymiser(book.pseudonym_key).of_mail("jan@dewerf.be") in tokens


def test_subdomains_of_a_policy_domain_are_inside(book: Casebook, mail_officer: Session, tmp_path: Path) -> None:
    lines = [queued("09:00:00", "M1", "an@mail.dewerf.be", 700)]
    lines += [to("09:00:01", "M1", r, "sent") for r in ("eva@sub.dewerf.be", "x@notdewerf.be", "y@dewerf.be.evil")]
    importer.import_file(mail_officer, write(tmp_path / "mail.log", lines))
    assert sorted(d for _, d, _, _ in rows_of(book)) == ["internal", "outgoing", "outgoing"]


# -- nothing identifying kept -----------------------------------------------------------------------------


def test_a_kept_sample_masks_every_field_that_names_someone(
    book: Casebook, mail_officer: Session, tmp_path: Path
) -> None:
    lines = [
        # damaged lines (no colon after the program, a stamp that is none): rejected, kept as samples
        "Nov 28 10:00:00 mail postfix-in/smtpd[123] 4A3B2: client=pc-jan.dewerf.be[10.20.0.5], sasl_method=PLAIN,"
        " sasl_username=jan.peeters",
        "Nov 28 10:00:00 mail postfix/smtpd[9] NOQUEUE: reject: RCPT from pc-eva[10.0.0.6]: 554 5.7.1 Relay access"
        ' denied; from=<eva@dewerf.be> to=<"john doe"@example.org> proto=ESMTP helo=<pc-eva>',
        "Nox 28 10:00:00 mail postfix/local[9]: 4A3B2: to=<jan@dewerf.be>, orig_to=<jan.peeters>, relay=local,"
        " status=sent (delivered to file: /home/jan.peeters/mbox)",
    ]
    result = importer.import_file(mail_officer, write(tmp_path / "mail.log", lines), "postfix")
    assert result.rejected == 3
    samples = "\n".join(r[0] for r in book.store.conn.execute("SELECT sample FROM rejects ORDER BY line_no"))
    for secret in ("jan.peeters", "pc-jan", "10.20.0.5", "eva", "john doe", "example.org", "pc-eva"):
        assert secret not in samples, secret
    assert "sasl_username=…" in samples and "client=…" in samples and "helo=…" in samples
    assert "sasl_method=PLAIN" in samples  # what names nobody stays readable


def test_a_casebook_from_before_marks_its_notices_and_probes(home: Path, clock: FixedClock) -> None:
    """The migration of issue 14 (mail_messages): mails imported before keep their rows; the null sender's are notices, the verification
    statuses probes."""
    from casebook import keys, store
    from casebook.book import open_casebook
    from tests.core.test_store import raw_db

    home.mkdir(mode=0o700)
    keys.create_key(home / "casebook.key")
    store.create_file(home / "casebook.db")
    migrations = store.bundled_migrations()
    before = next(i for i, m in enumerate(migrations) if m.name == "mail_messages")
    with raw_db(home / "casebook.db") as conn:
        store.migrate(conn, migrations[:before])
        conn.execute(
            "INSERT INTO imports (id, path, content_hash, size, first_line, format, lines, imported, rejected,"
            " imported_by, imported_at, seconds) VALUES (1, 'm', 'h', 1, 1, 'postfix', 3, 3, 0, 'a', 'x', 0)"
        )
        conn.executemany(
            "INSERT INTO mail_events (import_id, ts, sender_id, recipient_id, size, status, direction)"
            " VALUES (1, 1.0, ?, 2, 10, ?, ?)",
            [(1, "sent", "outgoing"), (None, "sent", "incoming"), (3, "deliverable", "outgoing")],
        )
        conn.commit()
    upgraded = open_casebook(home, clock=clock)
    try:
        kinds = upgraded.store.conn.execute("SELECT status, kind FROM mail_events ORDER BY id").fetchall()
        assert kinds == [("sent", "message"), ("sent", "notice"), ("deliverable", "probe")]
    finally:
        upgraded.close()


LIFECYCLES = {
    "retries": [
        queued("09:00:00", "R1", "jan@dewerf.be"),
        to("09:00:01", "R1", "x@gmail.example", "deferred", "451 later"),
        queued("09:10:00", "R1", "jan@dewerf.be"),
        to("09:10:01", "R1", "x@gmail.example", "deferred", "451 later"),
        to("09:30:01", "R1", "x@gmail.example", "sent"),
        removed("09:30:01", "R1"),
    ],
    "the copy first": [
        queued("09:00:00", "C1", "jan@dewerf.be", 700),
        queued("09:00:01", "C2", "jan@dewerf.be", 900),
        to("09:00:01", "C2", "x@gmail.example", "sent"),
        removed("09:00:01", "C2"),
        to("09:00:30", "C1", "x@gmail.example", "sent", "250 Ok: queued as C2", relay="127.0.0.1[127.0.0.1]:10025"),
        removed("09:00:30", "C1"),
        queued("09:05:00", "C3", "eva@dewerf.be", 500),  # later mail, past the grace of both
        to("09:05:01", "C3", "y@gmail.example", "sent"),
    ],
    "forward and expiry": [
        queued("09:00:00", "E1", "klant@gmail.example", 700),
        to("09:00:01", "E1", "jan@dewerf.be", "sent", "forwarded as E2", relay="local", daemon="local"),
        queued("09:00:01", "E2", "klant@gmail.example", 800),
        removed("09:00:01", "E1"),
        to("09:00:02", "E2", "jan.thuis@gmail.example", "deferred", "451 later", orig="jan@dewerf.be"),
        pf("09:40:00", "qmgr", "E2: from=<klant@gmail.example>, status=expired, returned to sender"),
        queued("09:40:00", "E3", "", 3000),
        pf("09:40:00", "bounce", "E2: sender non-delivery notification: E3"),
        removed("09:40:00", "E2"),
        to("09:40:01", "E3", "klant@gmail.example", "sent"),
    ],
}


@pytest.mark.parametrize("name", list(LIFECYCLES))
def test_a_lifecycle_cut_anywhere_gives_what_one_import_gives(
    book: Casebook,
    admin: Session,
    mail_officer: Session,
    other: Session,  # noqa: F811
    tmp_path: Path,
    name: str,
) -> None:
    versions.update_settings(other.casebook.login("admin", PASSPHRASE), {"mail_domains": "dewerf.be"})
    source = write(tmp_path / "source.log", LIFECYCLES[name])
    importer.import_file(mail_officer, source)
    (tmp_path / "steps").mkdir()
    _in_steps(other, source, tmp_path / "steps", list(range(1, len(LIFECYCLES[name]))))
    assert _tables(other.casebook)["mail_events"] == _tables(book)["mail_events"]
    assert count(book, "mail_events") == {"retries": 1, "the copy first": 2, "forward and expiry": 2}[name]


def test_a_log_continued_from_an_import_made_before_reads_on(
    book: Casebook, mail_officer: Session, tmp_path: Path
) -> None:
    """An import made before messages were counted once left its queue ids and sealed senders ("queued")."""
    first = [queued("09:00:00", "Q1", "jan@dewerf.be", 700)]
    log = write(tmp_path / "mail.log", first)
    done = importer.import_file(mail_officer, log)
    token = importer.Pseudonymiser(book.pseudonym_key).of_mail("jan@dewerf.be")
    old = {"open_visits": [], "queued": [["Q1", [token, True], 700]], "next_sweep": 0.0, "previous_ts": 0.0}
    with book.store.transaction():
        book.store.conn.execute(
            "UPDATE import_state SET carried = ? WHERE import_id = ?", (json.dumps(old), done.import_id)
        )
    write(log, [*first, to("09:00:01", "Q1", "x@gmail.example", "sent"), removed("09:00:01", "Q1")])
    grown = importer.import_file(mail_officer, log)
    assert (grown.continues, grown.rejected) == (done.import_id, 0)
    assert rows_of(book) == [("message", "outgoing", "sent", 700)]
