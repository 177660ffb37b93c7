"""Cases mode with pilot: the list and its filters, a new case through the form, the steps of a case's page,
'why not?', two people on one case, the letters in their editor, a case from an irregularity.

The demo casebook holds four cases (casebook/demo_data/cases.py): 1 a purpose-1 case heard (Tom Wouters),
2 a purpose-4 test period waiting for a recurrence after its warning, 3 a dismissal with the deadline of its
written reasons running (Karim Bakkali), 4 closed without findings. sofie is the supervisor, ilse the IT
officer; both took steps on every case, so both see its people.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static, TextArea

from casebook import cases, rules
from casebook.book import Casebook
from casebook.cases import Circumstance, LetterKind
from casebook.session import Session
from screens.app import CasebookApp
from screens.cases.dialogs import ChoiceDialog, WhyDialog
from screens.cases.forms import FormDialog
from screens.cases.letter_editor import LetterEditor
from screens.cases.mode import CasesScreen, CasesTable
from screens.cases.page import CaseScreen
from screens.logs.irregularities import IrregularitiesScreen
from screens.widgets.confirm import ConfirmScreen
from tests.conftest import PASSPHRASE
from tests.screens.helpers import fill, make_app, settle, sign_in

SIZE = (120, 36)
SMALL = (80, 24)
TOM = "tom.wouters@dewerf.be"
KARIM = "karim.bakkali@dewerf.be"


def demo_session(book: Casebook, name: str) -> Session:
    return book.login(name, f"demo-pass-{name}")


def text_of(app: CasebookApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def words(app: CasebookApp) -> str:
    """Every Static's text on the current screen."""
    return "\n".join(str(static.render()) for static in app.screen.query(Static))


def cell(value: Any) -> str:
    return value.plain if isinstance(value, Text) else str(value)


def column(table: DataTable[Any], index: int = 0) -> list[str]:
    return [cell(table.get_row_at(r)[index]) for r in range(table.row_count)]


async def open_mode(pilot: Pilot[int], name: str) -> CasesScreen:
    await sign_in(pilot, name, f"demo-pass-{name}")
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CasesScreen), screen
    return screen


async def open_case(pilot: Pilot[int], name: str, case_id: int) -> CaseScreen:
    """The case's page, reached as a person does: the mode's list, the row, Enter."""
    await open_mode(pilot, name)
    table = pilot.app.screen.query_one(CasesTable)
    table.move_cursor(row=column(table).index(str(case_id)))
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseScreen) and screen.view is not None, screen
    return screen


async def choose(pilot: Pilot[int], selector: str, value: object) -> None:
    pilot.app.screen.query_one(selector, Select).value = value
    await settle(pilot)


def timeline(app: CasebookApp) -> str:
    return text_of(app, "#case-timeline")


# -- the list --------------------------------------------------------------------------------------------------


async def test_the_list_shows_each_case_step_and_due_date(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_mode(pilot, "sofie")
        table = app.screen.query_one(CasesTable)
        assert column(table) == ["4", "3", "2", "1"]  # newest first
        assert column(table, 2) == ["afgesloten", "geïndividualiseerd", "verwittigd", "geïndividualiseerd"]
        assert column(table, 3)[1] == "2026-11-02 – 11-08"
        assert column(table, 5) == ["0", "1", "0", "1"]  # people: a number, never who
        assert column(table, 6) == ["-", "2026-12-02", "-", "2026-11-07"]
        assert "4 dossiers getoond" in text_of(app, "#cases-filter")
        table.move_cursor(row=1)
        await settle(pilot)
        detail = text_of(app, "#cases-detail")
        assert "Dossier 3 · doel 3: veiligheid" in detail
        assert "de redenen van het ontslag (uiterlijk 2026-12-02)" in detail
        # A supervisor decides on new cases; the key is there.
        assert "n" in app.screen.active_bindings


async def test_the_filters_by_step_purpose_and_due(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_mode(pilot, "ilse")
        table = app.screen.query_one(CasesTable)
        for _ in range(5):  # all -> decided -> controlled -> warned -> approved -> individualised
            await pilot.press("s")
        await settle(pilot)
        assert column(table) == ["3", "1"]
        assert "[geïndividualiseerd]" in text_of(app, "#cases-filter")
        await pilot.press("p")  # purpose 1
        await settle(pilot)
        assert column(table) == ["1"]
        assert "[1 onrechtmatig]" in text_of(app, "#cases-filter")
        for _ in range(3):  # back to all steps (individualised -> consulted -> closed -> all)
            await pilot.press("s")
        await settle(pilot)
        assert column(table) == ["4", "1"]
        await pilot.press("d")  # only what is due: case 4 is closed
        await settle(pilot)
        assert column(table) == ["1"]
        assert "Te doen: [alleen]" in text_of(app, "#cases-filter")
        await pilot.press("s")  # decided, purpose 1, due: nothing; the empty state says why
        await settle(pilot)
        assert not table.display
        empty = words(app)
        assert "Geen dossier past bij deze filters" in empty and "Stap: beslist" in empty
        # An IT officer decides on no case: no `n`.
        assert "n" not in app.screen.active_bindings


async def test_the_list_pages(demo_book: Casebook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("screens.cases.mode.PAGE", 2)
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_mode(pilot, "sofie")
        table = app.screen.query_one(CasesTable)
        assert column(table) == ["4", "3"]
        assert "meer aan het einde van de lijst" in text_of(app, "#cases-filter")
        await pilot.press("ctrl+end")
        await settle(pilot)
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert column(table) == ["4", "3", "2", "1"]
        assert "meer aan het einde" not in text_of(app, "#cases-filter")


async def test_an_empty_casebook_says_how_a_case_begins(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "sofie", PASSPHRASE)
        await pilot.press("3")
        await settle(pilot)
        assert not app.screen.query_one(CasesTable).display
        said = words(app)
        assert "Nog geen dossiers" in said and "Druk op n" in said


# -- a new case ------------------------------------------------------------------------------------------------


async def test_a_new_case_through_the_form_and_the_laws_refusal(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        await open_mode(pilot, "sofie")
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        # Only the purposes the policy adopted, only the modes it announced (and the professional short path).
        purposes = form.query_one("#field-purpose", Select)
        assert [value for _, value in purposes._options if value != Select.NULL] == [1, 2, 3, 4]
        circumstances = form.query_one("#field-circumstance", Select)
        assert [v for _, v in circumstances._options if v != Select.NULL] == ["periodic", "event", "professional"]
        await choose(pilot, "#field-purpose", 4)
        await choose(pilot, "#field-circumstance", "periodic")
        await fill(pilot, "#field-first", "2026-12-01")
        await fill(pilot, "#field-last", "2026-12-20")  # 20 days: longer than the test period
        form.query_one("#field-reason", TextArea).text = "testperiode over het privégebruik tijdens de werkuren"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        message = text_of(app, "#case-form-message")
        assert "aangekondigde controlewijze" in message and "hoogstens 14 dagen" in message
        await fill(pilot, "#field-last", "20/12")  # not a date: said at the field
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "'20/12' is geen datum" in text_of(app, "#case-form-message")
        await fill(pilot, "#field-last", "14/12/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, CaseScreen) and page.view is not None
        case = page.view.case
        assert (case.purpose, case.circumstance, case.period_to) == (4, Circumstance.PERIODIC, date(2026, 12, 14))
        assert "Dossier 5 · doel 4 policy · beslist" in text_of(app, "#case-title")
        # The IT officer runs the control next: the supervisor's page offers no step but closing.
        assert "Nu: x Afsluiten" in text_of(app, "#case-now")


# -- a case's page: the steps ---------------------------------------------------------------------------------


async def test_the_page_offers_only_what_the_person_may_do_now(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        page = await open_case(pilot, "ilse", 2)
        assert "Nu: c Controle" in text_of(app, "#case-now")
        bindings = app.screen.active_bindings
        assert "c" in bindings and not {"w", "a", "x", "s"} & set(bindings)
        assert "Alle werknemers verwittigd op 2026-11-15 14:00 door sofie" in text_of(app, "#case-warning")
        assert page.view is not None and page.view.open_steps == {"control": [None]}
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "sofie", 1)
        assert text_of(app, "#case-now") == "Nu: s Beslissing (Tom Wouters)"
        bindings = app.screen.active_bindings
        assert "s" in bindings and not {"c", "n", "v", "h", "x"} & set(bindings)
        people = text_of(app, "#case-people")
        assert "Tom Wouters <tom.wouters@dewerf.be>" in people and "Stap: gehoord" in people
        deadlines = text_of(app, "#case-deadlines")
        assert "uiterlijk 2026-11-07" in deadlines and "⚠ verstreken" in deadlines


async def test_a_step_is_taken_and_the_page_follows(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, "ilse", 2)
        before = timeline(app).count("controle uitgevoerd")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert "✔ Controle: dossier 2 is nu versie 5" in text_of(app, "#case-message")
        assert timeline(app).count("controle uitgevoerd") == before + 1


async def test_a_decision_through_its_dialog_then_its_letter(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        page = await open_case(pilot, "sofie", 1)
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        assert "uiterlijk 2026-11-07 (⚠ verstreken)" in words(app)
        # The kinds: the work rules' sanctions as the policy lists them, a restriction, dismissal, none.
        kinds = [v for _, v in form.query_one("#field-kind", Select)._options if v != Select.NULL]
        assert kinds[-3:] == ["restriction", "dismissal", "none"] and "work_rules:blaam" in kinds
        assert not form.query_one("#box-restricts").display
        await choose(pilot, "#field-kind", "restriction")
        assert form.query_one("#box-restricts").display and form.query_one("#box-until").display
        await fill(pilot, "#field-until", "2026-11-01")  # already over: the core refuses
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "toegelaten sanctie" in text_of(app, "#case-form-message")
        await choose(pilot, "#field-kind", "work_rules:blaam")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The step wrote its letter: it opens in the editor, to read or change (a new version).
        editor = app.screen
        assert isinstance(editor, LetterEditor)
        assert "de sanctie 'blaam'" in editor.query_one(TextArea).text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is page
        assert "Sanctie van het arbeidsreglement: blaam" in text_of(app, "#case-people")
        assert "x Afsluiten" in text_of(app, "#case-now")


async def test_why_a_step_is_not_open_names_the_rule(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        await open_case(pilot, "sofie", 3)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, WhyDialog)
        said = words(app)
        assert "Nu: r Redenen (Karim Bakkali) · x Afsluiten" in said
        # Each refusal as the core says it, naming its rule.
        refusal = cases.blocked_by(demo_session(demo_book, "sofie"), "control", 3)
        assert refusal is not None and f"✖ Controle: {refusal.message}" in said
        assert "✖ Beslissing (Karim Bakkali): Geweigerd door de regel 'de procedure gaat alleen vooruit'" in said
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)


async def test_a_closed_case_is_read_only(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        page = await open_case(pilot, "sofie", 4)
        assert page.view is not None and not any(page.view.open_steps.values())
        assert text_of(app, "#case-now") == "Afgesloten dossier: alleen lezen."
        assert "Afgesloten op 2026-11-22 10:00: de controle vond niets" in text_of(app, "#case-decision")
        await pilot.press("b")
        await settle(pilot)
        assert "afgesloten dossier" in words(app)


def individualised_case(book: Casebook) -> int:
    """A second purpose-1 case over the demo's first week, controlled, approved and individualised (Tom)."""
    sofie, ilse = demo_session(book, "sofie"), demo_session(book, "ilse")
    opened = cases.open_case(
        sofie, 1, Circumstance.EVENT, date(2026, 10, 26), date(2026, 10, 30), "tweede klacht over dezelfde site"
    )
    cases.control(ilse, opened.case_id)
    cases.approve(sofie, opened.case_id)
    cases.individualise(ilse, opened.case_id)
    return opened.case_id


async def test_a_persons_track_notification_invitation_hearing(demo_book: Casebook) -> None:
    case_id = individualised_case(demo_book)
    sofie = demo_session(demo_book, "sofie")
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        page = await open_case(pilot, "sofie", case_id)
        assert text_of(app, "#case-now") == "Nu: n Kennisgeving (Tom Wouters) · p Schorsing (Tom Wouters)"
        # The notification: its draft in the editor first; what is saved is what the editor held.
        await pilot.press("n")
        await settle(pilot)
        area = app.screen.query_one(TextArea)
        assert "Aan Tom Wouters" in area.text
        area.text = area.text.replace("Aan Tom Wouters", "Aan de heer Tom Wouters")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is page and "Stap: in kennis gesteld" in text_of(app, "#case-people")
        assert "Aan de heer Tom Wouters" in cases.letter(sofie, case_id, LetterKind.NOTIFICATION, email=TOM)
        # The invitation: a date and time still to come, and a place.
        await pilot.press("v")
        await settle(pilot)
        await fill(pilot, "#field-place", "vergaderzaal 2")
        await fill(pilot, "#field-at", "morgen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "'morgen' is geen datum met uur" in text_of(app, "#case-form-message")
        await fill(pilot, "#field-at", "2026-11-20 10:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "uitnodiging tot het gesprek" in text_of(app, "#case-form-message")  # the core: already past
        await fill(pilot, "#field-at", "02/12/2026 14:30")
        await pilot.press("ctrl+s")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, LetterEditor)  # the invitation as saved, to read or change
        assert "2 december 2026 om 14:30" in editor.query_one(TextArea).text
        await pilot.press("escape")
        await settle(pilot)
        assert "Gesprek: 2026-12-02 14:30, vergaderzaal 2" in text_of(app, "#case-people")
        # The minutes come after the hearing: before it, the core says so in the dialog.
        await pilot.press("h")
        await settle(pilot)
        app.screen.query_one("#field-minutes", TextArea).text = "Tom legt uit dat een collega de site opende."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "het gesprek is pas op 2026-12-02" in text_of(app, "#case-form-message")


async def test_the_reasons_of_a_dismissal(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        await open_case(pilot, "sofie", 3)
        assert "Redenen van het ontslag uiterlijk 2026-12-02" in text_of(app, "#case-deadlines")
        await pilot.press("r")
        await settle(pilot)
        assert "Uiterlijk 2026-12-02 (nog 4 dagen)." in words(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "kies er een" in text_of(app, "#case-form-message")
        await choose(pilot, "#field-delivery", "registered_letter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        deadlines = text_of(app, "#case-deadlines")
        assert "Redenen ter kennis gebracht op 2026-11-28 (aangetekende brief) · ✔ op tijd" in deadlines
        assert text_of(app, "#case-now") == "Nu: x Afsluiten"


async def test_undisputed_professional_data_takes_the_short_path(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        await open_mode(pilot, "sofie")
        await pilot.press("n")
        await settle(pilot)
        await choose(pilot, "#field-circumstance", "professional")
        await fill(pilot, "#field-first", "2026-11-23")
        await fill(pilot, "#field-last", "2026-11-27")
        app.screen.query_one("#field-reason", TextArea).text = "verzonden mail van het algemene adres, niet betwist"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(app, "#case-now") == "Nu: k Raadplegen · x Afsluiten"
        await pilot.press("k")
        await settle(pilot)
        await fill(pilot, "#field-what", "de verzonden mail van info@dewerf.be op 24 november")
        await pilot.press("enter")
        await settle(pilot)
        assert "geraadpleegd" in text_of(app, "#case-title")
        assert "raadplegen" not in text_of(app, "#case-now").lower()


async def test_a_supervisor_not_on_the_case_sees_how_many_not_who(demo_book: Casebook) -> None:
    from casebook import users
    from schema.roles import Role

    users.add_user(demo_session(demo_book, "an"), "greet", (Role.SUPERVISOR,), PASSPHRASE, full_name="Greet Maes")
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "greet", PASSPHRASE)
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one(CasesTable)
        table.move_cursor(row=column(table).index("1"))
        await pilot.press("enter")
        await settle(pilot)
        people = text_of(app, "#case-people")
        assert "1 persoon geïdentificeerd" in people and "Tom" not in people
        assert "Tom" not in timeline(app) and "persoon 1" in timeline(app)
        assert "Tom" not in text_of(app, "#case-deadlines")
        await pilot.press("b")
        await settle(pilot)
        assert "alleen voor wie aan het dossier werkt" in words(app)


# -- two people on one case ----------------------------------------------------------------------------------


async def test_the_case_changed_meanwhile_nothing_typed_is_lost(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        page = await open_case(pilot, "sofie", 1)
        assert page.view is not None
        shown = page.view.case.version
        await pilot.press("s")
        await settle(pilot)
        await choose(pilot, "#field-kind", "work_rules:blaam")
        # Meanwhile, on another terminal, the minutes are edited: the case moves on a version.
        other = demo_session(demo_book, "sofie")
        cases.save_letter(other, 1, LetterKind.MINUTES, "Verslag, aangevuld na het gesprek.", email=TOM)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is page
        message = text_of(app, "#case-message")
        assert "dossier gewijzigd" in message and "Uw invoer is bewaard" in message
        assert page.view.case.version == shown + 1  # reloaded
        assert "brief bewerkt" in timeline(app)
        assert cases.show(other, 1).people[0].sanction is None  # the other's change stands, this one waits
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.query_one("#field-kind", Select).value == "work_rules:blaam"  # kept
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")  # the decision's letter
        await settle(pilot)
        sanction = cases.show(other, 1).people[0].sanction
        assert sanction is not None and sanction.detail == "blaam"


async def test_two_apps_on_one_case(demo_book: Casebook, demo_home: Any) -> None:
    """Two supervisors' terminals on one case: the second to decide is told; the first one's decision stands."""
    from casebook.book import open_casebook

    second_book = open_casebook(demo_home)
    first, second = make_app(demo_book), make_app(second_book)
    try:
        async with first.run_test(size=SMALL) as one, second.run_test(size=SMALL) as two:
            await open_case(one, "sofie", 1)
            await open_case(two, "sofie", 1)
            await one.press("s")
            await settle(one)
            await choose(one, "#field-kind", "work_rules:blaam")
            await two.press("s")
            await settle(two)
            await choose(two, "#field-kind", "none")
            await one.press("ctrl+s")
            await settle(one)
            assert isinstance(first.screen, LetterEditor)
            await two.press("ctrl+s")
            await settle(two)
            assert isinstance(second.screen, CaseScreen)
            assert "dossier gewijzigd" in text_of(second, "#case-message")
            assert "Sanctie van het arbeidsreglement: blaam" in text_of(second, "#case-people")
            assert text_of(second, "#case-now") == "Nu: x Afsluiten"
    finally:
        second_book.close()
    sanction = cases.show(demo_session(demo_book, "sofie"), 1).people[0].sanction
    assert sanction is not None and sanction.detail == "blaam"


# -- letters ---------------------------------------------------------------------------------------------------


def purpose_four_controlled(book: Casebook) -> int:
    """A new purpose-4 test period whose control found the gambling of the demo's second week."""
    sofie, ilse = demo_session(book, "sofie"), demo_session(book, "ilse")
    opened = cases.open_case(
        sofie, 4, Circumstance.PERIODIC, date(2026, 11, 9), date(2026, 11, 15), "testperiode over het privégebruik"
    )
    cases.control(ilse, opened.case_id)
    return opened.case_id


async def test_the_warning_is_edited_before_it_is_issued(demo_book: Casebook) -> None:
    case_id = purpose_four_controlled(demo_book)
    sofie = demo_session(demo_book, "sofie")
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        await open_case(pilot, "sofie", case_id)
        await pilot.press("w")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, LetterEditor)
        area = editor.query_one(TextArea)
        draft = area.text
        assert draft == cases.letter(sofie, case_id, LetterKind.WARNING)
        area.text = draft.replace("Met vragen kunt u terecht", "Met vragen kunt u altijd terecht")
        # The English rendering: read only, marked as a translation; the edit is kept meanwhile.
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert area.read_only and area.text.startswith("> TRANSLATION")
        assert "VERTALING" in text_of(app, "#letter-intro")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert not area.read_only and "altijd terecht" in area.text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await fill(pilot, "#field-told_how", "e-mail aan alle werknemers")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert "Alle werknemers verwittigd op 2026-11-28 10:00 door sofie" in text_of(app, "#case-warning")
    saved = cases.letter(sofie, case_id, LetterKind.WARNING)
    assert "Met vragen kunt u altijd terecht" in saved
    assert cases.show(sofie, case_id).state == "warned"


async def test_a_saved_letter_is_edited_into_a_new_version(demo_book: Casebook) -> None:
    sofie = demo_session(demo_book, "sofie")
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        await open_case(pilot, "sofie", 1)
        await pilot.press("l")
        await settle(pilot)
        chooser = app.screen
        assert isinstance(chooser, ChoiceDialog)
        labels = [label for label, _ in chooser.options]
        assert labels == [
            "Kennisgeving · Tom Wouters",
            "Uitnodiging tot het gesprek · Tom Wouters",
            "Verslag van het gesprek · Tom Wouters",
        ]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, LetterEditor) and not editor.query_one(TextArea).read_only
        await pilot.press("ctrl+s")  # nothing changed: no new version
        await settle(pilot)
        assert "brief bewerkt" not in timeline(app)
        await pilot.press("l", "down", "down", "enter")
        await settle(pilot)
        area = app.screen.query_one(TextArea)
        area.text = area.text + "\nGelezen en goedgekeurd door de werknemer.\n"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "✔ Verslag van het gesprek bewaard als versie 2" in text_of(app, "#case-message")
        assert "brief bewerkt" in timeline(app)
    assert "Gelezen en goedgekeurd" in cases.letter(sofie, 1, LetterKind.MINUTES, email=TOM)


async def test_an_it_officer_reads_letters_but_does_not_edit_them(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        await open_case(pilot, "ilse", 3)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, LetterEditor)
        assert editor.query_one(TextArea).read_only
        assert "Alleen lezen: Geweigerd door de regel 'rol vereist'" in text_of(app, "#letter-intro")
        assert "ctrl+s" not in editor.active_bindings


# -- from the Logs mode: a case from an irregularity ------------------------------------------------------------


async def test_a_case_from_an_irregularity(demo_book: Casebook) -> None:
    sofie = demo_session(demo_book, "sofie")
    first = rules.listing(sofie, limit=1)[0]
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "sofie", "demo-pass-sofie")
        await pilot.press("2", "u")
        await settle(pilot)
        assert isinstance(app.screen, IrregularitiesScreen)
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        assert f"Vanuit onregelmatigheid {first.id} van {first.day.isoformat()}" in words(app)
        values = form.values()
        assert values["purpose"] == first.purpose
        assert (values["first"], values["last"]) == ("2026-11-09", "2026-11-15")  # three days either side
        # The policy announces no permanent control: the mode it does announce comes first.
        assert values["circumstance"] == "periodic"
        form.query_one("#field-reason", TextArea).text = "herhaald gokken tijdens de werkuren, zie de globale controle"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IrregularitiesScreen)
    opened = cases.listing(sofie, limit=1)[0]
    assert [f.irregularity_id for f in cases.show(sofie, opened.id).findings] == [first.id]


async def test_an_it_officer_opens_no_case_from_an_irregularity(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "ilse", "demo-pass-ilse")
        await pilot.press("2", "u")
        await settle(pilot)
        assert "c" not in app.screen.active_bindings


# -- words -------------------------------------------------------------------------------------------------------


def test_every_word_the_cases_screens_build_is_in_the_catalogue() -> None:
    """Keys made from the core's values (a state, a verb, a kind) escape the catalogue test that reads the code."""
    from casebook import i18n
    from casebook.cases import CaseState, Delivery, Restricts, SanctionKind, Source, SuspensionReason
    from casebook.cases.model import PersonState
    from screens.cases.page import LETTER_OF_STEP

    catalogue = i18n.catalogue()
    keys = [f"cases.state_short.{s.value}" for s in CaseState]
    keys += [f"cases.person_state_short.{s.value}" for s in PersonState]
    keys += [f"cases.verb.{step.verb}" for step in cases.STEPS] + ["cases.verb.letter"]
    keys += [f"cases.key.{step.verb}" for step in cases.STEPS if step.verb != "open"]
    keys += [f"cases.due.{verb}" for verb in ("control", "approve", "individualise", "close", "notify")]
    keys += [f"cases.due.{verb}" for verb in ("invite", "hear", "sanction", "reasons")]
    keys += [f"cases.stage.{stage}" for stage in ("opened", "control", "recurrence")]
    keys += [f"cases.source.{s.value}" for s in Source] + [f"cases.delivery.{d.value}" for d in Delivery]
    keys += [f"cases.suspension.{s.value}" for s in SuspensionReason] + [
        f"cases.restricts.{r.value}" for r in Restricts
    ]
    keys += [f"cases.page.sanction.{k.value}" for k in SanctionKind]
    keys += [f"cases.sanction_kind.{k.value}" for k in SanctionKind if k is not SanctionKind.WORK_RULES]
    keys += [f"cases.letter.kind.{k.value}" for k in LetterKind] + [
        f"cases.letter.kind.{k.value}" for k in LETTER_OF_STEP.values()
    ]
    keys += [f"cases.confirm.{verb}" for verb in ("control", "approve", "individualise")]
    keys += [f"case.circumstance.{c.value}" for c in Circumstance]
    assert [key for key in keys if key not in catalogue] == []
