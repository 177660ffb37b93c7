"""The frame every mode shares: session header on top, the mode's body, the key footer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Footer

from casebook.i18n import t
from casebook.permissions import Action
from casebook.session import Session
from screens.base import CasebookScreen
from screens.widgets.empty_state import EmptyState
from screens.widgets.session_header import SessionHeader


class ModeScreen(CasebookScreen[None]):
    mode_id: ClassVar[str]
    action: ClassVar[Action]

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
