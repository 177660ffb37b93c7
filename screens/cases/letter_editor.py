"""A letter of a case in an editor (Textual's TextArea) before it is saved.

The Dutch text is the one sent: it opens editable (the collective warning before `warn`, the
notification before `notify`; a saved letter, whose change becomes a new version). Ctrl+T shows the
English rendering instead, read only and marked as a translation: it is never sent nor saved. The
editor hands back the Dutch text (Ctrl+S) or nothing (Escape); the page takes the step or saves it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from casebook.i18n import t
from casebook.session import Session
from screens.base import CasebookScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.workers import read_in_worker

Loader = Callable[[Session], str]


class LetterEditor(CasebookScreen[str | None]):
    CSS_PATH = "cases.tcss"
    ACTIONS = ("case.letter.save", "case.letter.translation", "case.letter.cancel")

    def __init__(
        self,
        title: str,
        intro: str,
        dutch: str | Loader,
        english: Loader | None = None,
        *,
        read_only_reason: str | None = None,
    ) -> None:
        """`dutch`: the text, or how to read it; `read_only_reason`: why this person may only read it (None: may edit)."""
        super().__init__()
        self.title_text = title
        self.intro = intro
        self.dutch_source = dutch
        self.english_source = english
        self.read_only_reason = read_only_reason
        self.dutch: str | None = dutch if isinstance(dutch, str) else None
        self.english: str | None = None
        self.showing_english = False

    @property
    def editable(self) -> bool:
        return self.read_only_reason is None

    def compose(self) -> ComposeResult:
        yield Static(plain(self.title_text), id="letter-title")
        yield Static(id="letter-intro")
        area = TextArea(self.dutch or "", id="letter-text", soft_wrap=True, read_only=True)
        area.cursor_blink = self.casebook_app.cursor_blink
        yield area
        yield Static(id="letter-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#letter-message").display = False
        self._intro()
        area = self.query_one("#letter-text", TextArea)
        area.focus()
        if self.dutch is not None:
            self._show_dutch()
        else:
            loader = self.dutch_source
            assert not isinstance(loader, str)
            read_in_worker(self, self.casebook_app, loader, self._loaded, "letter-load", failed=self._failed)

    def _loaded(self, text: str) -> None:
        if not self.is_attached:
            return
        self.dutch = text
        self._show_dutch()

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.message(message)

    def _show_dutch(self) -> None:
        area = self.query_one("#letter-text", TextArea)
        area.read_only = not self.editable
        area.load_text(self.dutch or "")
        self.showing_english = False
        self._intro()
        self.refresh_bindings()

    def _intro(self) -> None:
        widget = self.query_one("#letter-intro", Static)
        widget.set_class(self.showing_english, "-translation")
        if self.showing_english:
            widget.update(Text(t("cases.letter.translation")))
            return
        lines = [Text(self.intro)]
        if not self.editable:
            lines.append(plain(t("cases.letter.read_only", reason=self.read_only_reason)))
        if self.english_source is not None:
            lines.append(Text(t("cases.letter.dutch_hint")))
        widget.update(Text("\n").join(lines))

    def message(self, text: str) -> None:
        widget = self.query_one("#letter-message", Static)
        widget.update(plain(f"✖ {text}" if text else ""))
        widget.display = bool(text)

    # -- actions -------------------------------------------------------------------

    def action_translation(self) -> None:
        if self.english_source is None or self.dutch is None:
            return
        area = self.query_one("#letter-text", TextArea)
        if self.showing_english:
            self._show_dutch()
            return
        if self.editable:
            self.dutch = area.text
        if self.english is None:
            read_in_worker(self, self.casebook_app, self.english_source, self._english, "letter-english")
        else:
            self._english(self.english)

    def _english(self, text: str) -> None:
        if not self.is_attached:
            return
        self.english = text
        self.showing_english = True
        area = self.query_one("#letter-text", TextArea)
        area.read_only = True
        area.load_text(text)
        self._intro()
        self.refresh_bindings()

    def action_save(self) -> None:
        if not self.editable or self.dutch is None:
            return
        text = self.dutch if self.showing_english else self.query_one("#letter-text", TextArea).text
        if not text.strip():
            self.message(t("cases.letter.empty"))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.editable
        if action == "translation":
            return self.english_source is not None
        return super().check_action(action, parameters)
