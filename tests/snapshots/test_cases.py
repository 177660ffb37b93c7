"""How Cases mode looks: the list, a case at individualisation, the warning letter in its editor, a dismissal
with its deadline running, the new-case form with the law's refusal, 'why not?'.

The demo casebook (fixed clock: Saturday 28 November 2026), a fixed terminal, no blinking cursor.
After a deliberate change of looks: `make snapshots`, then look at every changed screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.pilot import Pilot
from textual.widgets import Select, TextArea

from casebook import cases
from casebook.book import Casebook
from casebook.cases import Circumstance
from screens.cases.mode import CasesTable
from tests.screens.helpers import fill, make_app, settle, sign_in

SIZE = (120, 36)
SMALL = (80, 24)


def the_list(name: str) -> Callable[[Pilot[int]], object]:
    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, name, f"demo-pass-{name}")
        await pilot.press("3")
        await settle(pilot)

    return run_before


def the_case(name: str, case_id: int, *keys: str) -> Callable[[Pilot[int]], object]:
    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, name, f"demo-pass-{name}")
        await pilot.press("3")
        await settle(pilot)
        table = pilot.app.screen.query_one(CasesTable)
        table.move_cursor(row=[line.id for line in table.items].index(case_id))
        await pilot.press("enter")
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_cases_list(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    assert snap_compare(make_app(demo_book), terminal_size=SIZE, run_before=the_list("sofie"))


def test_cases_list_small_terminal(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=the_list("sofie"))


def test_case_at_individualisation(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    """A purpose-1 case controlled and approved; the IT officer individualises it and sees whom it names."""
    sofie, ilse = demo_book.login("sofie", "demo-pass-sofie"), demo_book.login("ilse", "demo-pass-ilse")
    opened = cases.open_case(
        sofie,
        1,
        Circumstance.EVENT,
        date(2026, 10, 26),
        date(2026, 10, 30),
        "tweede klacht over een pornografische site op een scherm in het magazijn",
    )
    cases.control(ilse, opened.case_id)
    cases.approve(sofie, opened.case_id)
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=the_case("ilse", opened.case_id, "i", "j"))


def test_case_dismissal_deadline(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    """The demo's dismissal, as the supervisor sees it: the written reasons' deadline running, on top."""
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=the_case("sofie", 3))


def test_case_why_not(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=the_case("sofie", 3, "b"))


def test_warning_letter_in_its_editor(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    """A purpose-4 test period whose control found the gambling: the collective warning before it is issued."""
    sofie, ilse = demo_book.login("sofie", "demo-pass-sofie"), demo_book.login("ilse", "demo-pass-ilse")
    opened = cases.open_case(
        sofie, 4, Circumstance.PERIODIC, date(2026, 11, 9), date(2026, 11, 15), "testperiode over het privégebruik"
    )
    cases.control(ilse, opened.case_id)
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=the_case("sofie", opened.case_id, "w"))


def test_new_case_refused(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    async def run_before(pilot: Pilot[int]) -> None:
        await the_list("sofie")(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = pilot.app.screen
        form.query_one("#field-purpose", Select).value = 4
        await fill(pilot, "#field-first", "2026-12-01")
        await fill(pilot, "#field-last", "2026-12-20")
        form.query_one("#field-reason", TextArea).text = "testperiode over het privégebruik"
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=run_before)
