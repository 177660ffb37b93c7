"""How Policy mode looks: the browser, a filled-in section, the settings form with an error, the receipts.

Fixed terminal, fixed clock (the `book` fixture), fixed data, no blinking cursor.
After a deliberate change of looks: `make snapshots`, then look at every changed screen.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from casebook import employees
from casebook.book import Casebook
from casebook.policy import receipts, versions
from casebook.session import Session
from screens.policy.mode import PolicyToc
from tests.conftest import ADMIN, PASSPHRASE
from tests.screens.helpers import fill, make_app, settle, sign_in

SIZE = (120, 36)
SMALL = (80, 24)

DIRECTORY = """name,email,department,proxy_user,mail_addresses,ips
Eva Peeters,eva@delinde.be,Boekhouding,,,
Jan Claes,jan@delinde.be,Onthaal,,,
Mia Wouters,mia@delinde.be,Directie,,,
Noah Janssens,noah@delinde.be,Boekhouding,,,
Lotte Maes,lotte@delinde.be,ICT,,,
"""


def fill_in_some_fields(admin: Session) -> None:
    versions.update_settings(
        admin,
        {
            "organisation_name": "Vzw De Linde",
            "mail_domains": "delinde.be",
            "purposes": "1, 3",
            "retention_days": "120",
            "storage_location": "de server in het kantoor",
        },
    )


async def admin_signed_in(pilot: Pilot[int]) -> None:
    await sign_in(pilot, ADMIN, PASSPHRASE)


def test_policy_browser_new_casebook(snap_compare: Callable[..., bool], book: Casebook) -> None:
    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=admin_signed_in)


def test_policy_browser_small_terminal(snap_compare: Callable[..., bool], book: Casebook) -> None:
    assert snap_compare(make_app(book), terminal_size=SMALL, run_before=admin_signed_in)


def test_policy_browser_filled_in_section(snap_compare: Callable[..., bool], book: Casebook, admin: Session) -> None:
    fill_in_some_fields(admin)

    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        toc = pilot.app.screen.query_one(PolicyToc)
        keys = [toc.get_option_at_index(i).id for i in range(toc.option_count)]
        toc.highlighted = keys.index("controle/2.5")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=run_before)


def test_policy_settings_with_an_error(snap_compare: Callable[..., bool], book: Casebook) -> None:
    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("s")
        await settle(pilot)
        await fill(pilot, "#field-organisation_name", "Vzw De Linde")
        await fill(pilot, "#field-retention_days", "0")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The choice lists take their heights a few refreshes late: wait until the form's length is at rest,
        # or the scrollbar's thumb differs by timing.
        form = pilot.app.screen.query_one("#settings-form")
        seen, steady = None, 0
        for _ in range(60):
            await pilot.pause(0.05)
            now = (form.virtual_size, form.scroll_offset)
            steady = steady + 1 if now == seen else 0
            if steady == 3:  # unchanged over three looks: a busy machine may skip a refresh between two
                break
            seen = now

    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=run_before)


def test_policy_receipts(snap_compare: Callable[..., bool], book: Casebook, admin: Session) -> None:
    employees.import_csv(admin, DIRECTORY)
    receipts.record(admin, "mia@delinde.be", method="email")
    receipts.record(admin, "lotte@delinde.be", method="hand")

    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=run_before)


def test_policy_settings_small_terminal(snap_compare: Callable[..., bool], book: Casebook, admin: Session) -> None:
    """The form at 80x24, at the purposes: choices by name, ticked with signs."""
    fill_in_some_fields(admin)

    async def run_before(pilot: Pilot[int]) -> None:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        await pilot.press("s")
        await settle(pilot)
        pilot.app.screen.query_one("#field-purposes").focus()
        await settle(pilot)

    assert snap_compare(make_app(book), terminal_size=SMALL, run_before=run_before)
