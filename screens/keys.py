"""`?` (or F1): every key of the screen in front, then the app's, each with what it does and whether it can now.

Made from the action table like the footer: the rows bound on the screen and
on its widgets, then the app's rows. A key the person's role does not allow
says which roles it needs; a key that cannot act at this moment says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from casebook.i18n import t
from casebook.permissions import allowed_roles
from schema.roles import ROLE_ORDER
from screens import actions
from screens.base import CasebookModal
from screens.widgets.key_bar import KeyBar

KEY_WIDTH = 16


@dataclass(frozen=True)
class KeyLine:
    row: actions.UiAction
    state: str  # "" available now, else why not: "only for: ...", "not now"


def bound_rows(screen: Screen[object]) -> list[tuple[actions.UiAction, DOMNode]]:
    """The table's rows with keys on this screen and its widgets, each with the node that runs it, in table order."""
    found: dict[str, tuple[actions.UiAction, DOMNode]] = {}
    for node in [screen, *screen.walk_children()]:
        for binding in getattr(type(node), "BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id in actions.BY_ID and binding.id not in found:
                found[binding.id] = (actions.BY_ID[binding.id], node)
    rank = {row.id: index for index, row in enumerate(actions.ROWS)}
    return sorted(found.values(), key=lambda pair: rank[pair[0].id])


def _roles(row: actions.UiAction) -> str:
    assert row.needs is not None
    return ", ".join(t(f"role.{role.value}") for role in ROLE_ORDER if role in allowed_roles(row.needs))


class KeysScreen(CasebookModal[None]):
    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen #keys-box {
        width: 78;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    KeysScreen #keys-title { text-style: bold; }
    KeysScreen #keys-list { height: auto; max-height: 1fr; scrollbar-size-vertical: 1; }
    KeysScreen #keys-hint { color: $text-muted; }
    """
    ACTIONS = ("keys.close",)

    def __init__(self, behind: Screen[object]) -> None:
        super().__init__()
        self.behind = behind
        self._lines = self.lines()  # read before this screen comes to the front: the states are the screen's

    def lines(self) -> tuple[list[KeyLine], list[KeyLine]]:
        """(the screen's keys, the app's keys), each with its state for the person signed in, as of now."""
        app = self.casebook_app
        session = app.session
        own = [KeyLine(row, self._state(row, node)) for row, node in bound_rows(self.behind) if row.keys]
        shell = [
            KeyLine(row, self._state(row, app))
            for row in actions.rows(app.ACTIONS)
            if row.keys and (session is not None or app.check_action(row.name, row.parameters))
        ]
        return own, shell

    def _state(self, row: actions.UiAction, node: DOMNode) -> str:
        session = self.casebook_app.session
        if row.needs is not None and session is not None and not session.may(row.needs):
            return t("keys.role_only", roles=_roles(row))
        if node.check_action(row.name, row.parameters):
            return ""
        return t("keys.not_now")

    def _table(self, title: str, lines: list[KeyLine]) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(width=KEY_WIDTH, no_wrap=True)
        table.add_column(ratio=1)
        table.add_row(Text(title, style="bold underline"), Text(""))
        for line in lines:
            label = Text(line.row.palette_title() if line.row.palette else t(line.row.label))
            if line.state:
                label.append(f"  ({line.state})", style="italic")
            table.add_row(Text(actions.keys_text(line.row), style="bold"), label)
        return table

    def compose(self) -> ComposeResult:
        own, shell = self._lines
        with Vertical(id="keys-box"):
            yield Static(Text(t("keys.title")), id="keys-title")
            with VerticalScroll(id="keys-list", can_focus=True):
                if own:
                    yield Static(self._table(t("keys.screen"), own), id="keys-screen")
                yield Static(self._table(t("keys.everywhere"), shell), id="keys-app")
            yield Static(Text(t("keys.hint")), id="keys-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#keys-list").focus()

    def action_close(self) -> None:
        self.dismiss(None)
