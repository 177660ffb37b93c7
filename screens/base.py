"""What every Casebook screen shares: keys and palette entries from the action table, the typed app, the mode frame.

A screen lists the ids of its actions (`ACTIONS`, rows of `screens.actions`);
its bindings and its command-palette entries are made from them. An action
whose permission the signed-in person lacks is neither shown nor offered, and
a key that does nothing says why, here and only here (`on_key`): the core's
own refusal when a role is missing (the row's `needs`), the row's
`unavailable` notice when the screen cannot act on it now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import events
from textual.actions import parse as parse_action
from textual.app import ComposeResult, SystemCommand
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from casebook.i18n import t
from casebook.permissions import Action
from casebook.session import Session
from screens import actions
from screens.widgets.key_bar import KeyBar
from screens.widgets.session_header import SessionHeader

if TYPE_CHECKING:
    from screens.app import CasebookApp

ResultType = TypeVar("ResultType")
FRAME_POLL_SECONDS = 0.01


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

    # -- keys that do nothing say why ----------------------------------------

    def why_not(self, row: actions.UiAction) -> str | None:
        """Why the key of `row` does nothing here: the core's refusal, the row's notice, or None (silent)."""
        session = self.casebook_app.session
        if session is None:
            return None  # nobody signed in: the sign-in screen explains nothing about roles
        if row.needs is not None:
            refusal = session.refusal(row.needs)
            if refusal is not None:
                return refusal.message
        return t(row.unavailable) if row.unavailable else None

    def key_notice(self, key: str) -> str | None:
        """The notice for a key no binding will act on, as the app is about to find (None: a binding acts, or
        nothing is worth saying)."""
        notice = None
        screen = self  # type: ignore[assignment]
        for namespace, bindings in screen._modal_binding_chain:  # type: ignore[attr-defined]
            for binding in bindings.key_to_bindings.get(key, ()):
                if binding.priority:
                    continue  # priority bindings had their turn before the key reached the screen
                if self._enabled(binding.action, namespace):
                    return None
                row = actions.BY_ID.get(binding.id or "")
                if notice is None and row is not None:
                    notice = self.why_not(row)
        return notice

    def _enabled(self, action: str, namespace: DOMNode) -> bool:
        destination, name, parameters = parse_action(action)
        target: DOMNode = namespace
        if destination == "app":
            target = self.casebook_app
        elif destination == "screen":
            target = self  # type: ignore[assignment]
        elif destination == "focused":
            target = self.casebook_app.focused or self  # type: ignore[assignment]
        return bool(target.check_action(name, parameters))

    def on_key(self, event: events.Key) -> None:
        notice = self.key_notice(event.key)
        if notice:
            event.stop()
            self.notify(notice, markup=False, timeout=4)  # type: ignore[attr-defined]

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

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Run `callback` once this screen has been drawn: for slow work that should not hold back the first look.

        Textual holds frames back for a moment after a change of mode (its `delay_update`); wait that out.
        """

        def drawn_yet() -> None:
            if getattr(self.app, "_batch_count", 0):
                self.set_timer(FRAME_POLL_SECONDS, drawn_yet)
            else:
                self.refresh()  # a frame is due: the callback comes after it
                self.call_after_refresh(callback)

        self.call_after_refresh(drawn_yet)

    def on_unmount(self) -> None:
        # The app's signal holds its subscribers until it next fires: a screen gone (signed out) must not stay.
        self.app.theme_changed_signal.unsubscribe(self)

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

    def __init__(self) -> None:
        super().__init__()
        self._away = False
        # A new screen starts with the app's current styles; without this Textual re-parses every stylesheet
        # twice as the mode opens (once for the mode, once for the switch), which a sign-in waits for.
        if hasattr(self, "_css_update_count"):
            self._css_update_count = self.app._css_update_count

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        # Textual resumes a new mode's screen twice as it opens; only a return from elsewhere reads again.
        if self._away:
            self._away = False
            self.came_back()

    def came_back(self) -> None:
        """Back from another mode or from a screen on top: show what may have changed meanwhile."""

    def compose(self) -> ComposeResult:
        yield SessionHeader(self.session, self.casebook_app.mode_tabs(), self.mode_id)
        yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
