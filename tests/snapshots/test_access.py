"""How the Access mode looks: the employee's view, the requests with their deadlines, an access answer.

On the demo casebook built at a fixed clock (its requests in every state: casebook/demo_data/requests.py).
After a deliberate change of looks: `make snapshots`, then look at every changed screen.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input

from casebook import access
from casebook.access import Kind
from casebook.book import Casebook
from screens.access.mode import RequestsTable
from tests.screens.helpers import make_app, settle, sign_in

SIZE = (120, 36)
SMALL = (80, 24)


def in_access(name: str, request_id: int | None = None, *keys: str) -> Callable[[Pilot[int]], object]:
    """Sign in, go to Access mode, open a request (when given), press the keys."""

    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, name, f"demo-pass-{name}")
        await pilot.press("4")
        await settle(pilot)
        if request_id is not None:
            table = pilot.app.screen.query_one(RequestsTable)
            table.move_cursor(row=[r.id for r in table.items].index(request_id), animate=False)
            await pilot.press("enter")
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_access_employee(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # Eva's own requests: one, granted; nothing of anyone else's.
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=in_access("eva"))


def test_access_requests_with_deadlines(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # Every request, the most urgent first: Jan's information request is overdue, in words.
    assert snap_compare(make_app(demo_book), terminal_size=SIZE, run_before=in_access("an"))


def test_access_overdue_request(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # Jan's request opened by the IT officer: its deadline passed, the answer's preview below.
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=in_access("ilse", 1))


def test_access_answer(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # Eva's granted access request: the information of art. 15, the copy, her visits paged.
    assert snap_compare(make_app(demo_book), terminal_size=SIZE, run_before=in_access("eva", 4))


def test_access_erasure_refused_under_hold(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # A new erasure for Karim: granting it is refused, the hold's rule said in the dialog.
    admin = demo_book.login("an", "demo-pass-an")
    filed = access.file(admin, Kind.ERASURE, for_email="karim.bakkali@dewerf.be", identity_check="identiteitskaart")
    run_before = in_access("an", filed.id, "d", "ctrl+s")
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=run_before)


def test_access_rectify_refused_overlap(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # Jan's rectification: the form holds his directory entry as it is; an address Eva held in the period
    # is refused, the rule said in the dialog.
    admin = demo_book.login("an", "demo-pass-an")
    filed = access.file(
        admin, Kind.RECTIFICATION, for_email="jan.vermeulen@dewerf.be", identity_check="identiteitskaart"
    )

    async def run_before(pilot: Pilot[int]) -> None:
        await in_access("an", filed.id, "r")(pilot)
        screen = pilot.app.screen
        screen.query_one("#form-ips", Input).value = "10.20.1.21@2026-01-01.."
        screen.query_one("#form-note", Input).value = "de pc 10.20.1.21 was altijd van Jan"
        screen.query_one("#form-note", Input).focus()
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=run_before)
