"""What a mode shows before its feature exists: honest about what is not there yet."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


class EmptyState(VerticalScroll):
    DEFAULT_CSS = """
    EmptyState { padding: 1 2; }
    EmptyState > .title { text-style: bold; margin-bottom: 1; }
    EmptyState > .body { margin-bottom: 1; }
    """

    def __init__(self, title: str, paragraphs: list[str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._title = title
        self._paragraphs = paragraphs

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Text(self._title), classes="title")
        for paragraph in self._paragraphs:
            yield Static(Text(paragraph), classes="body")
