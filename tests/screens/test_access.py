"""Access mode with pilot: the employee's own requests, the handling of every request, the exports, the daily purge.

On the demo casebook (eva and sofie linked to their people; requests 1-5 in every state, see
casebook/demo_data/requests.py) at the tests' fixed moment, unless a test needs a bare casebook.
"""

from __future__ import annotations

import json
from datetime import timedelta

from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from casebook import access, audit, employees
from casebook.access import Kind, Status
from casebook.book import Casebook
from casebook.clock import FixedClock
from casebook.session import Session
from screens.access.forms import AnnotateForm, DecideForm, ExtendForm, NewRequestForm, RectifyForm
from screens.access.mode import AccessScreen, RequestsTable
from screens.access.request import RequestScreen, VisitsTable
from tests.conftest import NOW, PASSPHRASE
from tests.screens.helpers import fill, make_app, settle, sign_in

SIZE = (100, 30)
KARIM = "karim.bakkali@dewerf.be"


def static_text(pilot: Pilot[int], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def listed(pilot: Pilot[int]) -> list[int]:
    """The ids of the requests the Access mode lists, in order."""
    return [r.id for r in pilot.app.screen.query_one(RequestsTable).items]


def notified(pilot: Pilot[int]) -> list[str]:
    return [n.message for n in pilot.app._notifications]


async def access_mode(pilot: Pilot[int], name: str, passphrase: str | None = None) -> AccessScreen:
    await sign_in(pilot, name, passphrase or f"demo-pass-{name}")
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AccessScreen)
    return screen


async def open_request(pilot: Pilot[int], request_id: int) -> RequestScreen:
    table = pilot.app.screen.query_one(RequestsTable)
    table.move_cursor(row=listed(pilot).index(request_id), animate=False)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RequestScreen) and screen.request is not None
    return screen


async def save(pilot: Pilot[int]) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)


# -- the employee --------------------------------------------------------------------------------------------


async def test_an_employee_files_a_request_and_sees_it(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        screen = await access_mode(pilot, "eva")
        assert listed(pilot) == [4]
        assert screen.check_action("new_request", ()) is True
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewRequestForm)
        assert not app.screen.query("#form-email")  # an employee files only their own
        app.screen.query_one("#form-kind", Select).value = Kind.INFORMATION.value
        await fill(pilot, "#form-text", "Wie ziet mijn gegevens?")
        await save(pilot)
        assert app.screen is screen
        assert "Verzoek 6 (informatie) ontvangen; antwoord uiterlijk 2026-12-28." in notified(pilot)
        assert listed(pilot) == [6, 4]
        table = screen.query_one(RequestsTable)
        assert [str(c) for c in table.get_row_at(0)] == ["informatie", "2026-11-28", "2026-12-28", "ontvangen"]
        request = await open_request(pilot, 6)
        assert "Het antwoord verschijnt hier zodra het verzoek ingewilligd is." in static_text(
            pilot, "#request-answer-text"
        )
        assert request.check_action("decide", ()) is False  # an employee takes no step
    filed = access.get(demo_book.login("an", "demo-pass-an"), 6)
    assert (filed.employee_email, filed.text, filed.filed_by) == (
        "eva.willems@dewerf.be",
        "Wie ziet mijn gegevens?",
        "eva",
    )


async def test_an_employee_never_sees_another_employees_request(demo_book: Casebook) -> None:
    sofie_request = access.file(demo_book.login("sofie", "demo-pass-sofie"), Kind.ERASURE, text="alles wissen")
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await access_mode(pilot, "sofie")
        assert listed(pilot) == [sofie_request.id, 3]
        await pilot.press("ctrl+o")
        await settle(pilot)
        await access_mode(pilot, "eva")
        assert listed(pilot) == [4]
        await open_request(pilot, 4)
        facts = static_text(pilot, "#request-facts")
        assert "Sofie" not in facts and "ingewilligd" in facts
        assert pilot.app.screen.query_one(VisitsTable).items  # her own visits
    admin = demo_book.login("an", "demo-pass-an")
    eva_ref = audit.reference("employee", access.get(admin, 4).employee_id)
    # Eva's answer was resolved for her, and nothing was ever resolved or read in her name about anyone else.
    rows = [r for r in demo_book.audit_rows(admin, limit=100_000) if r.actor == "eva"]
    assert any(r.action == "access.resolved" for r in rows)
    assert all(r.subject == eva_ref for r in rows if r.action.startswith("access."))


async def test_an_unlinked_account_is_told_to_ask_the_administrator(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await access_mode(pilot, "eva", PASSPHRASE)
        empty = static_text(pilot, "#access-empty")
        assert "aan niemand in de werknemerslijst gekoppeld" in empty
        assert "Vraag de beheerder" in empty
        assert not screen.query_one(RequestsTable).display
        assert screen.check_action("new_request", ()) is False
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen


# -- whoever handles the requests --------------------------------------------------------------------------


async def test_the_administrator_sees_every_request_with_the_overdue_one_in_words(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await access_mode(pilot, "an")
        assert listed(pilot) == [1, 3, 2, 4, 5]  # the core's order: open ones by deadline first
        table = pilot.app.screen.query_one(RequestsTable)
        assert str(table.get_row_at(0)[3]) == "2026-11-19 ⚠ te laat"
        assert "1 verzoek is te laat beantwoord." in static_text(pilot, "#access-summary")
        assert "⚠ 9 dagen te laat" in static_text(pilot, "#access-detail")
        request = await open_request(pilot, 1)
        assert "⚠ 9 dagen te laat" in static_text(pilot, "#request-facts")
        answer = static_text(pilot, "#request-answer-text")
        assert "Voorbeeld" in answer and "Gegevensbeschermingsautoriteit" in answer  # the preview
        assert request.check_action("start", ()) is False  # already in progress
        assert request.check_action("decide", ()) is True


async def test_the_administrator_grants_and_refuses_with_a_reason(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await access_mode(pilot, "an")
        await open_request(pilot, 3)  # Sofie's access request, extended
        assert "Voorbeeld" in static_text(pilot, "#request-answer-text")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DecideForm)
        await save(pilot)  # granted, the default
        request = app.screen
        assert isinstance(request, RequestScreen) and request.request is not None
        assert request.request.status is Status.GRANTED
        assert "Verzoek 3: ingewilligd." in notified(pilot)
        assert "Voorbeeld" not in static_text(pilot, "#request-answer-text")
        await pilot.press("f")  # the answer handed over
        await settle(pilot)
        assert request.request.status is Status.DONE
        await pilot.press("escape")
        await settle(pilot)
        await open_request(pilot, 1)  # Jan's information request, overdue
        await pilot.press("d")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DecideForm)
        form.query_one("#form-decision", Select).value = Status.REFUSED.value
        await fill(pilot, "#form-reason", "nee")
        await save(pilot)
        assert app.screen is form  # a refusal says why
        assert "Geweigerd door de regel 'motivering'" in static_text(pilot, "#form-message")
        await fill(pilot, "#form-reason", "kennelijk ongegrond: dezelfde vraag werd vorige maand beantwoord")
        await save(pilot)
        request = app.screen
        assert isinstance(request, RequestScreen) and request.request is not None
        assert request.request.status is Status.REFUSED
        assert "kennelijk ongegrond" in static_text(pilot, "#request-facts")


async def test_an_erasure_under_hold_is_refused_with_the_rule(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await access_mode(pilot, "an")
        await pilot.press("n")  # the administrator files on Karim's behalf
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewRequestForm)
        await fill(pilot, "#form-email", KARIM)
        form.query_one("#form-kind", Select).value = Kind.ERASURE.value
        await save(pilot)
        assert "Geweigerd door de regel 'identiteit nagegaan'" in static_text(pilot, "#form-message")
        await fill(pilot, "#form-identity", "identiteitskaart getoond aan de beheerder")
        await save(pilot)
        assert listed(pilot) == [1, 6, 3, 2, 4, 5]  # by its deadline among the open ones
        await open_request(pilot, 6)
        assert "identiteitskaart getoond" in static_text(pilot, "#request-facts")
        await pilot.press("d")
        await settle(pilot)
        await save(pilot)  # grant the erasure: the hold on case 3 forbids it
        message = static_text(pilot, "#form-message")
        assert message.startswith("Geweigerd door de regel 'gerechtelijke bewaring': dossier 3 is in bewaring")
        reason = app.screen.query_one("#form-reason", Input).value
        assert reason.startswith("dossier 3 is in bewaring gegeven")  # offered as the refusal's reason
        app.screen.query_one("#form-decision", Select).value = Status.REFUSED.value
        await save(pilot)
        request = app.screen
        assert isinstance(request, RequestScreen) and request.request is not None
        assert request.request.status is Status.REFUSED
        assert request.request.decision_reason == reason


async def test_the_it_officer_starts_and_extends_with_a_reason(demo_book: Casebook) -> None:
    filed = access.file(demo_book.login("eva", "demo-pass-eva"), Kind.INFORMATION)
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await access_mode(pilot, "ilse")
        request = await open_request(pilot, filed.id)
        assert request.check_action("start", ()) is True
        await pilot.press("s")
        await settle(pilot)
        assert request.request is not None and request.request.status is Status.IN_PROGRESS
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExtendForm)
        await fill(pilot, "#form-reason", "druk")
        await save(pilot)
        assert "Geweigerd door de regel 'verlenging van de termijn'" in static_text(pilot, "#form-message")
        await fill(pilot, "#form-reason", "veel verzoeken tegelijk na de controle van november")
        await save(pilot)
        assert app.screen is request
        assert request.request.status is Status.EXTENDED
        assert "Verzoek 6 verlengd tot 2027-02-28." in notified(pilot)
        facts = static_text(pilot, "#request-facts")
        assert "uiterlijk 2027-02-28" in facts and "veel verzoeken tegelijk" in facts
        assert request.check_action("extend", ()) is False  # once
        await pilot.press("escape")
        await settle(pilot)
        assert static_text(pilot, "#access-detail").endswith("nog 92 dagen")
        await open_request(pilot, 1)  # Jan's: the first month is over
        await pilot.press("x")
        await settle(pilot)
        await fill(pilot, "#form-reason", "veel verzoeken tegelijk na de controle van november")
        await save(pilot)
        assert "voor de eerste maand voorbij is (uiterlijk 2026-11-19" in static_text(pilot, "#form-message")


async def test_the_answer_is_written_into_the_exports_folder(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await access_mode(pilot, "eva")
        await open_request(pilot, 4)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
    folder = demo_book.files.home / "exports"  # the setting exports_folder, by default
    assert sorted(p.name for p in folder.iterdir()) == [
        "antwoord-verzoek-4-2.md",
        "antwoord-verzoek-4.json",
        "antwoord-verzoek-4.md",
    ]
    letter = (folder / "antwoord-verzoek-4.md").read_text("utf-8")
    assert "Aan Eva Willems <eva.willems@dewerf.be>" in letter and "Gegevensbeschermingsautoriteit" in letter
    data = json.loads((folder / "antwoord-verzoek-4.json").read_text("utf-8"))
    assert data["person"]["email"] == "eva.willems@dewerf.be" and data["visits"]
    assert f"Antwoord geschreven naar {folder / 'antwoord-verzoek-4.md'}." in notified(pilot)
    assert (folder / "antwoord-verzoek-4.md").stat().st_mode & 0o077 == 0


async def test_an_information_request_has_no_copy_and_a_rectification_no_answer(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await access_mode(pilot, "an")
        request = await open_request(pilot, 2)  # Nadia's rectification, done
        assert "wordt met een beslissing beantwoord" in static_text(pilot, "#request-answer-text")
        assert request.check_action("export", ("md",)) is False
        assert not request.query_one(VisitsTable).display


# -- rectification -------------------------------------------------------------------------------------------

JAN = "jan.vermeulen@dewerf.be"


def jan_rectification(book: Casebook) -> int:
    admin = book.login("an", "demo-pass-an")
    return access.file(admin, Kind.RECTIFICATION, for_email=JAN, identity_check="identiteitskaart", text="mijn IP").id


async def test_the_administrator_corrects_the_entry_in_a_form_filled_with_it(demo_book: Casebook) -> None:
    request_id = jan_rectification(demo_book)
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await access_mode(pilot, "an")
        page = await open_request(pilot, request_id)
        assert "Nog niets verbeterd" in static_text(pilot, "#request-answer-text")
        await pilot.press("r")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RectifyForm)
        assert form.query_one("#form-name", Input).value == "Jan Vermeulen"
        assert form.query_one("#form-ips", Input).value == "10.20.1.21@2026-07-01.."
        await save(pilot)
        assert "Verander eerst" in static_text(pilot, "#form-message")  # nothing changed yet
        # Eva held this address until the end of June: the core refuses, and the dialog says why.
        await fill(pilot, "#form-ips", "10.20.1.21@2026-06-01..")
        await fill(pilot, "#form-note", "de pc stond al in juni bij Jan")
        await save(pilot)
        assert app.screen is form
        message = static_text(pilot, "#form-message")
        assert "één persoon per kenmerk tegelijk" in message and "eva.willems@dewerf.be" in message
        await fill(pilot, "#form-ips", "10.20.1.21@2026-07-01..2026-10-31")
        await fill(pilot, "#form-note", "de pc ging in november naar het onthaal")
        await save(pilot)
        assert app.screen is page
        assert any(m.startswith(f"Verzoek {request_id}: werknemerslijst verbeterd") for m in notified(pilot))
        body = static_text(pilot, "#request-answer-text")
        assert "IP-adressen: 10.20.1.21@2026-07-01.. → 10.20.1.21@2026-07-01..2026-10-31" in body
        assert "Toelichting: de pc ging in november naar het onthaal" in body
        assert page.request is not None and page.request.status is Status.IN_PROGRESS
        # The statement: the same page, its own form.
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateForm)
        await fill(pilot, "#form-statement", "de bezoeken van 3 november waren een collega aan mijn bureau")
        await save(pilot)
        assert "een collega aan mijn bureau" in static_text(pilot, "#request-answer-text")
    admin = demo_book.login("an", "demo-pass-an")
    assert employees.as_row(employees.find(admin, JAN))["ips"] == "10.20.1.21@2026-07-01..2026-10-31"


async def test_the_it_officer_starts_a_rectification_but_neither_corrects_nor_decides_it(demo_book: Casebook) -> None:
    request_id = jan_rectification(demo_book)
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await access_mode(pilot, "ilse")
        page = await open_request(pilot, request_id)
        for action in ("rectify", "annotate", "decide"):
            assert page.check_action(action, ()) is False
        assert page.check_action("start", ()) is True and page.check_action("extend", ()) is True


async def test_a_done_rectification_shows_what_was_corrected(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await access_mode(pilot, "an")
        page = await open_request(pilot, 2)  # Nadia's: the period of her PC's address starts on her move
        body = static_text(pilot, "#request-answer-text")
        assert "Verbetering 1" in body and "IP-adressen: 10.20.1.22 → 10.20.1.22@2026-09-01.." in body
        assert "nadien gewijzigd" not in body  # the record matches the digest the trail sealed
        assert page.check_action("rectify", ()) is False and page.check_action("annotate", ()) is False
    with demo_book.store.transaction():  # someone with the database alone rewrites the record
        demo_book.store.conn.execute("UPDATE rectifications SET text = 'niets aan de hand' WHERE request_id = 2")
    async with make_app(demo_book).run_test(size=SIZE) as pilot:
        await access_mode(pilot, "an")
        await open_request(pilot, 2)
        assert "⚠ deze gegevens komen niet meer overeen" in static_text(pilot, "#request-answer-text")


# -- the daily purge -----------------------------------------------------------------------------------------


def purges(book: Casebook) -> int:
    row = book.store.query_one("SELECT count(*) AS n FROM purges")
    return int(row["n"]) if row else 0


async def test_the_daily_purge_runs_once_a_day_when_an_it_officer_signs_in(demo_book: Casebook) -> None:
    assert purges(demo_book) == 1  # the demo's, today
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "ilse", "demo-pass-ilse")
        assert purges(demo_book) == 1  # it ran today already
        assert not any("opschoning" in m for m in notified(pilot))
        await pilot.press("ctrl+o")
        await settle(pilot)
        demo_book.clock = FixedClock(NOW + timedelta(days=1))
        await sign_in(pilot, "eva", "demo-pass-eva")  # not an IT officer: nothing runs
        assert purges(demo_book) == 1
        await pilot.press("ctrl+o")
        await settle(pilot)
        await sign_in(pilot, "ilse", "demo-pass-ilse")
        assert purges(demo_book) == 2
        assert any(m.startswith("Dagelijkse opschoning:") and "van voor 2026-08-31" in m for m in notified(pilot))
        await pilot.press("ctrl+o")
        await settle(pilot)
        await sign_in(pilot, "ilse", "demo-pass-ilse")
        assert purges(demo_book) == 2  # once a day


async def test_no_retention_period_no_purge_and_no_noise(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        assert purges(book) == 0
        assert not notified(pilot)
