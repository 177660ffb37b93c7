"""The lock screen of a shared terminal: everything hidden until the same person's passphrase is given."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from casebook.errors import CasebookError, Refused
from casebook.i18n import t
from casebook.session import Interface
from screens import actions
from screens.base import CasebookScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.widgets.text_input import TextInput


class LockScreen(CasebookScreen[None]):
    ACTIONS = ("sign_out", "quit")

    def compose(self) -> ComposeResult:
        session = self.casebook_app.session
        name = session.user.display_name if session else ""
        with VerticalScroll(id="lock-page"):
            with Vertical(id="lock-box"):
                yield Static(Text(t("lock.title"), style="bold"), id="lock-title")
                yield Static(plain(t("lock.text", name=name)), id="lock-text")
                yield TextInput(
                    password=True,
                    placeholder=t("signin.passphrase_placeholder"),
                    id="lock-passphrase",
                    blink=self.casebook_app.cursor_blink,
                )
                yield Static("", id="lock-message")
                hint = "lock.hint" if self.casebook_app.others_may_sign_in else "lock.hint_one_person"
                yield Static(Text(t(hint)), id="lock-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#lock-passphrase", Input).focus()

    def why_not(self, row: actions.UiAction) -> str | None:
        return None  # a locked screen says nothing about the person behind it, not even their roles

    @on(Input.Submitted, "#lock-passphrase")
    def _submit(self, event: Input.Submitted) -> None:
        self._message(t("signin.checking"), error=False)
        self._unlock(event.value)

    @work(thread=True, exclusive=True, group="unlock")
    def _unlock(self, passphrase: str) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            app.book.login(session.user.name, passphrase, purpose="unlock", interface=Interface.APP)
        except Refused as exc:
            # Locked out or disabled meanwhile: this person's session ends here.
            if exc.rule in {"signin.lockout", "signin.disabled"}:
                app.call_from_thread(app.sign_out, exc.message)
            else:
                app.call_from_thread(self._failed, exc.message)
            return
        except CasebookError as exc:
            app.call_from_thread(self._failed, exc.message)
            return
        app.call_from_thread(app.unlocked)

    def _failed(self, message: str) -> None:
        self.query_one("#lock-passphrase", Input).value = ""
        self._message(message)

    def _message(self, message: str, error: bool = True) -> None:
        widget = self.query_one("#lock-message", Static)
        widget.update(plain(message))
        widget.set_class(error, "error")
