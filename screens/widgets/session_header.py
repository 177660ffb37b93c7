"""The top two lines of every mode: who is signed in, with which roles, and the modes they may use."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from casebook import clock as clocks
from casebook.i18n import t
from casebook.session import Session
from screens.widgets.plain_text import plain


class SessionHeader(Widget):
    DEFAULT_CSS = """
    SessionHeader {
        height: 2;
        dock: top;
        background: $primary;
        color: $text;
    }
    SessionHeader Horizontal { height: 1; }
    SessionHeader #identity, SessionHeader #tabs { width: 1fr; height: 1; text-overflow: ellipsis; }
    SessionHeader #roles, SessionHeader #today { width: auto; height: 1; padding: 0 1; }
    """

    def __init__(self, session: Session, modes: list[tuple[str, str, str]], current: str) -> None:
        """`modes`: (mode id, key, title) of the modes this person may use."""
        super().__init__()
        self.session = session
        self.modes = modes
        self.current = current

    def compose(self) -> ComposeResult:
        user = self.session.user
        with Horizontal():
            yield Static(
                Text.assemble((" Casebook ", "bold reverse"), " ", plain(user.display_name, "bold")), id="identity"
            )
            yield Static(Text(", ".join(t(f"role.{role.value}") for role in user.sorted_roles())), id="roles")
        with Horizontal():
            yield Static(self._tabs_line(), id="tabs")
            yield Static(Text(f"{clocks.local(self.session.now()):%Y-%m-%d}"), id="today")

    def _tabs_line(self) -> Text:
        # The current mode is bracketed and reversed, so it shows without colour too.
        line = Text(" ")
        for mode_id, key, title in self.modes:
            if mode_id == self.current:
                line.append(f"[{key} {title}]", style="bold reverse")
            else:
                line.append(f" {key} {title} ")
            line.append(" ")
        return line
