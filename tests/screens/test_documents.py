"""Policy mode's documents: the list per role, reading a version, making one, writing it out."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from casebook.book import Casebook
from casebook.documents import archive
from casebook.policy import versions
from casebook.session import Session
from screens.policy.documents import DocumentsScreen, DocumentTextScreen
from tests.conftest import ADMIN, PASSPHRASE
from tests.core.test_policy_versions import READY
from tests.screens.helpers import make_app, settle, sign_in


def rows(screen: DocumentsScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_documents(pilot, name: str = ADMIN) -> DocumentsScreen:  # type: ignore[no-untyped-def]
    await sign_in(pilot, name, PASSPHRASE)
    await pilot.press("d")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DocumentsScreen)
    return screen


async def test_the_administrator_makes_reads_and_writes_out_a_document(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {**READY, "controller_contact": "privacy@dewerf.be"})
    app = make_app(book)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_documents(pilot)
        assert [r[0] for r in rows(screen)] == ["Privacyverklaring", "Verwerkingsregister", "GEB (ontwerp)"]
        assert rows(screen)[0][1:4] == ["-", "-", "nog niet gemaakt"]
        assert screen.check_action("show", ()) is None  # nothing to read yet
        await pilot.press("m")
        await settle(pilot)
        assert rows(screen)[0][1:5] == ["v1", "ja", "28 november 2026", "2"]
        assert archive.get(admin, "notice").version == 1
        await pilot.press("enter")
        await settle(pilot)
        text = app.screen
        assert isinstance(text, DocumentTextScreen)
        shown = str(text.query_one("#documents-text-body", Static).render())
        assert shown.startswith("# Privacyverklaring") and "privacy@dewerf.be" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("p")
        await settle(pilot)
        written = book.files.home / "exports" / "privacyverklaring-v1.pdf"
        assert written.read_bytes().startswith(b"%PDF-")
        assert str(written) in str(screen.query_one("#documents-message", Static).render())


async def test_a_changed_policy_shows_the_document_is_not_current(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    archive.make(admin, "dpia")
    versions.update_settings(admin, {"retention_days": "45"})
    app = make_app(book)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_documents(pilot)
        dpia = rows(screen)[2]
        assert dpia[1] == "v1" and dpia[2].startswith("nee")
        screen.query_one(DataTable).move_cursor(row=2)
        await settle(pilot)
        message = str(screen.query_one("#documents-message", Static).render())
        assert "controller_contact" in message  # what the policy still lacks for it


async def test_an_employee_sees_only_the_notice_and_cannot_make_it(book: Casebook, people: dict[str, Session]) -> None:
    versions.update_settings(people[ADMIN], READY)
    archive.make(people[ADMIN], "notice")
    app = make_app(book)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_documents(pilot, "eva")
        assert [r[:2] for r in rows(screen)] == [["Privacyverklaring", "v1"]]
        assert rows(screen)[0][2] == "-"
        assert screen.check_action("make", ()) is False
        await pilot.press("m")
        await settle(pilot)
        assert archive.history(people[ADMIN], "notice")[0].version == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentTextScreen)


async def test_the_board_reads_all_three(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_documents(pilot, "bert")
        assert len(rows(screen)) == 3
        assert all(r[3] == "nog niet gemaakt" for r in rows(screen))
