"""How the shell looks: fixed terminal, fixed clock, fixed data, no blinking cursor.

After a deliberate change of looks: `make snapshots`, then open snapshot_report.html
and look at every changed screen before committing it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from casebook.book import Casebook
from casebook.session import Session
from tests.conftest import PASSPHRASE
from tests.screens.helpers import fill, make_app, settle, sign_in

SIZE = (120, 36)
SMALL = (80, 24)


def signed_in_as(name: str) -> Callable[[Pilot[int]], object]:
    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, name, PASSPHRASE)

    return run_before


def test_signin(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    assert snap_compare(make_app(demo_book), terminal_size=SIZE)


def test_signin_small_terminal(snap_compare: Callable[..., bool], demo_book: Casebook) -> None:
    assert snap_compare(make_app(demo_book), terminal_size=SMALL)


def test_signin_refused(snap_compare: Callable[..., bool], book: Casebook) -> None:
    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, "admin", "not the passphrase")

    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("name", ["admin", "ilse", "sofie", "bert", "eva"])
def test_shell_per_role(
    snap_compare: Callable[..., bool], book: Casebook, people: dict[str, Session], name: str
) -> None:
    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=signed_in_as(name))


def test_shell_small_terminal(snap_compare: Callable[..., bool], book: Casebook, people: dict[str, Session]) -> None:
    assert snap_compare(make_app(book), terminal_size=SMALL, run_before=signed_in_as("jan"))


def test_lock_screen(snap_compare: Callable[..., bool], book: Casebook, people: dict[str, Session]) -> None:
    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, "sofie", PASSPHRASE)
        await pilot.press("3", "ctrl+l")
        await fill(pilot, "#lock-passphrase", "wrong passphrase")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=run_before)


def test_signin_after_a_sign_out_small_terminal(
    snap_compare: Callable[..., bool], book: Casebook, people: dict[str, Session]
) -> None:
    """The next person at a shared terminal: no name, no status line, the cursor in the name field."""

    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, "sofie", PASSPHRASE)
        await pilot.press("ctrl+o")
        await settle(pilot)

    assert snap_compare(make_app(book), terminal_size=SMALL, run_before=run_before)


def test_keys_small_terminal(snap_compare: Callable[..., bool], book: Casebook, people: dict[str, Session]) -> None:
    """`?` on the policy of a supervisor: every key of the screen and the app, with who may use it."""

    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, "sofie", PASSPHRASE)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(book), terminal_size=SMALL, run_before=run_before)
