"""Reading the casebook off the screen's thread: the one pattern every list and view loads with."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.widget import Widget

from casebook.errors import CasebookError
from casebook.session import Session

if TYPE_CHECKING:
    from screens.app import CasebookApp

T = TypeVar("T")


def read_in_worker(
    node: Widget,
    app: CasebookApp,
    query: Callable[[Session], T],
    show: Callable[[T], None],
    group: str,
    *,
    failed: Callable[[str], None] | None = None,
) -> None:
    """Run `query` with the signed-in session in a thread; `show` its result on the screen, or its refusal.

    A refusal or error goes to `failed` when given, else to a notification. Nothing happens once the
    person signed out; a newer read of the same group replaces an older one.
    """

    def read() -> None:
        session = app.session
        if session is None:
            return
        try:
            result = query(session)
        except CasebookError as exc:
            if failed is not None:
                app.call_from_thread(failed, exc.message)
            else:
                app.call_from_thread(node.notify, exc.message, severity="error", markup=False)
            return
        app.call_from_thread(show, result)

    node.run_worker(read, thread=True, exclusive=True, group=group)
