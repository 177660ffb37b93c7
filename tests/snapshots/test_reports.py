"""How the Reports mode looks: the list with its period, the board report, the evaluation report.

On the demo casebook built at a fixed clock (its cases, requests and purge: casebook/demo_data), at
80x24. After a deliberate change of looks: `make snapshots`, then look at every changed screen.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from casebook.book import Casebook
from tests.screens.helpers import make_app, settle, sign_in

SMALL = (80, 24)


def in_reports(name: str, *keys: str) -> Callable[[Pilot[int]], object]:
    """Sign in, go to Reports mode, press the keys."""

    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, name, f"demo-pass-{name}")
        await pilot.press("5")
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_reports_list(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # The board member's reports: the board report and the evaluation; the current quarter.
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=in_reports("bert"))


def test_board_report(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # The board report of the quarter, from its top: who made it, for which period, the controls.
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=in_reports("bert", "enter"))


def test_board_report_cases(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # Its cases: the chart of where they stand, and the list by number, without a name.
    keys = ("enter", *["right_square_bracket"] * 5)
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=in_reports("bert", *keys))


def test_evaluation_report_deadlines(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # The evaluation: the deadlines of few people folded together, "< 5", their bar a dot.
    keys = ("down", "enter", *["right_square_bracket"] * 7, "pagedown")
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=in_reports("bert", *keys))


def test_evaluation_report_usage(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # The evaluation of the year: the use per category and per month, the chart of time spent.
    keys = ("y", "down", "enter", *["right_square_bracket"] * 10, "pagedown")
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=in_reports("bert", *keys))
