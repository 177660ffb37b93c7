"""The frame every mode shares: session header on top, the mode's body, the key footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from casebook.i18n import t
from casebook.permissions import Action
from casebook.session import Session
from screens.bindings import translate_bindings
from screens.widgets.empty_state import EmptyState
from screens.widgets.session_header import SessionHeader

if TYPE_CHECKING:
    from screens.app import CasebookApp


class ModeScreen(Screen[None]):
    mode_id: ClassVar[str]
    action: ClassVar[Action]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    @property
    def casebook_app(self) -> CasebookApp:
        from screens.app import CasebookApp

        assert isinstance(self.app, CasebookApp)
        return self.app

    @property
    def session(self) -> Session:
        session = self.casebook_app.session
        assert session is not None, "a mode screen exists only while someone is signed in"
        return session

    def compose(self) -> ComposeResult:
        yield SessionHeader(self.session, self.casebook_app.mode_tabs(), self.mode_id)
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError


class PendingModeScreen(ModeScreen):
    """A mode whose feature has not landed: it says so, and says what it will hold."""

    def compose_body(self) -> ComposeResult:
        paragraphs = [t(f"mode.{self.mode_id}.purpose"), t("mode.pending")]
        yield EmptyState(t(f"mode.{self.mode_id}.title"), paragraphs, id="empty-state")
