"""The demo casebook: one account per role, passphrases printed, kept apart from real casebooks."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

from casebook import clock as clocks
from casebook import config, employees, users
from casebook.book import Casebook, init_casebook, open_casebook
from casebook.demo_data import cases as demo_cases
from casebook.demo_data import requests as demo_requests
from casebook.demo_data import synth
from casebook.errors import CasebookError
from casebook.logs import importer
from casebook.paths import CasebookFiles
from casebook.policy import consultation, receipts
from casebook.policy import versions as policy_versions
from casebook.session import Session
from casebook.settings import DEMO_FLAG
from schema.policy import Body
from schema.roles import Role


@dataclass(frozen=True)
class DemoAccount:
    name: str
    full_name: str
    roles: tuple[Role, ...]
    employee: str | None = None  # the directory's person the account is linked to (their own requests, data)

    @property
    def passphrase(self) -> str:
        return f"demo-pass-{self.name}"


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("an", "An Peeters", (Role.ADMIN,)),
    DemoAccount("ilse", "Ilse Claes", (Role.IT_OFFICER, Role.EMPLOYEE)),
    DemoAccount("sofie", "Sofie Janssens", (Role.SUPERVISOR, Role.EMPLOYEE), "sofie.janssens@dewerf.be"),
    DemoAccount("bert", "Bert Maes", (Role.BOARD,)),
    DemoAccount("eva", "Eva Willems", (Role.EMPLOYEE,), "eva.willems@dewerf.be"),
)


def build(home: Path, reset: bool = False) -> tuple[Casebook, bool]:
    """Open the demo casebook at `home`, building it first when missing. Returns (book, built)."""
    files = CasebookFiles(home)
    if files.db.exists():
        book = open_casebook(home)
        if not book.is_demo():
            book.close()
            raise CasebookError("error.not_demo", path=str(home))
        if not reset:
            return book, False
        book.close()
        for path in (files.db, files.key, Path(f"{files.db}-wal"), Path(f"{files.db}-shm")):
            path.unlink(missing_ok=True)
        shutil.rmtree(files.home / "sample_logs", ignore_errors=True)
    admin = ACCOUNTS[0]
    now = clocks.fixed_or_system(config.environment().now)
    # The organisation started its casebook in February, before the policy came into force: the policy
    # and the receipts date from then, so the people identified in the demo's cases were informed.
    setup = clocks.FixedClock(SETUP_AT)
    book = init_casebook(home, admin.name, admin.passphrase, full_name=admin.full_name, clock=setup)
    session = book.login(admin.name, admin.passphrase)
    with book.store.transaction():
        book.store.conn.execute("INSERT INTO settings (key, value) VALUES (?, 'true')", (DEMO_FLAG,))
        session.audit("casebook.demo_marked")
    for account in ACCOUNTS[1:]:
        users.add_user(session, account.name, account.roles, account.passphrase, account.full_name)
    _fill_policy(session)
    # Each person signs in once for the whole build: scrypt is slow on purpose.
    passphrases = {a.name: a.passphrase for a in ACCOUNTS}
    sessions = {admin.name: session}

    def sign_in(name: str) -> Session:
        if name not in sessions:
            sessions[name] = book.login(name, passphrases[name])
        return sessions[name]

    book.clock = now
    _evaluate(sign_in)
    monday = _import_logs(book, sign_in)
    case_ids = demo_cases.build(book, monday, passphrases, sessions)
    demo_requests.build(book, sign_in, case_ids["dismissal"])
    book.clock = now
    return book, True


SETUP_AT = datetime(2026, 2, 16, 9, 0, tzinfo=UTC)

# The demo organisation's policy: filled in and in force.
DEMO_POLICY = {
    "organisation_name": "vzw De Werf",
    "controller_contact": "privacy@dewerf.be, Werfstraat 1, 9000 Gent",
    "date_in_force": "2026-03-01",
    "bodies_present": "works_council, prevention_committee",
    "consultation_body": "works_council",
    "consultation_date": "2026-01-20",
    "evaluation_body": "works_council",
    "purposes": "1,2,3,4",
    "control_mode": "periodic,event",
    "test_period_max_days": "14",
    "control_means": "de logbestanden van de proxyserver en de mailserver, op de server (niet op de werkstations)",
    "blocked_sites": "pokerstars.eu, unibet.be, thepiratebay.org",
    "official_accounts": "Facebook: facebook.com/vzwdewerf, LinkedIn: linkedin.com/company/vzw-de-werf",
    "social_media_goals": "vrijwilligers werven",
    "retention_days": "90",
    "storage_location": "de centrale server in het datalokaal van de hoofdzetel",
    "mail_domains": "dewerf.be",
    "working_hours": "08:30-17:00",
    "breaks": "12:00-12:45",  # lunch: private use allowed (policy 2.1.1), left out of the private-use count
    "sanctions": "mondelinge verwittiging, schriftelijke verwittiging, blaam, geldboete",
}
# Who has signed for the policy so far; the others still have to.
DEMO_RECEIPTS = {
    "an.peeters@dewerf.be": "hand",
    "ilse.claes@dewerf.be": "hand",
    "sofie.janssens@dewerf.be": "paper",
    "bert.maes@dewerf.be": "email",
    "eva.willems@dewerf.be": "paper",
    "tom.wouters@dewerf.be": "paper",
    "karim.bakkali@dewerf.be": "hand",
    "jan.vermeulen@dewerf.be": "intranet",
    "lotte.desmet@dewerf.be": "intranet",
}


def _fill_policy(session: Session) -> None:
    version = policy_versions.update_settings(session, DEMO_POLICY)
    directory = resources.files("casebook.demo_data").joinpath("employees.csv").read_text("utf-8")
    report = employees.import_csv(session, directory)
    if not report.saved:  # the shipped file is checked by the tests; this guards an edit of it
        raise RuntimeError(f"demo employee directory has errors: {report.errors}")
    for email, method in DEMO_RECEIPTS.items():
        receipts.record(session, email, version=version.version, method=method)
    for account in ACCOUNTS:
        if account.employee:
            users.update_user(session, account.name, employee=account.employee)
    # The works council heard of the control before it came into force (CAO 81 art. 7, 9) and evaluated it since.
    consultation.record_information(
        session,
        Body.WORKS_COUNCIL,
        date(2026, 1, 20),
        "de policy: doeleinden 1 tot 4, periodieke en gebeurtenisgerichte controle van de proxy- en maillogs, "
        "90 dagen bewaring",
        version=version.version,
    )


def _evaluate(sign_in: Callable[[str], Session]) -> None:
    consultation.record_evaluation(
        sign_in(ACCOUNTS[0].name),
        Body.WORKS_COUNCIL,
        date(2026, 9, 15),
        "eerste evaluatie: globale cijfers van het voorjaar, geen individualisering nodig geweest",
        "de lijst geblokkeerde sites uitgebreid",
    )


# The week of the office's log imported this long before the month: past the retention period, purged today.
EARLIER_WEEK_WEEKS_BEFORE = 17


def _import_logs(book: Casebook, sign_in: Callable[[str], Session]) -> date:
    """The sample logs of every format (bad lines included), written beside the demo and imported as the IT
    officer would; returns the Monday the four weeks of the office's proxy log start on.

    A week of the office's log from about four months before was imported back then: the demo's purge
    deletes it today (the policy keeps 90 days), leaving its global figures only.
    """
    officer = next(a for a in ACCOUNTS if Role.IT_OFFICER in a.roles)
    session = sign_in(officer.name)
    folder = book.files.home / "sample_logs"
    synth.write_samples(folder)
    now = book.clock
    today = clocks.local(now.now()).date()
    monday = today - timedelta(days=today.weekday() + 28)
    earlier = monday - timedelta(weeks=EARLIER_WEEK_WEEKS_BEFORE)
    earlier_log = folder / "office-earlier-week.log"
    earlier_start = datetime.combine(earlier, datetime.min.time(), clocks.LOCAL_ZONE)
    # A summer week, half the office on leave: fewer requests a day (and a faster demo build).
    earlier_log.write_text("\n".join(synth.month(earlier_start, 7, per_day=(40, 90))) + "\n")
    book.clock = clocks.FixedClock(earlier_start + timedelta(days=7, hours=8))  # imported the Monday after
    try:
        importer.import_file(session, earlier_log)
    finally:
        book.clock = now
    # Four weeks of the office up to yesterday, with a few incidents for the control to find.
    start = datetime.combine(monday, datetime.min.time(), clocks.LOCAL_ZONE)
    (folder / "office-month.log").write_text("\n".join(synth.month(start, 28)) + "\n")
    for log in sorted(folder.iterdir()):
        # visits.csv is the sample Squid log's day as a log platform aggregates it: both would count it twice.
        if log != earlier_log and log.name != "visits.csv":
            importer.import_file(session, log)
    return monday
