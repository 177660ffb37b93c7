"""The shell with pilot: sign-in, modes per role, lock and unlock, idle lock, sign-out, the palette."""

from __future__ import annotations

import time

import pytest
from rich.console import Console
from textual.widgets import Input, Static

from casebook import settings, signin, users
from casebook.book import Casebook
from casebook.errors import CasebookError
from casebook.permissions import Action
from casebook.session import Session
from schema.roles import Role
from screens.lock import LockScreen
from screens.signin import SignInScreen
from tests.conftest import ADMIN, PASSPHRASE, set_env
from tests.screens.helpers import fill, make_app, settle, sign_in, type_text


def static_text(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_wrong_passphrase_is_refused_with_the_rule(book: Casebook) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, ADMIN, "not my passphrase")
        assert isinstance(app.screen, SignInScreen)
        assert "Geweigerd door de regel 'aanmelden'" in static_text(app, "#signin-message")
        assert app.screen.query_one("#signin-passphrase", Input).value == ""
        assert app.session is None


async def test_empty_name_asks_for_it(book: Casebook) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.screen.query_one("#signin-passphrase", Input).focus()
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await settle(pilot)
        assert "gebruikersnaam" in static_text(app, "#signin-message")
        assert app.session is None


@pytest.mark.parametrize(
    ("name", "first_mode", "tabs"),
    [
        (ADMIN, "policy", ["policy", "access", "reports"]),
        ("ilse", "policy", ["policy", "logs", "cases", "access", "reports"]),
        ("bert", "policy", ["policy", "reports"]),
        ("eva", "policy", ["policy", "access"]),
    ],
)
async def test_sign_in_offers_the_modes_of_the_role(
    book: Casebook, people: dict[str, Session], name: str, first_mode: str, tabs: list[str]
) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, name, PASSPHRASE)
        assert app.session is not None and app.session.user.name == name
        assert app.current_mode == first_mode
        assert [mode_id for mode_id, _, _ in app.mode_tabs()] == tabs


async def test_mode_keys_switch_only_to_allowed_modes(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "eva", PASSPHRASE)
        await pilot.press("2")  # Logs: not for an employee
        assert app.current_mode == "policy"
        await pilot.press("4")
        assert app.current_mode == "access"
        assert "[4 Inzage]" in static_text(app, "#tabs")


async def test_lock_hides_everything_until_the_passphrase(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        await pilot.press("3")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert not app.screen.query("SessionHeader")  # nothing of the work shows
        await pilot.press("5")  # mode keys do nothing while locked
        assert isinstance(app.screen, LockScreen)
        assert app.check_action("command_palette", ()) is False
        await fill(pilot, "#lock-passphrase", "wrong passphrase")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "verkeerde wachtwoordzin" in static_text(app, "#lock-message")
        await fill(pilot, "#lock-passphrase", PASSPHRASE)
        await pilot.press("enter")
        await settle(pilot)
        assert not app.locked
        assert app.current_mode == "cases"


async def test_lockout_at_the_lock_screen_signs_out(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "sofie", PASSPHRASE)
        await pilot.press("ctrl+l")
        for _ in range(signin.MAX_FAILED_ATTEMPTS):
            await fill(pilot, "#lock-passphrase", "wrong passphrase")
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.session is None
        assert "geblokkeerd" in static_text(app, "#signin-message")


async def test_idle_lock_follows_the_setting(book: Casebook, admin: Session, people: dict[str, Session]) -> None:
    settings.set_value(admin, "lock_idle_minutes", "2")
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "bert", PASSPHRASE)
        app._last_activity = time.monotonic() - 119
        app.lock_if_idle()
        await pilot.pause()
        assert not app.locked
        app._last_activity = time.monotonic() - 121
        app.lock_if_idle()
        await pilot.pause()
        assert app.locked


async def test_idle_lock_still_comes_after_the_account_is_disabled(
    book: Casebook, admin: Session, people: dict[str, Session]
) -> None:
    settings.set_value(admin, "lock_idle_minutes", "2")
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "bert", PASSPHRASE)
        app.lock_if_idle()  # reads the limit while bert may still read it
        users.set_disabled(admin, "bert", True)
        app._last_activity = time.monotonic() - 121
        app.lock_if_idle()
        await pilot.pause()
        assert app.locked


async def test_keys_count_as_activity(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "bert", PASSPHRASE)
        app._last_activity = time.monotonic() - 10_000
        await pilot.press("5")
        app.lock_if_idle()
        await pilot.pause()
        assert not app.locked


async def test_sign_out_clears_the_door(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.session is None
        assert app.screen.query_one("#signin-passphrase", Input).value == ""
        await pilot.press("2")
        assert isinstance(app.screen, SignInScreen)
        # Someone else signs in at the same terminal and gets their own modes.
        await sign_in(pilot, "eva", PASSPHRASE)
        assert [m for m, _, _ in app.mode_tabs()] == ["policy", "access"]
    actions = [r["action"] for r in book.store.query("SELECT action FROM audit ORDER BY id")]
    assert "signout" in actions


async def test_palette_offers_only_allowed_modes(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        titles_signed_out = [c.title for c in app.get_system_commands(app.screen)]
        assert titles_signed_out == ["Toetsen", "Afsluiten"]
        await sign_in(pilot, "eva", PASSPHRASE)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Ga naar Policy" in titles and "Ga naar Inzage" in titles
        assert "Ga naar Logs" not in titles and "Ga naar Dossiers" not in titles
        assert {"Vergrendel", "Afmelden", "Afsluiten"} <= set(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one("CommandInput", Input).placeholder == "Zoek een opdracht…"


async def test_names_are_shown_as_plain_text(book: Casebook, admin: Session) -> None:
    users.add_user(admin, "mallory", [Role.EMPLOYEE], PASSPHRASE, full_name="[red]Mal[/red]\x1b[2Jlory")
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "mallory", PASSPHRASE)
        identity = static_text(app, "#identity")
        assert "[red]Mal[/red]" in identity
        assert "\x1b" not in identity


async def test_fixed_user_cannot_choose_another_name(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book, user="eva")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        name = app.screen.query_one("#signin-name", Input)
        assert name.value == "eva" and name.disabled
        assert app.screen.focused is app.screen.query_one("#signin-passphrase", Input)
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session is not None and app.session.user.name == "eva"


async def test_ssh_sign_in_when_the_account_allows_it(
    book: Casebook, admin: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.add_user(admin, "ilse", [Role.IT_OFFICER], PASSPHRASE, ssh_login=True)
    set_env(monkeypatch, SSH_CONNECTION="192.0.2.1 50000 192.0.2.2 22")
    app = make_app(book, user="ilse")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.session is not None and app.session.method == "ssh"
        assert app.current_mode == "policy"


async def test_everything_reachable_at_80x24(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for selector in ("#signin-name", "#signin-passphrase", "#signin-message"):
            region = app.screen.query_one(selector).region
            assert region.bottom <= 24 and region.right <= 80, selector
        await sign_in(pilot, "jan", PASSPHRASE)
        footer_keys = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show and b.enabled}
        assert {"ctrl+l", "ctrl+o", "ctrl+q"} <= footer_keys


async def test_english(book: Casebook, people: dict[str, Session]) -> None:
    from casebook import i18n

    i18n.set_language("en")
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "User name" in str(app.screen.query(Static).nodes[2].render())
        await sign_in(pilot, "ilse", PASSPHRASE)
        assert [title for _, _, title in app.mode_tabs()] == ["Policy", "Logs", "Cases", "Access", "Reports"]


def test_unknown_theme_is_a_clear_error(book: Casebook) -> None:
    with pytest.raises(CasebookError) as error:
        make_app(book, theme="no-such-theme")
    assert "no-such-theme" in error.value.message and "ansi-dark" in error.value.message


async def test_lock_while_another_connection_writes(book: Casebook, people: dict[str, Session]) -> None:
    """A long import holds the write lock for minutes: locking the screen must not wait for it, nor crash."""
    import sqlite3

    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "sofie", PASSPHRASE)
        writer = sqlite3.connect(book.files.db, timeout=0)
        writer.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert app.locked and time.monotonic() - started < 2
        finally:
            writer.rollback()
            writer.close()
        await app.workers.wait_for_complete()
    actions = [r["action"] for r in book.store.query("SELECT action FROM audit ORDER BY id")]
    assert "session.locked" in actions


async def test_lock_screen_of_one_persons_terminal_lets_nobody_else_in(
    book: Casebook, people: dict[str, Session]
) -> None:
    app = make_app(book, user="ilse")  # `--as ilse`: the forced command of Ilse's SSH key
    async with app.run_test(size=(120, 36)) as pilot:
        await fill(pilot, "#signin-passphrase", PASSPHRASE)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert static_text(app, "#lock-hint") == "Enter: ontgrendelen · Ctrl+Q: afsluiten"
        footer_keys = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show and b.enabled}
        assert "ctrl+o" not in footer_keys and "ctrl+q" in footer_keys
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert app.session is not None and app.session.user.name == "ilse"


async def test_lock_screen_of_a_shared_terminal_lets_someone_else_sign_in(
    book: Casebook, people: dict[str, Session]
) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "Ctrl+O: iemand anders laten aanmelden" in static_text(app, "#lock-hint")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and app.session is None


@pytest.mark.parametrize(("language", "expected"), [("nl", "Druk Ctrl+Q om"), ("en", "Press Ctrl+Q to")])
async def test_ctrl_c_says_how_to_quit_in_the_persons_language(
    book: Casebook, people: dict[str, Session], language: str, expected: str
) -> None:
    from casebook import i18n

    i18n.set_language(language)
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "bert", PASSPHRASE)
        await pilot.press("ctrl+c")
        await pilot.pause()
        shown = [(n.title, n.message) for n in app._notifications]
        assert len(shown) == 1
        title, message = shown[0]
        assert message.startswith(expected) and "Do you want" not in title
        assert title == ("Afsluiten?" if language == "nl" else "Quit?")


# -- a shared terminal: the door after a sign-out -----------------------------------------------------------------


async def test_sign_out_leaves_a_clean_door(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        name = screen.query_one("#signin-name", Input)
        assert name.value == "" and not name.disabled
        assert screen.query_one("#signin-passphrase", Input).value == ""
        assert static_text(app, "#signin-message") == ""  # no "checking…", no welcome of the last person
        assert screen.focused is name
        await type_text(pilot, "eva")  # the next person starts typing their name at once
        assert name.value == "eva"


async def test_sign_out_keeps_the_name_of_a_terminal_that_belongs_to_one_account(
    book: Casebook, people: dict[str, Session]
) -> None:
    app = make_app(book, user="eva")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, "#signin-passphrase", PASSPHRASE)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session is not None
        await pilot.press("ctrl+o")
        await settle(pilot)
        name = app.screen.query_one("#signin-name", Input)
        assert name.value == "eva" and name.disabled
        assert app.screen.focused is app.screen.query_one("#signin-passphrase", Input)
        assert static_text(app, "#signin-message") == ""


async def test_a_lock_out_at_sign_out_is_still_said(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "sofie", PASSPHRASE)
        await app.sign_out("Geweigerd: geblokkeerd")
        await settle(pilot)
        assert static_text(app, "#signin-message") == "Geweigerd: geblokkeerd"
        assert app.screen.query_one("#signin-name", Input).value == ""


async def test_the_passphrase_leaves_the_screen_as_soon_as_it_is_accepted(
    book: Casebook, people: dict[str, Session]
) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "bert", PASSPHRASE)
        door = app.get_screen_stack("signin")[0]
        assert door.query_one("#signin-passphrase", Input).value == ""


# -- keys: the footer, the help screen, and keys that say why they do nothing -------------------------------------


def footer_line(app: object) -> str:
    from screens.widgets.key_bar import KeyBar

    return str(app.screen.query_one(KeyBar).render())  # type: ignore[attr-defined]


def notices(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["ilse", "sofie", "bert", "eva", "jan"])
async def test_the_footer_fits_80_columns_with_the_shell_keys(
    book: Casebook, people: dict[str, Session], name: str
) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, name, PASSPHRASE)
        for mode in [m for m, _, _ in app.mode_tabs()][:2]:
            await pilot.press(actions_key(mode))
            await settle(pilot)
            line = footer_line(app)
            assert len(line) <= 80
            assert line.rstrip().endswith("? Toetsen"), line
            assert "^l Vergrendel" in line and "^o Afmelden" in line, line


def actions_key(mode: str) -> str:
    from screens import actions

    return actions.BY_ID[f"mode.{mode}"].keys


async def test_the_footer_puts_the_screens_keys_first_and_drops_the_last_when_narrow(
    book: Casebook, admin: Session
) -> None:
    from screens.widgets.key_bar import KeyBar

    app = make_app(book)
    async with app.run_test(size=(120, 30)) as pilot:
        await sign_in(pilot, ADMIN, PASSPHRASE)
        bar = app.screen.query_one(KeyBar)
        wide_left, wide_right = bar.fitted(300)
        narrow_left, narrow_right = bar.fitted(80)
        assert [i.id for i in wide_right] == [i.id for i in narrow_right] == ["lock", "sign_out", "keys"]
        assert [i.id for i in narrow_left] == [i.id for i in wide_left][: len(narrow_left)]
        assert len(narrow_left) < len(wide_left)
        assert [i.id for i in wide_left][:3] == ["policy.find", "policy.next_missing", "policy.settings"]
        assert wide_left[-1].id == "quit"  # the app's other keys come last


async def test_question_mark_lists_every_key_of_the_screen_and_the_app(
    book: Casebook, people: dict[str, Session]
) -> None:
    from screens.keys import KeysScreen

    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "eva", PASSPHRASE)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        own, shell = app.screen._lines
        own_ids = [line.row.id for line in own]
        assert {"policy.find", "policy.next_missing", "policy.versions", "policy.jump"} <= set(own_ids)
        shell_ids = [line.row.id for line in shell]
        assert shell_ids[:5] == ["mode.policy", "mode.logs", "mode.cases", "mode.access", "mode.reports"]
        assert {"lock", "sign_out", "keys", "palette", "quit"} <= set(shell_ids)
        states = {line.row.id: line.state for line in own + shell}
        assert states["mode.logs"] == "alleen voor: ict-verantwoordelijke, toezichthoudend personeel"
        assert states["mode.access"] == ""
        assert states["policy.settings"] == "alleen voor: beheerder"
        console = Console(width=76, record=True)
        console.print(app.screen.query_one("#keys-screen", Static).content)
        text = console.export_text()
        assert "Zoek in de policy" in text and "Shift+N" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "policy" and not isinstance(app.screen, KeysScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert not isinstance(app.screen, KeysScreen)


async def test_f1_opens_the_keys_where_a_field_takes_the_question_mark(book: Casebook) -> None:
    from screens.keys import KeysScreen

    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "?")
        assert app.screen.query_one("#signin-name", Input).value == "?"
        assert "F1 Toetsen" in footer_line(app)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        own, shell = app.screen._lines
        assert [line.row.id for line in shell] == ["keys", "quit"]  # nobody signed in: no modes, no lock


async def test_a_mode_key_the_role_lacks_says_the_cores_refusal(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "eva", PASSPHRASE)
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "policy"
        expected = people["eva"].refusal(Action.MODE_LOGS)
        assert expected is not None
        assert notices(app) == [expected.message]
        assert notices(app)[0].startswith("Geweigerd door de regel 'rol vereist'")


async def test_keys_of_other_roles_say_why_on_the_policy(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        for key, action in (("s", Action.MANAGE_POLICY), ("r", Action.VIEW_RECEIPTS)):
            app.clear_notifications()
            await pilot.press(key)
            await settle(pilot)
            refusal = people["ilse"].refusal(action)
            assert refusal is not None and notices(app) == [refusal.message]
        assert app.current_mode == "policy" and len(app.screen_stack) == 1


async def test_keys_on_the_lock_screen_say_nothing(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "eva", PASSPHRASE)
        await pilot.press("ctrl+l")
        await settle(pilot)
        app.screen.query_one("#lock-passphrase", Input).blur()
        await pilot.press("2")
        await settle(pilot)
        assert notices(app) == []  # not even which roles the locked-out person lacks
