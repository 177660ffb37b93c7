"""The bottom line of a screen: the keys that matter here first, the shell's own keys always, never cut.

Keys come from the screen's active bindings (all made from `screens.actions`),
in the order of the action table: a screen's own keys on the left, the most
important first; on the right the keys of the shell that a shared terminal
needs on every screen (lock, sign out) and `?`, the help screen that lists
every key. When the line is too narrow, keys drop from the end of the left
side; the right side stays. A key the focused field would take as typing (a
`?` in a text field) shows as its other key (F1).

One line of text, redrawn when the bindings change: cheaper than a widget per key.
A click on a key runs it, but nothing needs the mouse.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.widget import Widget

from screens import actions

# The shell's keys on the right of every line, in this order.
ALWAYS = ("lock", "sign_out", "keys")
GAP = "  "


@dataclass
class KeyItem:
    id: str  # the action's id (a group's: its first action's)
    keys: str  # as shown: "^l", "][", "0-4"
    label: str
    action: str
    namespace: DOMNode

    @property
    def width(self) -> int:
        return Text(f"{self.keys} {self.label}").cell_len


def _rank() -> dict[str, int]:
    return {row.id: index for index, row in enumerate(actions.ROWS)}


_RANKS = _rank()


def _joined(keys: list[str]) -> str:
    """Keys of one group: '][' side by side, a run of digits as a range ('0-4')."""
    if len(keys) > 2 and all(k.isdigit() for k in keys):
        numbers = sorted(int(k) for k in keys)
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{numbers[0]}-{numbers[-1]}"
    return "".join(keys)


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES = {"key-bar--key"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._spans: list[tuple[int, int, KeyItem]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: object) -> None:
        if screen is self.screen:
            self.refresh()

    def items(self) -> tuple[list[KeyItem], list[KeyItem]]:
        """(the screen's keys, the shell's keys), each in the order they show; one item per action or group."""
        focused = self.screen.focused
        chosen: dict[str, tuple[str, Binding, DOMNode]] = {}  # binding id -> the key shown
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not active.enabled or binding.id not in _RANKS:
                continue
            if focused is not None and focused.check_consume_key(key, key_to_character(key)):
                continue  # typing: the field takes it
            if binding.id not in chosen:
                chosen[binding.id] = (key, binding, active.node)
        left: list[KeyItem] = []
        right: list[KeyItem] = []
        groups: dict[str, KeyItem] = {}
        group_keys: dict[str, list[str]] = {}
        app = self.app

        def order(item: tuple[str, tuple[str, Binding, DOMNode]]) -> tuple[bool, int]:
            # The screen's own keys first; the app's other keys (quit) last: the palette and `?` have them.
            return item[1][2] is app, _RANKS[item[0]]

        for binding_id, (_key, binding, node) in sorted(chosen.items(), key=order):
            shown = app.get_key_display(binding)
            if len(shown) > 1 and shown[0] == "f" and shown[1:].isdigit():
                shown = shown.upper()  # F1 as the key is labelled
            if binding.group is not None:
                name = binding.group.description
                if name in groups:
                    group_keys[name].append(shown)
                    groups[name].keys = _joined(group_keys[name])
                    continue
                group_keys[name] = [shown]
                item = groups[name] = KeyItem(binding_id, shown, name, binding.action, node)
            else:
                item = KeyItem(binding_id, shown, binding.description, binding.action, node)
            (right if binding_id in ALWAYS else left).append(item)
        right.sort(key=lambda item: ALWAYS.index(item.id))
        return left, right

    def fitted(self, width: int) -> tuple[list[KeyItem], list[KeyItem]]:
        """The items that fit in `width` columns: the shell's always, the screen's from the first."""
        left, right = self.items()

        def used(items: list[KeyItem]) -> int:
            return sum(item.width for item in items) + len(GAP) * max(0, len(items) - 1)

        room = width - 2 - used(right) - (len(GAP) if right else 0)
        while left and used(left) > room:
            left.pop()
        return left, right

    def render(self) -> Text:
        width = self.size.width
        left, right = self.fitted(width)
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        line = Text(" ", no_wrap=True, overflow="ellipsis")
        self._spans = []

        def add(items: list[KeyItem]) -> None:
            for index, item in enumerate(items):
                if index:
                    line.append(GAP)
                start = line.cell_len
                line.append(item.keys, key_style)
                line.append(" " + item.label)
                self._spans.append((start, line.cell_len, item))

        add(left)
        right_text_width = sum(item.width for item in right) + len(GAP) * max(0, len(right) - 1)
        line.append(" " * max(len(GAP), width - 1 - line.cell_len - right_text_width))
        add(right)
        return line

    async def on_click(self, event: events.Click) -> None:
        for start, end, item in self._spans:
            if start <= event.x < end:
                await self.app.run_action(item.action, item.namespace)
                return
