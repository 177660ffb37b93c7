"""A text input whose cursor blink can be turned off (snapshots, screen readers, slow links)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class TextInput(Input):
    def __init__(self, *args: Any, blink: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_reactive(Input.cursor_blink, blink)
