"""The first screen: who are you? Name and passphrase; the check runs in a worker (scrypt is slow on purpose)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from casebook import demo
from casebook.errors import CasebookError
from casebook.i18n import t
from casebook.session import Interface, Session
from screens.base import CasebookScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.widgets.text_input import TextInput


class SignInScreen(CasebookScreen[None]):
    ACTIONS = ("quit",)

    def compose(self) -> ComposeResult:
        app = self.casebook_app
        blink = app.cursor_blink
        with VerticalScroll(id="signin-page"):
            with Vertical(id="signin-box"):
                yield Static(Text(t("app.title"), style="bold"), id="signin-title")
                yield Static(Text(t("app.subtitle")), id="signin-subtitle")
                yield Static(Text(t("signin.name")), classes="label")
                yield TextInput(
                    value=app.fixed_user or app.book.linked_account() or "",
                    placeholder=t("signin.name_placeholder"),
                    id="signin-name",
                    disabled=app.fixed_user is not None,
                    blink=blink,
                )
                yield Static(Text(t("signin.passphrase")), classes="label")
                yield TextInput(
                    password=True, placeholder=t("signin.passphrase_placeholder"), id="signin-passphrase", blink=blink
                )
                yield Static("", id="signin-message")
                yield Static(Text(t("signin.hint")), id="signin-hint")
            if app.book.is_demo():
                yield Static(self._demo_accounts(), id="signin-demo")
        yield KeyBar()

    def _demo_accounts(self) -> Text:
        lines = Text()
        lines.append(t("signin.demo_title"), style="bold")
        for account in demo.ACCOUNTS:
            roles = ", ".join(t(f"role.{role.value}") for role in account.roles)
            lines.append(f"\n{account.name:<6} {account.passphrase:<16} {roles}")
        return lines

    def on_mount(self) -> None:
        self._focus_first_empty()

    def reset(self) -> None:
        """Back after a sign-out: nothing of the last person stays, the next one starts at their name.

        A terminal that belongs to one account (`--as NAME`) keeps that name; the passphrase goes in any case.
        """
        fixed = self.casebook_app.fixed_user
        self.query_one("#signin-name", Input).value = fixed or ""
        self.query_one("#signin-passphrase", Input).value = ""
        self.show_message("", error=False)
        self._focus_first_empty()

    def _focus_first_empty(self) -> None:
        name = self.query_one("#signin-name", Input)
        passphrase = self.query_one("#signin-passphrase", Input)
        (passphrase if name.value or name.disabled else name).focus()

    def show_message(self, message: str, error: bool = True) -> None:
        widget = self.query_one("#signin-message", Static)
        widget.update(plain(message))
        widget.set_class(error, "error")

    @on(Input.Submitted, "#signin-name")
    def _next_field(self) -> None:
        self.query_one("#signin-passphrase", Input).focus()

    @on(Input.Submitted, "#signin-passphrase")
    def _submit(self) -> None:
        name = self.query_one("#signin-name", Input).value.strip()
        passphrase = self.query_one("#signin-passphrase", Input).value
        if not name:
            self.show_message(t("signin.name_missing"))
            self.query_one("#signin-name", Input).focus()
            return
        self.show_message(t("signin.checking"), error=False)
        self._sign_in(name, passphrase)

    @work(thread=True, exclusive=True, group="signin")
    def _sign_in(self, name: str, passphrase: str) -> None:
        app = self.casebook_app
        try:
            session = app.book.login(name, passphrase, interface=Interface.APP)
        except CasebookError as exc:
            app.call_from_thread(self._failed, exc.message)
            return
        app.call_from_thread(self._succeeded, session)

    def _succeeded(self, session: Session) -> None:
        """Let in: the passphrase leaves the screen at once; the first mode opens once the screen said so."""
        app = self.casebook_app
        self.query_one("#signin-passphrase", Input).value = ""
        self.show_message(t("signin.opening", name=session.user.display_name), error=False)
        self.call_after_refresh(app.signed_in, session)

    def _failed(self, message: str) -> None:
        self.query_one("#signin-passphrase", Input).value = ""
        self.show_message(message)
        self.query_one("#signin-passphrase", Input).focus()
