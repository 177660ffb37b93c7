"""What every Casebook screen shares: bindings in the user's language, the typed app, palette commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Generic, TypeVar

from textual.app import SystemCommand
from textual.screen import ModalScreen, Screen

from screens.bindings import translate_bindings

if TYPE_CHECKING:
    from screens.app import CasebookApp

ResultType = TypeVar("ResultType")


def _casebook_app(screen: Screen[object]) -> CasebookApp:
    from screens.app import CasebookApp  # the app imports every screen: resolved at call time

    assert isinstance(screen.app, CasebookApp)
    return screen.app


class CasebookScreen(Screen[ResultType], Generic[ResultType]):
    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    @property
    def casebook_app(self) -> CasebookApp:
        return _casebook_app(self)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """This screen's own entries in the command palette (the app asks only while someone is signed in)."""
        return ()


class CasebookModal(ModalScreen[ResultType], Generic[ResultType]):
    """A small dialog over a screen: same translated bindings, same typed app."""

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    @property
    def casebook_app(self) -> CasebookApp:
        return _casebook_app(self)
