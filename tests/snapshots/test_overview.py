"""How the Logs overview looks: the month's figures, a domain's details, the irregularities; 80x24 once.

On the demo casebook built at a fixed clock (its four weeks of logs end the Sunday before NOW).
After a deliberate change of looks: `make snapshots`, then look at every changed screen.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.screen import Screen

from casebook.book import Casebook
from casebook.session import Session
from screens.logs.irregularities import IrregularitiesScreen
from screens.logs.overview import OverviewScreen
from tests.conftest import PASSPHRASE
from tests.screens.helpers import make_app, settle, sign_in

SIZE = (120, 36)
SMALL = (80, 24)


def opened(
    make: Callable[[], Screen[None]], *keys: str, passphrase: str = "demo-pass-ilse"
) -> Callable[[Pilot[int]], object]:
    """Sign in as the IT officer, open the screen, press the keys."""

    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, "ilse", passphrase)
        pilot.app.push_screen(make())
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        # Once more after a moment: in a full run under load the tables were caught unmeasured now and then,
        # by something arriving after the app first looked quiet.
        await pilot.pause(0.2)
        await settle(pilot)

    return run_before


def test_overview_month(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    assert snap_compare(make_app(demo_book), terminal_size=SIZE, run_before=opened(lambda: OverviewScreen("month")))


def test_overview_small_terminal(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    assert snap_compare(make_app(demo_book), terminal_size=SMALL, run_before=opened(lambda: OverviewScreen("month")))


def test_domain_drill_down(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    # The 14th domain of the month, facebook.com: private use, most of it at lunch.
    run_before = opened(lambda: OverviewScreen("month"), *["down"] * 13, "enter")
    assert snap_compare(make_app(demo_book), terminal_size=SIZE, run_before=run_before)


def test_irregularities(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    assert snap_compare(make_app(demo_book), terminal_size=SIZE, run_before=opened(IrregularitiesScreen))


def test_overview_refused_while_the_policy_is_not_ready(
    snap_compare: Callable[..., bool], book: Casebook, people: dict[str, Session]
) -> None:
    """A new casebook, its policy not filled in: the refusal and why, where the figures would be."""
    run_before = opened(lambda: OverviewScreen("month"), passphrase=PASSPHRASE)
    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=run_before)
