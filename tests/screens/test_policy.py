"""Policy mode with pilot: the browser, find and field keys, the settings form, versions, the receipts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from casebook import employees
from casebook.book import Casebook
from casebook.policy import consultation, receipts, versions
from casebook.session import Session
from schema.policy import Body, ControlMode
from screens.app import CasebookApp
from screens.policy.consultation import ConsultationForm, ConsultationScreen
from screens.policy.document_view import PolicyPiece, PolicyText
from screens.policy.mode import PolicyScreen, PolicyToc, VersionsScreen
from screens.policy.receipts import ExportReceiptScreen, ReceiptsScreen, RecordReceiptScreen
from screens.policy.settings_form import PolicySettingsScreen
from tests.conftest import ADMIN, PASSPHRASE
from tests.core.test_policy_versions import READY
from tests.screens.helpers import fill, make_app, settle, sign_in

DIRECTORY = """name,email,department,proxy_user,mail_addresses,ips
Eva Peeters,eva@delinde.be,Boekhouding,,,
Jan Claes,jan@delinde.be,Onthaal,,,
Mia Wouters,mia@delinde.be,Directie,,,
"""


async def settle_all(pilot: Pilot[int]) -> None:
    """Settle until no worker runs: a save pops a screen, whose return starts a reload."""
    for _ in range(3):
        await settle(pilot)


def policy_screen(app: CasebookApp) -> PolicyScreen:
    assert isinstance(app.screen, PolicyScreen), app.screen
    return app.screen


def text_of(app: CasebookApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def visible(screen: PolicyScreen, piece: PolicyPiece) -> bool:
    text = screen.query_one(PolicyText)
    top, height = text.scroll_y, text.scrollable_content_region.height
    return top <= piece.virtual_region.y < top + height


def current_piece(screen: PolicyScreen) -> PolicyPiece:
    current = screen.query("PolicyPiece.-current")
    assert len(current) == 1
    return current.first(PolicyPiece)


def whole_text(screen: PolicyScreen) -> str:
    return "\n".join(piece.plain for piece in screen.query(PolicyPiece))


async def test_toc_lists_every_section(book: Casebook) -> None:
    document = versions.current(book).document
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        toc = policy_screen(app).query_one(PolicyToc)
        assert [toc.get_option_at_index(i).id for i in range(toc.option_count)] == [s.key for s in document.sections]
        for index, section in enumerate(document.sections):
            assert section.heading in str(toc.get_option_at_index(index).prompt)
        assert len(document.sections) > 20


async def test_enter_on_the_toc_shows_the_section(book: Casebook) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        screen = policy_screen(app)
        toc = screen.query_one(PolicyToc)
        keys = [toc.get_option_at_index(i).id for i in range(toc.option_count)]
        toc.focus()
        toc.highlighted = keys.index("controle/2.5")
        heading = next(
            p for p in screen.query(PolicyPiece) if p.plain == "2.5 bewaring en inzage van persoonlijke gegevens"
        )
        assert not visible(screen, heading)
        await pilot.press("enter")
        await settle(pilot)
        assert visible(screen, heading)
        assert current_piece(screen) is heading


async def test_find_and_next_match(book: Casebook) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        screen = policy_screen(app)
        await pilot.press("slash")
        field = screen.query_one("#find-field", Input)
        assert field.has_focus
        await fill(pilot, "#find-field", "kwispelstaart")
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#find-status") == "geen treffers"
        await fill(pilot, "#find-field", "levenssfeer")
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#find-status") == "treffer 1 van 3"
        first = current_piece(screen)
        assert "levenssfeer" in first.plain.lower() and visible(screen, first)
        assert screen.query_one(PolicyText).has_focus  # n and N now go to the text, not the field
        await pilot.press("n")
        await settle(pilot)
        assert text_of(app, "#find-status") == "treffer 2 van 3"
        second = current_piece(screen)
        assert second is not first and "levenssfeer" in second.plain.lower() and visible(screen, second)
        await pilot.press("N")
        await settle(pilot)
        assert text_of(app, "#find-status") == "treffer 1 van 3"
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.query_one("#policy-find").display
        assert screen.check_action("find_next", ()) is False


async def test_m_goes_to_missing_fields_and_brackets_to_fields(book: Casebook) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        screen = policy_screen(app)
        await pilot.press("m")
        await settle(pilot)
        first = current_piece(screen)
        assert "⚠[naam organisatie]" in first.plain and visible(screen, first)
        await pilot.press("m")
        await settle(pilot)
        second = current_piece(screen)
        assert second.index > first.index and "⚠[" in second.plain
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert current_piece(screen).index > second.index
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert current_piece(screen) is second


async def test_settings_refuse_a_bad_value_then_save_a_new_version(book: Casebook) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, PolicySettingsScreen)
        await fill(pilot, "#field-organisation_name", "Vzw De Linde")
        await fill(pilot, "#field-retention_days", "0")
        await pilot.press("ctrl+s")
        await settle_all(pilot)
        assert isinstance(app.screen, PolicySettingsScreen)
        error = text_of(app, "#error-retention_days")
        assert "'0' past niet voor 'Bewaartermijn (dagen)'" in error and "geheel getal van 1 tot 3.650" in error
        assert app.screen.focused is app.screen.query_one("#field-retention_days")
        assert not app.screen.query_one("#error-organisation_name").display
        assert versions.current(book).version == 1
        await fill(pilot, "#field-retention_days", "")
        await pilot.press("ctrl+s")
        await settle_all(pilot)
        screen = policy_screen(app)
        current = versions.current(book)
        assert current.version == 2 and current.settings.organisation_name == "Vzw De Linde"
        assert current.settings.retention_days is None
        assert "Vzw De Linde" in whole_text(screen)
        assert "⚠[naam organisatie]" not in whole_text(screen)
        assert "(versie 2)" in str(screen.query_one("#policy-readiness", Static).render())
        assert any("Opgeslagen als versie 2" in n.message for n in app._notifications)


async def test_escape_with_changes_asks_first(book: Casebook) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("s")
        await fill(pilot, "#field-storage_location", "de server in het kantoor")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PolicySettingsScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle_all(pilot)
        assert isinstance(app.screen, PolicyScreen)
        assert versions.current(book).version == 1


async def test_settings_and_receipts_only_for_those_allowed(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "eva", PASSPHRASE)
        screen = policy_screen(app)
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.check_action("settings", ()) is False
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Zoek in de policy" in titles and "Velden van de policy invullen" not in titles
        await pilot.press("ctrl+o")
        await settle(pilot)
        await sign_in(pilot, "ilse", PASSPHRASE)
        screen = policy_screen(app)
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is screen
        assert screen.check_action("receipts", ()) is False


async def test_receipts_show_who_is_missing_and_record_one(book: Casebook, admin: Session) -> None:
    employees.import_csv(admin, DIRECTORY)
    receipts.record(admin, "mia@delinde.be", method="email")
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptsScreen)
        assert text_of(app, "#receipts-summary").startswith("1 van 3 werknemers hebben de huidige tekst")
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}
        assert rows["Mia Wouters"][1:4] == ["ja", "v1", "2026-11-28"]
        assert rows["Eva Peeters"][1:4] == ["nee", "-", "-"]
        await pilot.press("m")
        await pilot.pause()
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Eva Peeters", "Jan Claes"]
        table.move_cursor(row=1)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RecordReceiptScreen)
        await fill(pilot, "#record-date", "2026-12-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "in de toekomst" in text_of(app, "#record-message")
        await fill(pilot, "#record-date", "2026-11-28")
        app.screen.query_one("#record-method", Select).value = "hand"
        await pilot.press("ctrl+s")
        await settle_all(pilot)
        assert isinstance(app.screen, ReceiptsScreen)
        jan = next(s for s in receipts.statuses(admin) if s.employee.email == "jan@delinde.be")
        assert jan.covers_current and jan.method == "hand"
        assert text_of(app, "#receipts-summary").startswith("2 van 3")
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Eva Peeters"]
        await pilot.press("escape")
        assert isinstance(app.screen, PolicyScreen)


async def test_receipt_form_goes_to_the_exports_folder_under_a_name_the_app_chooses(
    book: Casebook, admin: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    employees.import_csv(admin, DIRECTORY)
    started = tmp_path / "started"
    started.mkdir()
    monkeypatch.chdir(started)  # where the app was started matters no more
    folder = book.files.home / "exports"
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("r")
        await settle(pilot)
        for _ in range(2):
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, ExportReceiptScreen)
            assert not app.screen.query("#export-path")  # nobody types a path
            assert str(folder) in text_of(app, "#export-where")
            await pilot.press("ctrl+s")
            await settle_all(pilot)
            assert isinstance(app.screen, ReceiptsScreen)
        app.screen.query_one(DataTable).move_cursor(row=1)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-format", Select).value = "md"
        await pilot.press("ctrl+s")
        await settle_all(pilot)
    assert sorted(p.name for p in folder.iterdir()) == [
        "ontvangstbewijs-eva-2026-11-28-2.txt",  # a second one the same day is written beside, not over
        "ontvangstbewijs-eva-2026-11-28.txt",
        "ontvangstbewijs-jan-2026-11-28.md",
    ]
    assert "Ik, ondergetekende: Eva Peeters" in (folder / "ontvangstbewijs-eva-2026-11-28.txt").read_text("utf-8")
    assert (folder / "ontvangstbewijs-jan-2026-11-28.md").read_text("utf-8").startswith("# ONTVANGSTBEWIJS")
    assert {oct(p.stat().st_mode & 0o777) for p in folder.iterdir()} == {"0o600"}
    assert not list(started.iterdir())


async def test_receipts_and_recording_only_for_those_allowed(book: Casebook, people: dict[str, Session]) -> None:
    employees.import_csv(people[ADMIN], DIRECTORY)
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "bert", PASSPHRASE)  # the board sees the receipts but records none
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptsScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptsScreen)
        assert app.screen.check_action("record", ()) is False
        assert app.screen.check_action("export", ()) is False


async def test_v_shows_an_earlier_version_read_only(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {"organisation_name": "Vzw De Linde"})
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        screen = policy_screen(app)
        assert "Vzw De Linde" in whole_text(screen)
        assert not screen.query_one("#policy-old-version").display
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, VersionsScreen)
        await pilot.press("down", "enter")
        await settle_all(pilot)
        assert app.screen is screen
        assert text_of(app, "#policy-old-version").startswith("Versie 1 van 2026-11-28 10:00 — niet de huidige")
        assert "Vzw De Linde" not in whole_text(screen) and "⚠[naam organisatie]" in whole_text(screen)
        assert "(versie 1)" in str(screen.query_one("#policy-readiness", Static).render())
        await pilot.press("v")
        await settle_all(pilot)
        assert not screen.query_one("#policy-old-version").display
        assert "Vzw De Linde" in whole_text(screen)


async def test_markup_in_the_directory_shows_literally(book: Casebook, admin: Session) -> None:
    report = employees.import_csv(
        admin, "name,email,department\n[red]Mal[/red]\x1b[2Jlory,mal@delinde.be,[bold]IT\x07\n"
    )
    assert report.saved
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("r")
        await settle(pilot)
        row = [str(cell) for cell in app.screen.query_one(DataTable).get_row_at(0)]
        assert row[0].startswith("[red]Mal[/red]") and row[0].endswith("[2Jlory")
        assert row[5].startswith("[bold]IT")
        assert not any(ch in "".join(row) for ch in "\x1b\x07")


async def test_palette_offers_the_policy_actions(book: Casebook) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in (
            "Zoek in de policy",
            "Volgend veld in de policy",
            "Volgend ontbrekend veld",
            "Velden van de policy invullen",
            "Ontvangstbewijzen",
            "Versies van de policy",
        ):
            assert title in titles
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "Zoek in de policy" not in [c.title for c in app.get_system_commands(app.screen)]


async def test_browser_fits_80x24(book: Casebook) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        screen = policy_screen(app)
        text = screen.query_one(PolicyText)
        assert text.region.height >= 10 and text.region.right <= 80
        assert screen.query_one(PolicyToc).region.width == 30
        await pilot.press("slash")
        await pilot.pause()
        bar = screen.query_one("#policy-find")
        assert bar.region.bottom <= 23 and bar.region.height == 1


async def test_a_text_loaded_meanwhile_shows_when_the_mode_comes_back(book: Casebook, admin: Session) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        screen = policy_screen(app)
        count = len(screen.query(PolicyPiece))
        # Someone loads the organisation's own text from the command line meanwhile.
        text = versions.default_text().replace(
            "### 1. Algemeen\n", "### 1. Algemeen\n\nEen eigen alinea van {{organisation_name}}.\n", 1
        )
        versions.load_text(admin, text)
        await pilot.press("4")  # to Access mode and back: the screen reloads when it shows again
        await pilot.press("1")
        await settle_all(pilot)
        assert app.screen is screen
        assert len(screen.query(PolicyPiece)) == count + 1
        assert "Een eigen alinea van ⚠[naam organisatie]." in whole_text(screen)
        assert "(versie 2)" in str(screen.query_one("#policy-readiness", Static).render())


async def test_an_information_recorded_in_the_app_makes_the_changed_policy_ready(
    book: Casebook, admin: Session
) -> None:
    versions.update_settings(admin, READY)
    versions.update_settings(admin, {"retention_days": "60"})  # a change the works council must hear of
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        assert "versie 3 wijzigde Bewaartermijn" in text_of(app, "#policy-readiness")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConsultationScreen)
        assert app.screen.query_one("#consultation-empty").display
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConsultationForm)
        await fill(pilot, "#consultation-what", "bewaartermijn 60 dagen")
        await pilot.press("ctrl+s")
        await settle_all(pilot)
        assert isinstance(app.screen, ConsultationScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert "versie 3: bewaartermijn 60 dagen" in str(table.get_row_at(0)[3])
        await pilot.press("escape")
        await settle_all(pilot)
        assert "Klaar voor controle" in text_of(app, "#policy-readiness")


async def test_employees_read_the_consultations_but_record_none(book: Casebook, people: dict[str, Session]) -> None:
    consultation.record_evaluation(people[ADMIN], Body.EMPLOYEES, date(2026, 10, 1), "jaarlijkse evaluatie")
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "eva", PASSPHRASE)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("a", "e")
        await settle(pilot)
        assert isinstance(app.screen, ConsultationScreen)  # no form opened
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Inlichting van het overlegorgaan vastleggen" not in titles


async def test_an_exports_folder_that_became_a_link_into_ssh_is_refused_not_written(
    book: Casebook, admin: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    employees.import_csv(admin, DIRECTORY)
    ssh = tmp_path / "service-home" / ".ssh"
    ssh.mkdir(parents=True)
    (book.files.home / "exports").symlink_to(ssh)  # made by someone with a shell, after the setting was checked
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert "Geweigerd door de regel 'map buiten het casebook'" in text_of(app, "#export-where")
        await pilot.press("ctrl+s")
        await settle_all(pilot)
        assert isinstance(app.screen, ExportReceiptScreen)
        assert "Geweigerd door de regel 'map buiten het casebook'" in text_of(app, "#export-message")
    assert list(ssh.iterdir()) == []


async def test_m_with_nothing_missing_says_so(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        screen = policy_screen(app)
        assert not any(p.unit.has_missing for p in screen.pieces)
        await pilot.press("m")
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["Er ontbreekt geen enkel veld."]
        await pilot.press("n")  # nothing searched yet
        await settle(pilot)
        assert [n.message for n in app._notifications][-1] == "Nog geen treffers: zoek eerst een woord met /."


async def test_receipt_keys_of_the_administrator_say_why_to_a_supervisor(
    book: Casebook, admin: Session, people: dict[str, Session]
) -> None:
    from casebook.permissions import Action

    employees.import_csv(admin, DIRECTORY)
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "sofie", PASSPHRASE)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptsScreen)
        refusal = people["sofie"].refusal(Action.MANAGE_EMPLOYEES)
        assert refusal is not None
        for key in ("a", "e"):
            app.clear_notifications()
            await pilot.press(key)
            await settle(pilot)
            assert [n.message for n in app._notifications] == [refusal.message]
            assert isinstance(app.screen, ReceiptsScreen)  # no form opened


async def test_settings_offer_choices_by_name_and_the_core_judges_them(book: Casebook, admin: Session) -> None:
    from screens.widgets.choices import ChoiceList

    versions.update_settings(admin, READY)
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PolicySettingsScreen)
        purposes = screen.query_one("#field-purposes", ChoiceList)
        lines = [str(purposes.get_option_at_index(i).prompt) for i in range(purposes.option_count)]
        assert lines[0] == "[x] 1 · onrechtmatige of lasterlijke daden, daden tegen de goede zeden of de waardigheid"
        assert lines[1].startswith("[ ] 2 · vertrouwelijke economische")
        bodies = screen.query_one("#field-bodies_present", ChoiceList)
        assert [str(bodies.get_option_at_index(i).prompt) for i in range(bodies.option_count)] == [
            "[x] de ondernemingsraad",
            "[ ] het comité voor preventie en bescherming op het werk",
            "[x] de vakbondsafvaardiging",
            "[ ] geen van deze: de werknemers zelf worden ingelicht",
        ]
        urls = screen.query_one("#field-keep_full_urls", ChoiceList)
        assert str(urls.get_option_at_index(0).prompt).startswith("(•) nee")
        assert screen.query_one("#field-date_in_force", Input).placeholder.startswith("JJJJ-MM-DD")
        # Permanent control besides test periods: the core refuses it, under the field.
        mode = screen.query_one("#field-control_mode", ChoiceList)
        mode.focus()
        mode.highlighted = 0
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle_all(pilot)
        assert isinstance(app.screen, PolicySettingsScreen)
        error = text_of(app, "#error-control_mode")
        assert (
            error.startswith("Geweigerd door de regel 'geldige veldwaarde'") and "permanent, periodic, event" in error
        )
        for index in (1, 2):  # untick the periodic and the event control
            mode.highlighted = index
            await pilot.press("enter")
        purposes.focus()
        purposes.highlighted = 1
        await pilot.press("space")  # purpose 2 too
        await pilot.press("ctrl+s")
        await settle_all(pilot)
        saved = versions.current(book).settings
        assert saved.control_mode == (ControlMode.PERMANENT,)
        assert saved.purposes == (1, 2, 3, 4)
        assert saved.bodies_present == (Body.WORKS_COUNCIL, Body.UNION_DELEGATION)  # untouched


async def test_no_body_at_all_is_a_choice(book: Casebook, admin: Session) -> None:
    from screens.widgets.choices import ChoiceList

    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("s")
        await settle(pilot)
        bodies = app.screen.query_one("#field-bodies_present", ChoiceList)
        bodies.focus()
        bodies.highlighted = 3
        await pilot.press("space")
        assert app.screen.text_of("bodies_present") == "none"
        await pilot.press("ctrl+s")
        await settle_all(pilot)
        assert versions.current(book).settings.bodies_present == (Body.EMPLOYEES,)
