"""What every Casebook screen shares: bindings in the user's language, and the typed app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from textual.screen import Screen

from screens.bindings import translate_bindings

if TYPE_CHECKING:
    from screens.app import CasebookApp

ResultType = TypeVar("ResultType")


class CasebookScreen(Screen[ResultType], Generic[ResultType]):
    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    @property
    def casebook_app(self) -> CasebookApp:
        from screens.app import CasebookApp  # the app imports every screen: resolved at call time

        assert isinstance(self.app, CasebookApp)
        return self.app
