"""The demo casebook: one account per role, passphrases printed, kept apart from real casebooks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from casebook import users
from casebook.book import Casebook, init_casebook, open_casebook
from casebook.errors import CasebookError
from casebook.paths import Layout
from schema.roles import Role

DEMO_FLAG = "demo"


@dataclass(frozen=True)
class DemoAccount:
    name: str
    full_name: str
    roles: tuple[Role, ...]

    @property
    def passphrase(self) -> str:
        return f"demo-pass-{self.name}"


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("an", "An Peeters", (Role.ADMIN,)),
    DemoAccount("ilse", "Ilse Claes", (Role.IT_OFFICER, Role.EMPLOYEE)),
    DemoAccount("sofie", "Sofie Janssens", (Role.SUPERVISOR, Role.EMPLOYEE)),
    DemoAccount("bert", "Bert Maes", (Role.BOARD,)),
    DemoAccount("eva", "Eva Willems", (Role.EMPLOYEE,)),
)


def is_demo(book: Casebook) -> bool:
    row = book.store.query_one("SELECT value FROM settings WHERE key = ?", [DEMO_FLAG])
    return bool(row and json.loads(str(row["value"])))


def build(home: Path, reset: bool = False) -> tuple[Casebook, bool]:
    """Open the demo casebook at `home`, building it first when missing. Returns (book, built)."""
    layout = Layout(home)
    if layout.db.exists():
        book = open_casebook(home)
        if not is_demo(book):
            book.close()
            raise CasebookError("error.not_demo", path=str(home))
        if not reset:
            return book, False
        book.close()
        for path in (layout.db, layout.key, Path(f"{layout.db}-wal"), Path(f"{layout.db}-shm")):
            path.unlink(missing_ok=True)
    admin = ACCOUNTS[0]
    book = init_casebook(home, admin.name, admin.passphrase, full_name=admin.full_name)
    session = book.login(admin.name, admin.passphrase)
    with book.store.transaction():
        book.store.conn.execute("INSERT INTO settings (key, value) VALUES (?, 'true')", (DEMO_FLAG,))
        session.audit("casebook.demo_marked")
    for account in ACCOUNTS[1:]:
        users.add_user(session, account.name, account.roles, account.passphrase, account.full_name)
    return book, True
