"""Shared fixtures: a fresh casebook per test, a clock that stands still, one user per role."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from casebook import config, demo, i18n, passwords, retention, users
from casebook.book import Casebook, init_casebook, open_casebook
from casebook.clock import FixedClock
from casebook.policy import consultation, versions
from casebook.policy.versions import PolicyVersion
from casebook.session import Session
from schema.policy import Body
from schema.roles import Role

# The CLI runner and its fixtures (cli, made, staffed) for every CLI test module.
pytest_plugins = ["tests.cli_support"]

# The moment every test lives in (a Saturday, 10:00 in Brussels).
NOW = datetime(2026, 11, 28, 9, 0, 0, tzinfo=UTC)
ADMIN = "admin"
PASSPHRASE = "correct horse battery"

# Everything a ready policy needs, in the form a person types it. The test clock stands at 2026-11-28.
READY = {
    "organisation_name": "vzw De Werf",
    "date_in_force": "2026-03-01",
    "bodies_present": "works_council, union_delegation",
    "consultation_body": "works_council, union_delegation",
    "consultation_date": "20/01/2026",
    "evaluation_body": "ondernemingsraad",
    "purposes": "4, 1, 3",
    "control_mode": "periodic,event",
    "test_period_max_days": "14",
    "control_means": "proxylogs op de server",
    "retention_days": "90",
    "storage_location": "de centrale server",
    "mail_domains": "DeWerf.be, https://www.werf.example/",
    "sanctions": "schriftelijke verwittiging, blaam",
}

# One account per role, and one holding two.
ROLE_USERS: dict[str, tuple[Role, ...]] = {
    "ilse": (Role.IT_OFFICER,),
    "sofie": (Role.SUPERVISOR,),
    "bert": (Role.BOARD,),
    "eva": (Role.EMPLOYEE,),
    "jan": (Role.SUPERVISOR, Role.EMPLOYEE),
}


@pytest.fixture(autouse=True)
def _fast_hashing_and_dutch() -> Iterator[None]:
    # scrypt at full cost takes ~0.1 s per hash; the suite hashes hundreds of times.
    passwords.set_cost(n=2**10, r=8, p=1)
    i18n.set_language("nl")
    yield
    passwords.set_cost()
    i18n.set_language("nl")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in config.variables():
        monkeypatch.delenv(name, raising=False)
    config.reload()


def set_env(monkeypatch: pytest.MonkeyPatch, **values: str | None) -> None:
    """Set (None: remove) environment variables and have casebook read them again, as a new command would.

    casebook reads its environment once (casebook.config); a variable changed without this goes unseen.
    """
    for name, value in values.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    config.reload()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "casebook"


@pytest.fixture
def book(home: Path, clock: FixedClock) -> Iterator[Casebook]:
    opened = init_casebook(home, ADMIN, PASSPHRASE, full_name="Ada Admin", clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def admin(book: Casebook) -> Session:
    return book.login(ADMIN, PASSPHRASE)


@pytest.fixture
def ready_policy(book: Casebook, admin: Session) -> PolicyVersion:
    """The policy filled in (READY) and in force: nothing is imported, shown or controlled before that (CAO 81
    art. 9). A test that imports logs or reads the overview asks for it; one about an unready policy does not."""
    return versions.update_settings(admin, READY)


def ready_with(admin: Session, **changes: str) -> PolicyVersion:
    """The policy READY with `changes`, and the works council informed of it the day before: a change of the
    purposes, the mode, the means or the retention applies only once the body heard of it (CAO 81 art. 9)."""
    saved = versions.update_settings(admin, {**READY, **changes})
    consultation.record_information(admin, Body.WORKS_COUNCIL, date(2026, 11, 27), "de gewijzigde controle")
    return saved


@pytest.fixture
def officer(book: Casebook, admin: Session, ready_policy: PolicyVersion) -> Session:
    """The IT officer (ilse) of a casebook whose policy is ready: they may import logs and read the overview."""
    users.add_user(admin, "ilse", [Role.IT_OFFICER], PASSPHRASE)
    return book.login("ilse", PASSPHRASE)


@pytest.fixture
def people(book: Casebook, admin: Session) -> dict[str, Session]:
    """A signed-in session for the administrator and for each name in ROLE_USERS."""
    sessions = {ADMIN: admin}
    for name, roles in ROLE_USERS.items():
        users.add_user(admin, name, roles, PASSPHRASE, full_name=name.title())
        sessions[name] = book.login(name, PASSPHRASE)
    return sessions


@pytest.fixture
def purged_today(ready_policy: PolicyVersion, people: dict[str, Session]) -> dict[str, Session]:
    """`people` under a ready policy, the day's purge run already: the IT officer's sign-in in the app then
    shows no purge notice over the screen a test looks at."""
    retention.purge(people["ilse"])
    return people


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo casebook, built once per test module (it takes a second or two) at the tests' moment."""
    home = tmp_path_factory.mktemp("demo") / "casebook"
    with pytest.MonkeyPatch.context() as patch:
        set_env(patch, CASEBOOK_NOW=NOW.isoformat())
        book, _ = demo.build(home)
        book.close()
    return home


@pytest.fixture
def demo_home(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo casebook of its own for one test, at the tests' moment: what one test changes
    (a failed sign-in, an import) no other test sees."""
    home = tmp_path / "demo"
    shutil.copytree(demo_template, home)
    set_env(monkeypatch, CASEBOOK_NOW=NOW.isoformat())
    return home


@pytest.fixture
def demo_book(demo_home: Path) -> Iterator[Casebook]:
    book = open_casebook(demo_home)
    yield book
    book.close()
