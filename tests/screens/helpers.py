"""Driving the app in tests: build it with no blinking, sign in by typing."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, DirectoryTree, Input
from textual.worker import Worker

from casebook.book import Casebook
from screens.app import CasebookApp


def make_app(book: Casebook, **options: object) -> CasebookApp:
    return CasebookApp(book, cursor_blink=False, **options)  # type: ignore[arg-type]


def _finite(worker: Worker[object]) -> bool:
    # A DirectoryTree keeps a loader waiting for folders to open for as long as it is shown.
    return not (isinstance(worker.node, DirectoryTree) and worker.group == "_loader")


async def settle(pilot: Pilot[int]) -> None:
    """Wait until the app is quiet: no worker running and no message left that could start another.

    A worker often starts in answer to a message (a highlighted last row asks for the next page), so
    one round of waiting is not enough: wait for the messages, then the workers, until neither is left.
    """
    for _ in range(20):
        await pilot.pause()
        workers = [w for w in pilot.app.workers if _finite(w) and not w.is_finished]
        if not workers:
            break
        await pilot.app.workers.wait_for_complete(workers)
    await pilot.pause()
    # Scrolling to a focused field is animated: a screenshot in the middle of it shows one frame of many.
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    # A DataTable measures its new rows' widths when it is next idle, which may come after the pause above:
    # a screenshot taken before shows the columns cut to their labels' widths (now and then, by timing).
    for _ in range(10):
        if not any(table._require_update_dimensions for table in pilot.app.screen.query(DataTable)):
            break
        await pilot.pause()


async def type_text(pilot: Pilot[int], text: str) -> None:
    """Key by key, as a person types (about 60 ms a key under pilot)."""
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def fill(pilot: Pilot[int], selector: str, text: str) -> None:
    """Put text in a field at once and focus it: the fast way for tests not about typing."""
    field = pilot.app.screen.query_one(selector, Input)
    field.value = text
    field.focus()
    await pilot.pause()


async def sign_in(pilot: Pilot[int], name: str, passphrase: str) -> None:
    await pilot.pause()
    await fill(pilot, "#signin-name", name)
    await pilot.press("enter")
    await fill(pilot, "#signin-passphrase", passphrase)
    await pilot.press("enter")
    await settle(pilot)
