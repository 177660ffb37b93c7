"""A list of choices with their names, ticked with Space or Enter: one (a radio) or several (boxes).

Each line says its state in signs, not only in colour: `[x]`/`[ ]` where several
may be chosen, `(•)`/`( )` where one is. The list knows nothing of what makes a
valid choice: the form turns the ticked values into the field's text and the
core's field parser judges it, as it judges what is typed.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from screens import actions

TICKED, UNTICKED = "[x] ", "[ ] "
CHOSEN, UNCHOSEN = "(•) ", "( ) "


@dataclass(frozen=True)
class Choice:
    value: Hashable
    label: str  # the choice's name, as a person reads it (from the catalogue)


class ChoiceList(OptionList):
    """Ticked values in `selected`, in the order of the choices; `Changed` after every tick."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 12; }
    """
    BINDINGS = actions.bindings(("choices.toggle",))

    class Changed(Message):
        def __init__(self, choices: ChoiceList) -> None:
            super().__init__()
            self.choices = choices

        @property
        def control(self) -> ChoiceList:
            return self.choices

    def __init__(
        self, choices: Sequence[Choice], selected: Sequence[Hashable], *, several: bool = True, **kwargs: object
    ) -> None:
        self.choices = list(choices)
        self.several = several
        self._ticked = {c.value for c in self.choices if c.value in set(selected)}
        super().__init__(*self._prompts(), **kwargs)  # type: ignore[arg-type]
        actions.translate_bindings(self)

    @property
    def selected(self) -> list[Hashable]:
        return [c.value for c in self.choices if c.value in self._ticked]

    def _prompts(self) -> list[Option]:
        on_mark, off_mark = (TICKED, UNTICKED) if self.several else (CHOSEN, UNCHOSEN)
        return [
            Option(Text.assemble((on_mark if c.value in self._ticked else off_mark), c.label), id=str(index))
            for index, c in enumerate(self.choices)
        ]

    def toggle(self, index: int) -> None:
        value = self.choices[index].value
        if self.several:
            self._ticked ^= {value}
        else:
            self._ticked = {value}
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(self._prompts())
        self.highlighted = highlighted
        self.post_message(self.Changed(self))

    def action_toggle(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        # Enter, or a click: the same as Space.
        event.stop()
        self.toggle(event.option_index)
