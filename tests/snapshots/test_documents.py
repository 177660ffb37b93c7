"""How the GDPR's documents look in Policy mode: the list (one made, one stale, one not yet) and a text.

Fixed terminal, fixed clock (the `book` fixture), fixed data, no blinking cursor.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from casebook.book import Casebook
from casebook.documents import archive
from casebook.policy import versions
from casebook.session import Session
from tests.conftest import ADMIN, PASSPHRASE, READY
from tests.screens.helpers import make_app, settle, sign_in

SMALL = (80, 24)


def some_documents(admin: Session) -> None:
    versions.update_settings(admin, READY)
    archive.make(admin, "notice")
    archive.make(admin, "processing-record")
    versions.update_settings(admin, {"controller_contact": "privacy@dewerf.be"})


async def documents_open(pilot: Pilot[int]) -> None:
    await sign_in(pilot, ADMIN, PASSPHRASE)
    await pilot.press("d")
    await settle(pilot)


def test_documents_list(snap_compare: Callable[..., bool], book: Casebook, admin: Session) -> None:
    some_documents(admin)
    assert snap_compare(make_app(book), terminal_size=SMALL, run_before=documents_open)


def test_document_text(snap_compare: Callable[..., bool], book: Casebook, admin: Session) -> None:
    some_documents(admin)

    async def run_before(pilot: Pilot[int]) -> None:
        await documents_open(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(book), terminal_size=SMALL, run_before=run_before)
