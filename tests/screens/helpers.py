"""Driving the app in tests: build it with no blinking, sign in by typing."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.render import measure
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

    A worker often starts in answer to a message (a screen's mount loads its rows; a highlighted last row
    asks for the next page), so one look is not enough: the app must look quiet several times in a row
    (a busy machine may mount a screen, and start its worker, only after the first look).
    """
    quiet = 0
    for _ in range(60):
        await pilot.pause()
        workers = [w for w in pilot.app.workers if _finite(w) and not w.is_finished]
        if workers:
            quiet = 0
            await pilot.app.workers.wait_for_complete(workers)
            continue
        # A DataTable measures its new rows' widths when it is next idle: a screenshot taken before shows
        # the columns cut to their labels' widths.
        tables = list(pilot.app.screen.query(DataTable))
        if any(table._require_update_dimensions for table in tables):
            quiet = 0
            continue
        # Now and then (a full run under load, not reproduced alone) a table's columns stayed at their labels'
        # widths with no measuring asked for: ask for it, as adding the rows does, and wait for it.
        narrow = [table for table in tables if _columns_short(table)]
        if narrow:
            for table in narrow:
                table._new_rows.update(table.rows)
                table._require_update_dimensions = True
                table.check_idle()
            quiet = 0
            continue
        # Scrolling to a focused field is animated: a screenshot in the middle of it shows one frame of many.
        await pilot.wait_for_scheduled_animations()
        quiet += 1
        if quiet == 3:
            return
    raise AssertionError(
        "the app never came to rest: "
        + repr(
            [
                (t.id, t._require_update_dimensions, len(t._new_rows), t.row_count, _columns_short(t))
                for t in pilot.app.screen.query(DataTable)
            ]
        )
    )


def _columns_short(table: DataTable[object]) -> bool:
    """Whether a column that sizes itself is narrower than one of its cells, measured as the table measures."""
    console = table.app.console
    for index in range(table.row_count):
        _, cells = table._get_row_renderables(index)
        for column, cell in zip(table.ordered_columns, cells, strict=False):
            if column.auto_width and measure(console, cell, 1) > column.content_width:
                return True
    return False


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
