"""The application: sign-in, the five modes as Textual modes, idle and manual lock, sign-out."""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import partial

from textual import events
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from casebook import settings
from casebook.book import Casebook
from casebook.errors import CasebookError, Refused
from casebook.i18n import t
from casebook.session import Interface, Session
from screens import actions
from screens.base import CasebookScreen
from screens.keys import KeysScreen
from screens.lock import LockScreen
from screens.modes import ALL_MODES
from screens.signin import SignInScreen

SIGNIN_MODE = "signin"
# How long a lock or sign-out row waits for a busy casebook before it is given up (and said so in the log).
RECORD_PATIENCE_SECONDS = 3600.0
DEFAULT_THEME = "ansi-dark"
# How often the idle timer looks; the lock comes at most this late.
IDLE_CHECK_SECONDS = 5.0


class CasebookApp(App[int]):
    # Every stylesheet at start: a screen met later (the first mode at sign-in) adds no parse of them all.
    CSS_PATH = ["app.tcss", "policy/policy.tcss", "logs/logs.tcss", "logs/overview.tcss"]
    TITLE = "Casebook"
    MODES = {SIGNIN_MODE: SignInScreen}
    DEFAULT_MODE = SIGNIN_MODE
    ACTIONS = (*(f"mode.{m.id}" for m in ALL_MODES), "lock", "sign_out", "keys", "palette", "theme", "quit")
    BINDINGS = actions.bindings(ACTIONS)

    def __init__(
        self,
        book: Casebook,
        *,
        user: str | None = None,
        theme: str | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        actions.translate_bindings(self)
        self.book = book
        # `--as NAME`: this terminal belongs to one account (an SSH key's forced command).
        self.fixed_user = user
        self.cursor_blink = cursor_blink
        self.session: Session | None = None
        self._modes_added: list[str] = []
        self._last_activity = time.monotonic()
        self._idle_limit = float(settings.SETTINGS["lock_idle_minutes"].default) * 60
        chosen = theme or DEFAULT_THEME
        if chosen not in self.available_themes:
            raise CasebookError("error.unknown_theme", theme=chosen, themes=", ".join(sorted(self.available_themes)))
        self.theme = chosen

    # -- signing in and out -------------------------------------------------

    def on_mount(self) -> None:
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self._try_ssh_sign_in()

    def _try_ssh_sign_in(self) -> None:
        """Over SSH, an account that allows it is signed in without a passphrase (off by default)."""
        name = self.fixed_user or self.book.linked_account()
        if not name or not self.book.ssh_sign_in_allowed(name):
            return
        try:
            session = self.book.login_os(name, interface=Interface.APP)
        except Refused as exc:
            self.notify(exc.message, severity="error")
            return
        self.signed_in(session)

    def mode_tabs(self) -> list[tuple[str, str, str]]:
        """(id, key, title) of the modes the signed-in person may use."""
        if self.session is None:
            return []
        return [(m.id, m.key, t(f"mode.{m.id}.title")) for m in ALL_MODES if self.session.may(m.screen.action)]

    def signed_in(self, session: Session) -> None:
        self.session = session
        self._last_activity = time.monotonic()
        allowed = [m for m in ALL_MODES if session.may(m.screen.action)]
        for mode in allowed:
            self.add_mode(mode.id, mode.screen)
            self._modes_added.append(mode.id)
        self.switch_mode(allowed[0].id)
        from screens.access.daily_purge import purge_once_a_day  # the day's retention purge, in a worker

        purge_once_a_day(self, session)

    async def sign_out(self, message: str | None = None) -> None:
        session = self.session
        if session is not None:
            self.record_later(session, "signout")
        self.session = None
        await self.switch_mode(SIGNIN_MODE)
        for mode in self._modes_added:
            await self.remove_mode(mode)
        self._modes_added.clear()
        if isinstance(self.screen, SignInScreen):
            self.screen.reset()
            if message:
                self.screen.show_message(message)
        self.refresh_bindings()

    async def action_sign_out(self) -> None:
        if self.check_action("sign_out", ()):
            await self.sign_out()

    @property
    def others_may_sign_in(self) -> bool:
        """Whether this terminal is shared: under `--as NAME` (an SSH key's forced command) it is one person's."""
        return self.fixed_user is None

    # -- locking ------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return isinstance(self.screen, LockScreen)

    def action_lock(self) -> None:
        if self.session is None or self.locked:
            return
        self.push_screen(LockScreen())  # the screen is hidden first; the trail follows
        self.record_later(self.session, "session.locked")

    def record_later(self, session: Session, action: str) -> None:
        """Write an audit row without holding up the screen: an import may hold the casebook for minutes."""
        self.run_worker(
            partial(_record_until_written, session, action), thread=True, group="audit", exit_on_error=False
        )

    def unlocked(self) -> None:
        self._last_activity = time.monotonic()
        if self.locked:
            self.pop_screen()

    def idle_limit_seconds(self) -> float:
        session = self.session
        if session is not None:
            try:
                self._idle_limit = float(settings.value(session, "lock_idle_minutes")) * 60
            except Refused:
                pass  # the account was disabled meanwhile: the limit last read still locks the screen
        return self._idle_limit

    def lock_if_idle(self) -> None:
        if self.session is None or self.locked:
            return
        if time.monotonic() - self._last_activity >= self.idle_limit_seconds():
            self.action_lock()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self._last_activity = time.monotonic()
        await super().on_event(event)

    # -- modes and commands -------------------------------------------------

    def action_mode(self, mode: str) -> None:
        if mode in self._modes_added and not self.locked:
            self.switch_mode(mode)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        signed_in = self.session is not None and not self.locked
        if action == "mode":
            return signed_in and parameters[0] in self._modes_added
        if action in {"lock", "command_palette", "change_theme"}:
            return signed_in
        if action == "sign_out":
            # At the lock screen, signing out means letting someone else sign in: not at one person's terminal.
            return self.session is not None and (self.others_may_sign_in or not self.locked)
        if action == "keys":
            return not self.locked and not isinstance(self.screen, KeysScreen)
        return True

    def search_themes(self) -> None:
        # Textual's theme picker, with its search prompt in the user's language.
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=t("palette.theme_search")))

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in a text field): say how to quit, in the person's language."""
        first_key = actions.BY_ID["quit"].keys.split(",")[0]
        # Written as the hints on the screens write keys ("Ctrl+Q"), not as the footer abbreviates them.
        key = "+".join(part.capitalize() for part in first_key.split("+"))
        self.notify(t("app.quit_hint", key=key), title=t("app.quit_title"), markup=False)

    def action_keys(self) -> None:
        """Every key of the screen in front, and the app's: `?` (F1 where a field takes `?` as typing)."""
        if not self.locked and not isinstance(self.screen, KeysScreen):
            self.push_screen(KeysScreen(self.screen))

    def action_command_palette(self) -> None:
        # Textual's own palette, with its search prompt in the user's language.
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("palette.search"), id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The app's own actions the person may take now, then the current screen's (both from the action table)."""
        quit_row = actions.BY_ID["quit"]
        for row in actions.rows(self.ACTIONS):
            if row is not quit_row and row.palette is not None and self.check_action(row.name, row.parameters):
                yield SystemCommand(
                    row.palette_title(), t(row.help), partial(self.call_later, self.run_action, row.action)
                )
        if self.session is not None and not self.locked and isinstance(screen, CasebookScreen):
            yield from screen.palette_commands()
        yield SystemCommand(
            quit_row.palette_title(), t(quit_row.help), partial(self.call_later, self.run_action, quit_row.action)
        )


def _record_until_written(session: Session, action: str) -> None:
    """Retry while another connection writes: the row must land, the person must not wait for it.

    It waits on a connection of its own, so the app's connection (and the screen) stays free meanwhile.
    """
    deadline = time.monotonic() + RECORD_PATIENCE_SECONDS
    book = session.casebook.second_connection()
    try:
        while True:
            try:
                session.on(book).record(action, session.user.name)
                return
            except CasebookError as exc:
                if exc.key != "error.busy" or time.monotonic() > deadline:
                    raise
                time.sleep(1.0)
    finally:
        book.close()
