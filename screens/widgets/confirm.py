"""A yes/no question in a small dialog: `y` answers yes, `n` or Escape no."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from casebook.i18n import t
from screens.base import CasebookModal


class ConfirmScreen(CasebookModal[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen #confirm-box {
        width: 60;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    ConfirmScreen .dialog-hint { color: $text-muted; margin-top: 1; }
    """
    ACTIONS = ("confirm.yes", "confirm.no")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Static(Text(self.question), id="confirm-question")
            yield Static(Text(t("confirm.hint")), classes="dialog-hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
