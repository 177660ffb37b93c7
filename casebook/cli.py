"""The command line: `casebook` opens the app; subcommands act as a signed-in casebook user.

Every command is a thin caller of the core. Errors and refusals go to stderr
as one clear sentence with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from casebook import clock as clocks
from casebook import demo as demo_book
from casebook import i18n, settings, users
from casebook.book import Casebook, init_casebook, open_casebook, over_ssh
from casebook.errors import CasebookError, Refused
from casebook.i18n import t
from casebook.paths import default_demo_home, resolve_home
from casebook.permissions import Action
from casebook.session import Session
from schema.models import User
from schema.roles import ROLE_ORDER, Role, parse_role

PASSPHRASE_ENV = "CASEBOOK_PASSPHRASE"
NEW_PASSPHRASE_ENV = "CASEBOOK_NEW_PASSPHRASE"


@dataclass
class Options:
    home: Path | None
    user: str | None
    theme: str | None


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def read_passphrase(name: str) -> str:
    """The acting user's passphrase: from the environment for scripts, else asked on the terminal."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env is not None:
        return from_env
    if not _stdin_is_terminal():
        raise CasebookError("cli.no_passphrase", env=PASSPHRASE_ENV)
    return click.prompt(t("cli.prompt_passphrase", name=name), hide_input=True, err=True)


def read_new_passphrase(name: str) -> str:
    from_env = os.environ.get(NEW_PASSPHRASE_ENV)
    if from_env is not None:
        return from_env
    if not _stdin_is_terminal():
        raise CasebookError("cli.no_new_passphrase", env=NEW_PASSPHRASE_ENV)
    first = click.prompt(t("cli.prompt_new_passphrase", name=name), hide_input=True, err=True)
    second = click.prompt(t("cli.prompt_repeat_passphrase"), hide_input=True, err=True)
    if first != second:
        raise CasebookError("cli.passphrases_differ")
    return first


def sign_in(book: Casebook, name: str | None) -> Session:
    """Act as `name`, or as the account linked to the OS user; without a passphrase only over SSH where allowed."""
    name = name or book.linked_account()
    if not name:
        raise CasebookError("cli.no_user")
    account = users.find(book.store, name)
    if account is not None and account.ssh_login and over_ssh():
        return book.login_os(name)
    return book.login(name, read_passphrase(name))


def _open(options: Options) -> Casebook:
    return open_casebook(options.home)


@contextmanager
def acting(options: Options) -> Iterator[Session]:
    """Open the casebook and sign in as the acting user for one command; always close it after."""
    book = _open(options)
    try:
        yield sign_in(book, options.user)
    finally:
        book.close()


def _status(user: User, book: Casebook) -> str:
    if user.disabled:
        return t("users.status.disabled")
    if user.locked_until and user.locked_until > book.clock.now():
        return t("users.status.locked", until=book.local_time_text(user.locked_until))
    return t("users.status.active")


def _roles_text(roles: frozenset[Role]) -> str:
    return ", ".join(t(f"role.{role.value}") for role in ROLE_ORDER if role in roles)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


class RoleType(click.ParamType):
    name = "role"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Role:
        if isinstance(value, Role):
            return value
        try:
            return parse_role(str(value))
        except ValueError:
            self.fail(t("cli.bad_role", role=value, roles=", ".join(r.value for r in ROLE_ORDER)), param, ctx)


ROLE = RoleType()


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    type=click.Path(path_type=Path),
    help="Casebook folder (default: CASEBOOK_HOME, else the user data folder).",
)
@click.option("--lang", type=click.Choice(i18n.LANGUAGES), help="Language: nl (default) or en; also CASEBOOK_LANG.")
@click.option(
    "--user",
    "--as",
    "user",
    metavar="NAME",
    help="Act as this casebook user (default: the account linked to the OS user).",
)
@click.option("--theme", metavar="THEME", help="App colour theme (default: ansi-dark, the terminal's own colours).")
@click.version_option(package_name="cao81-casebook")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, lang: str | None, user: str | None, theme: str | None) -> int:
    """Casebook: lawful monitoring of internet, social-media and e-mail use (CAO nr. 81).

    Without a command, opens the app on the casebook.
    """
    language = lang or i18n.language_from_env()
    try:
        i18n.set_language(language)
    except ValueError:
        raise click.BadParameter(f"{language!r}: choose nl or en", param_hint="CASEBOOK_LANG") from None
    ctx.obj = Options(home=home, user=user, theme=theme or os.environ.get("CASEBOOK_THEME"))
    if ctx.invoked_subcommand is None:
        return run_app(ctx.obj)
    return 0


def run_app(options: Options) -> int:
    if not (_stdin_is_terminal() and sys.stdout.isatty()):
        raise CasebookError("cli.needs_terminal")
    book = _open(options)
    try:
        from screens.app import CasebookApp

        app = CasebookApp(book, user=options.user, theme=options.theme)
        app.run()
        return app.return_code or 0
    finally:
        book.close()


@cli.command()
@click.option("--admin", "admin", required=True, metavar="NAME", help="Name of the first administrator.")
@click.option("--full-name", default="", help="The administrator's full name.")
@click.pass_obj
def init(options: Options, admin: str, full_name: str) -> int:
    """Create a new casebook with its first administrator (passphrase asked, or CASEBOOK_NEW_PASSPHRASE)."""
    home = resolve_home(options.home)
    name = users.check_name(admin)
    passphrase = read_new_passphrase(name)
    book = init_casebook(home, name, passphrase, full_name=full_name)
    book.close()
    click.echo(t("cli.init_done", path=str(home), name=name))
    return 0


@cli.group()
def user() -> None:
    """Manage the people who use the casebook (administrators)."""


@user.command("add")
@click.argument("name")
@click.option("--role", "roles", type=ROLE, multiple=True, required=True, help="A role; repeat for several.")
@click.option("--full-name", default="", help="Full name shown in the app.")
@click.option("--os-user", default=None, help="Link to this OS account (default --user for the CLI, SSH sign-in).")
@click.option(
    "--ssh-login/--no-ssh-login", default=False, help="Allow sign-in without passphrase over SSH (off by default)."
)
@click.pass_obj
def user_add(
    options: Options, name: str, roles: tuple[Role, ...], full_name: str, os_user: str | None, ssh_login: bool
) -> int:
    """Add a user. Their passphrase is asked, or read from CASEBOOK_NEW_PASSPHRASE."""
    with acting(options) as session:
        session.require(Action.MANAGE_USERS)
        name = users.check_name(name)
        created = users.add_user(session, name, roles, read_new_passphrase(name), full_name, os_user, ssh_login)
        click.echo(t("cli.user_added", name=created.name, roles=_roles_text(created.roles)))
    return 0


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per user.")
@click.pass_obj
def user_list(options: Options, as_json: bool) -> int:
    """List the users, their roles and status."""
    with acting(options) as session:
        book = session.casebook
        people = users.list_users(session)
        if as_json:
            for person in people:
                click.echo(
                    json.dumps(
                        {
                            "name": person.name,
                            "full_name": person.full_name,
                            "roles": [r.value for r in person.sorted_roles()],
                            "disabled": person.disabled,
                            "locked_until": clocks.to_text(person.locked_until) if person.locked_until else None,
                            "os_user": person.os_user,
                            "ssh_login": person.ssh_login,
                        },
                        ensure_ascii=False,
                    )
                )
        else:
            headers = [
                t("users.col.name"),
                t("users.col.full_name"),
                t("users.col.roles"),
                t("users.col.status"),
                t("users.col.os_user"),
                t("users.col.ssh"),
            ]
            rows = [
                [
                    p.name,
                    p.full_name,
                    _roles_text(p.roles),
                    _status(p, book),
                    p.os_user or "-",
                    t("common.yes") if p.ssh_login else t("common.no"),
                ]
                for p in people
            ]
            click.echo(_table(headers, rows))
    return 0


@user.command("set")
@click.argument("name")
@click.option("--role", "roles", type=ROLE, multiple=True, help="Replace the roles; repeat for several.")
@click.option("--full-name", default=None)
@click.option("--os-user", default=None, help="Link to this OS account; '' to unlink.")
@click.option("--ssh-login/--no-ssh-login", default=None)
@click.pass_obj
def user_set(
    options: Options,
    name: str,
    roles: tuple[Role, ...],
    full_name: str | None,
    os_user: str | None,
    ssh_login: bool | None,
) -> int:
    """Change a user's roles, full name, linked OS account or SSH sign-in."""
    with acting(options) as session:
        changed = users.update_user(
            session, name, roles=roles or None, full_name=full_name, os_user=os_user, ssh_login=ssh_login
        )
        click.echo(t("cli.user_changed", name=changed.name, roles=_roles_text(changed.roles)))
    return 0


def _set_disabled(options: Options, name: str, disabled: bool) -> int:
    with acting(options) as session:
        changed = users.set_disabled(session, name, disabled)
        click.echo(t("cli.user_disabled" if disabled else "cli.user_enabled", name=changed.name))
    return 0


@user.command("disable")
@click.argument("name")
@click.pass_obj
def user_disable(options: Options, name: str) -> int:
    """Disable a user: they can no longer sign in; their history stays."""
    return _set_disabled(options, name, True)


@user.command("enable")
@click.argument("name")
@click.pass_obj
def user_enable(options: Options, name: str) -> int:
    """Enable a disabled user again."""
    return _set_disabled(options, name, False)


@user.command("passwd")
@click.argument("name", required=False)
@click.pass_obj
def user_passwd(options: Options, name: str | None) -> int:
    """Set a passphrase: your own, or (administrators) another user's. Also lifts a lock-out."""
    with acting(options) as session:
        target = (name or session.user.name).strip().lower()
        if target != session.user.name:
            session.require(Action.MANAGE_USERS)
        users.set_passphrase(session, target, read_new_passphrase(target))
        click.echo(t("cli.passphrase_set", name=target))
    return 0


@cli.group()
def audit() -> None:
    """Read and check the audit trail."""


@audit.command("verify")
@click.pass_obj
def audit_verify(options: Options) -> int:
    """Check every seal of the audit trail; exit 1 and name the first bad row if any."""
    with acting(options) as session:
        verdict = session.casebook.verify_audit(session)
    if verdict.ok:
        click.echo(t("cli.audit_ok", rows=verdict.rows))
        return 0
    click.echo(
        t("cli.audit_bad", row=verdict.bad_row, reason=t(f"audit.reason.{verdict.reason}"), rows=verdict.rows), err=True
    )
    return 1


@audit.command("show")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1), help="How many rows.")
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Skip this many of the newest rows.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per row.")
@click.pass_obj
def audit_show(options: Options, limit: int, offset: int, as_json: bool) -> int:
    """List the newest rows of the audit trail, oldest of them first."""
    with acting(options) as session:
        book = session.casebook
        rows = list(reversed(book.audit_rows(session, limit=limit, offset=offset)))
        if as_json:
            for row in rows:
                click.echo(row.model_dump_json())
        else:
            headers = [
                t("audit.col.id"),
                t("audit.col.at"),
                t("audit.col.actor"),
                t("audit.col.action"),
                t("audit.col.subject"),
                t("audit.col.detail"),
            ]
            click.echo(
                _table(
                    headers,
                    [
                        [
                            str(r.id),
                            book.local_time_text(r.at),
                            r.actor or "-",
                            r.action,
                            r.subject or "-",
                            json.dumps(r.detail, ensure_ascii=False, sort_keys=True),
                        ]
                        for r in rows
                    ],
                )
            )
    return 0


@cli.group()
def setting() -> None:
    """Show or change the casebook's settings (administrators change them)."""


@setting.command("show")
@click.pass_obj
def setting_show(options: Options) -> int:
    """Show every setting with its value."""
    with acting(options) as session:
        book = session.casebook
        for key, value in settings.all_values(book.store).items():
            click.echo(f"{key} = {value}    # {t(f'setting.{key}.label')}; {t(f'setting.{key}.rule')}")
    return 0


@setting.command("set")
@click.argument("key")
@click.argument("value")
@click.pass_obj
def setting_set(options: Options, key: str, value: str) -> int:
    """Change a setting."""
    with acting(options) as session:
        new = settings.set_value(session, key, value)
        click.echo(t("cli.setting_set", key=key, value=new))
    return 0


@cli.command()
@click.option(
    "--home",
    "demo_home",
    type=click.Path(path_type=Path),
    help="Demo folder (default: a 'demo' folder in the user data folder).",
)
@click.option("--reset", is_flag=True, help="Throw the demo casebook away and build it again.")
@click.pass_obj
def demo(options: Options, demo_home: Path | None, reset: bool) -> int:
    """Build (or reopen) a demo casebook with one user per role, and print their passphrases."""
    home = (demo_home or options.home or default_demo_home()).expanduser().absolute()
    book, built = demo_book.build(home, reset=reset)
    book.close()
    click.echo(t("cli.demo_built" if built else "cli.demo_exists", path=str(home)))
    rows = [[a.name, a.passphrase, a.full_name, _roles_text(frozenset(a.roles))] for a in demo_book.ACCOUNTS]
    click.echo(
        _table([t("users.col.name"), t("users.col.passphrase"), t("users.col.full_name"), t("users.col.roles")], rows)
    )
    click.echo(t("cli.demo_open", path=str(home)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and turn every failure into a message on stderr and an exit code."""
    os.umask(0o077)  # everything the casebook writes is for its owner only
    try:
        result = cli.main(args=argv, prog_name="casebook", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(t("cli.aborted"), err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except Refused as exc:
        click.echo(exc.message, err=True)
        return 3
    except CasebookError as exc:
        click.echo(t("cli.error", message=exc.message), err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("CASEBOOK_DEBUG"):
            raise
        click.echo(t("cli.internal_error", kind=type(exc).__name__, detail=str(exc)), err=True)
        return 70
    return result if isinstance(result, int) else 0


def run() -> None:
    sys.exit(main())
