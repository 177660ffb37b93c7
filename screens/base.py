"""What every Casebook screen shares: keys and palette entries from the action table, the typed app, the mode frame.

A screen lists the ids of its actions (`ACTIONS`, rows of `screens.actions`);
its bindings and its command-palette entries are made from them. An action
whose permission the signed-in person lacks is neither shown nor offered.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual.app import ComposeResult, SystemCommand
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer

from casebook.i18n import t
from casebook.permissions import Action
from casebook.session import Session
from screens import actions
from screens.widgets.session_header import SessionHeader

if TYPE_CHECKING:
    from screens.app import CasebookApp

ResultType = TypeVar("ResultType")


class _ActionScreen:
    """The part shared by full screens and dialogs (a mixin: Textual's Screen and ModalScreen differ)."""

    ACTIONS: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Before Textual's own __init_subclass__, which merges the class's BINDINGS into its key map.
        if "ACTIONS" in cls.__dict__:
            cls.BINDINGS = actions.bindings(cls.ACTIONS)  # type: ignore[attr-defined]
        super().__init_subclass__(**kwargs)

    @property
    def casebook_app(self) -> CasebookApp:
        from screens.app import CasebookApp  # the app imports every screen: resolved at call time

        app = self.app  # type: ignore[attr-defined]
        assert isinstance(app, CasebookApp)
        return app

    def may(self, action: Action) -> bool:
        """What the signed-in person may do; nothing once they signed out (a worker may still report back)."""
        session = self.casebook_app.session
        return session is not None and session.may(action)

    def permitted(self, action: str) -> bool:
        """Whether the person holds the role every row running `action` needs."""
        return all(self.may(row.needs) for row in actions.rows(self.ACTIONS) if row.name == action and row.needs)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """This screen's entries in the command palette: its actions that have one and are open to this person.

        The app asks only while someone is signed in.
        """
        for row in actions.rows(self.ACTIONS):
            if row.palette is None or (row.needs is not None and not self.may(row.needs)):
                continue
            if self.check_action(row.name, ()) is False:  # type: ignore[attr-defined]
                continue
            yield SystemCommand(row.palette_title(), t(row.help), partial(self.call_later, self.run_action, row.action))  # type: ignore[attr-defined]


class CasebookScreen(_ActionScreen, Screen[ResultType], Generic[ResultType]):
    def __init__(self) -> None:
        super().__init__()
        actions.translate_bindings(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.permitted(action)


class CasebookModal(_ActionScreen, ModalScreen[ResultType], Generic[ResultType]):
    """A small dialog over a screen: same actions table, same typed app."""

    def __init__(self) -> None:
        super().__init__()
        actions.translate_bindings(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.permitted(action)


class ModeScreen(CasebookScreen[None]):
    """The frame every mode shares: session header on top, the mode's body, the key footer."""

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
