"""The command line: `casebook` opens the app; subcommands act as a signed-in casebook user.

Every command is a thin caller of the core. Errors and refusals go to stderr
as one clear sentence with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from casebook import config, i18n, users
from casebook import demo as demo_book
from casebook.book import init_casebook
from casebook.cli import access, accounts, backups, case, logs, policy, report, stats
from casebook.cli.common import (
    SQLITE_MAX,
    Options,
    open_book,
    read_new_passphrase,
    roles_text,
    stdin_is_terminal,
    table,
)
from casebook.errors import CasebookError, Refused, explain
from casebook.i18n import t
from casebook.paths import default_demo_home, resolve_home
from casebook.plaintext import inert


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
    environment = config.environment()
    if lang is None:
        try:
            lang = environment.language
        except config.InvalidVariable as exc:
            # A usage error in click's words, as a bad --lang is: no language can be chosen from a bad one.
            raise click.BadParameter(f"{exc.params['value']!r}: choose nl or en", param_hint=exc.variable) from None
    i18n.set_language(lang or i18n.DEFAULT_LANGUAGE)
    ctx.obj = Options(home=home, user=user, theme=theme or environment.theme)
    if ctx.invoked_subcommand is None:
        return run_app(ctx.obj)
    return 0


def run_app(options: Options) -> int:
    if not (stdin_is_terminal() and sys.stdout.isatty()):
        raise CasebookError("cli.needs_terminal")
    book = open_book(options)
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
    rows = [[a.name, a.passphrase, a.full_name, roles_text(frozenset(a.roles))] for a in demo_book.ACCOUNTS]
    click.echo(
        table([t("users.col.name"), t("users.col.passphrase"), t("users.col.full_name"), t("users.col.roles")], rows)
    )
    click.echo(t("cli.demo_open", path=str(home)))
    return 0


for command in (
    accounts.user,
    accounts.audit,
    accounts.setting,
    policy.policy,
    policy.employees_group,
    policy.receipts_group,
    report.report_group,
    logs.import_logs,
    logs.imports_group,
    logs.categories_group,
    stats.stats,
    stats.irregularities,
    access.access_group,
    access.purge,
    access.hold_group,
    case.case_group,
    backups.backup,
    backups.restore,
):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and turn every failure into a message on stderr and an exit code."""
    os.umask(0o077)  # everything the casebook writes is for its owner only
    config.reload()  # once per command: everything after reads this
    try:
        result = cli.main(args=argv, prog_name="casebook", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(t("cli.aborted"), err=True)
        return 130
    except click.UsageError as exc:
        click.echo(_usage_message(exc, sys.argv[1:] if argv is None else argv), err=True)
        return exc.exit_code
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
    except Exception as exc:
        if (explained := explain(exc)) is not None:
            click.echo(t("cli.error", message=explained.message), err=True)
            return 1
        if config.environment().debug:
            raise
        click.echo(t("cli.internal_error", kind=type(exc).__name__, detail=str(exc)), err=True)
        return 70
    return result if isinstance(result, int) else 0


def _expected(param: click.Parameter | None) -> str | None:
    """What a number or a choice option takes, in the person's language (None: click's own words)."""
    kind = param.type if param is not None else None
    if isinstance(kind, click.IntRange):
        low = 0 if kind.min is None else int(kind.min)
        if kind.max is None or kind.max >= SQLITE_MAX:
            return t("cli.usage.number_from", low=low)
        return t("cli.usage.number_between", low=low, high=int(kind.max))
    if isinstance(kind, click.Choice):
        return t("cli.usage.choice", choices=", ".join(str(c) for c in kind.choices))
    return None


def _typed(param: click.Parameter | None, argv: list[str]) -> str | None:
    """What was typed for an option, found in the command line (click keeps no note of it)."""
    if not isinstance(param, click.Option):
        return None
    for index, word in enumerate(argv):
        for name in param.opts:
            if word == name and index + 1 < len(argv):
                return argv[index + 1]
            if word.startswith(name + "="):
                return word[len(name) + 1 :]
    return None


def _usage_message(exc: click.UsageError, argv: list[str]) -> str:
    """Click's usage errors in the person's language (its own framing is English), with where to find help."""
    if isinstance(exc, click.MissingParameter):
        param = exc.param.get_error_hint(exc.ctx) if exc.param and exc.ctx else "?"
        message = t("cli.usage.missing", param=param)
    elif isinstance(exc, click.BadParameter):
        param = exc.param.get_error_hint(exc.ctx) if exc.param and exc.ctx else (exc.param_hint or "?")
        expected = _expected(exc.param)
        typed = _typed(exc.param, argv)
        if expected and typed is not None:
            expected = f"'{inert(typed[:40])}': {expected}"
        message = t("cli.usage.bad_parameter", param=param, message=expected or exc.message)
    elif isinstance(exc, click.NoSuchOption):
        message = t("cli.usage.no_such_option", option=exc.option_name)
    else:
        message = t("cli.usage.other", message=exc.message)
    command = exc.ctx.command_path if exc.ctx else "casebook"
    return f"{message}\n{t('cli.usage.help', command=command)}"


def run() -> None:
    sys.exit(main())
