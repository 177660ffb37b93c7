"""Two small dialogs of a case's page: a choice (whom a step is for, which letter) and 'why not?'."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from casebook.i18n import t
from screens.base import CasebookModal
from screens.widgets.plain_text import plain


class ChoiceDialog(CasebookModal[Any]):
    """A list to choose from with the arrows and Enter; Escape chooses nothing."""

    CSS_PATH = "cases.tcss"
    ACTIONS = ("case.dialog.close",)

    def __init__(self, title: str, options: Sequence[tuple[str, Any]], empty: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(id="case-choice", classes="case-dialog"):
            yield Static(Text(self.title_text), classes="case-dialog-title")
            if self.options:
                yield OptionList(
                    *(Option(plain(label), id=str(index)) for index, (label, _) in enumerate(self.options)),
                    id="case-choice-list",
                    compact=True,
                )
            else:
                yield Static(Text(self.empty), classes="case-dialog-note")
            yield Static(Text(t("cases.choose.hint")), classes="case-dialog-hint")

    def on_mount(self) -> None:
        if self.options:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[int(event.option.id or 0)][1])

    def action_close(self) -> None:
        self.dismiss(None)


class WhyDialog(CasebookModal[None]):
    """What the person may do now, and for each step that is not possible, the rule that blocks it."""

    CSS_PATH = "cases.tcss"
    ACTIONS = ("case.dialog.close",)

    def __init__(self, possible: str, blocked: Sequence[str], notes: Sequence[str] = ()) -> None:
        super().__init__()
        self.possible = possible
        self.blocked = list(blocked)
        self.notes = list(notes)

    def compose(self) -> ComposeResult:
        with Vertical(id="case-why", classes="case-dialog"):
            yield Static(Text(t("cases.why.title")), classes="case-dialog-title")
            with VerticalScroll(id="case-why-list"):
                yield Static(plain(self.possible), classes="case-why-open")
                for line in self.blocked:
                    yield Static(plain(f"✖ {line}"), classes="case-why-line")
                for note in self.notes:
                    yield Static(plain(f"⚠ {note}"), classes="case-why-line")
            yield Static(Text(t("cases.why.hint")), classes="case-dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#case-why-list").focus()

    def action_close(self) -> None:
        self.dismiss(None)
