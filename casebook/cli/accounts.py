"""`casebook user …`, `casebook audit …`, `casebook setting …`: accounts, the audit trail, settings."""

from __future__ import annotations

import json

import click

from casebook import audit as audit_trail
from casebook import clock as clocks
from casebook import settings, users
from casebook.cli.common import (
    COUNT,
    OFFSET,
    ROLE,
    Options,
    acting,
    read_new_passphrase,
    roles_text,
    table,
    user_status,
)
from casebook.formatting import number
from casebook.i18n import t
from casebook.permissions import Action
from schema.roles import Role


@click.group()
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
@click.option("--employee", default=None, metavar="EMAIL", help="The directory's person this account is (employees).")
@click.pass_obj
def user_add(
    options: Options,
    name: str,
    roles: tuple[Role, ...],
    full_name: str,
    os_user: str | None,
    ssh_login: bool,
    employee: str | None,
) -> int:
    """Add a user. Their passphrase is asked, or read from CASEBOOK_NEW_PASSPHRASE."""
    with acting(options) as session:
        session.require(Action.MANAGE_USERS)
        name = users.check_name(name)
        created = users.add_user(
            session, name, roles, read_new_passphrase(name), full_name, os_user, ssh_login, employee=employee
        )
        click.echo(t("cli.user_added", name=created.name, roles=roles_text(created.roles)))
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
                    roles_text(p.roles),
                    user_status(p, book),
                    p.os_user or "-",
                    t("common.yes") if p.ssh_login else t("common.no"),
                ]
                for p in people
            ]
            click.echo(table(headers, rows))
    return 0


@user.command("set")
@click.argument("name")
@click.option("--role", "roles", type=ROLE, multiple=True, help="Replace the roles; repeat for several.")
@click.option("--full-name", default=None)
@click.option("--os-user", default=None, help="Link to this OS account; '' to unlink.")
@click.option("--ssh-login/--no-ssh-login", default=None)
@click.option("--employee", default=None, metavar="EMAIL", help="Link to the directory's person; '' to unlink.")
@click.pass_obj
def user_set(
    options: Options,
    name: str,
    roles: tuple[Role, ...],
    full_name: str | None,
    os_user: str | None,
    ssh_login: bool | None,
    employee: str | None,
) -> int:
    """Change a user's roles, full name, linked OS account, SSH sign-in or directory link."""
    with acting(options) as session:
        changed = users.update_user(
            session,
            name,
            roles=roles or None,
            full_name=full_name,
            os_user=os_user,
            ssh_login=ssh_login,
            employee=employee,
        )
        click.echo(t("cli.user_changed", name=changed.name, roles=roles_text(changed.roles)))
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


@click.group()
def audit() -> None:
    """Read and check the audit trail."""


@audit.command("verify")
@click.pass_obj
def audit_verify(options: Options) -> int:
    """Check every seal of the audit trail; exit 1 and name the first bad row if any."""
    with acting(options) as session:
        verdict = session.casebook.verify_audit(session)
    if verdict.ok:
        click.echo(t("cli.audit_ok", rows=number(verdict.rows)))
        return 0
    click.echo(
        t("cli.audit_bad", row=verdict.bad_row, reason=t(f"audit.reason.{verdict.reason}"), rows=number(verdict.rows)),
        err=True,
    )
    return 1


@audit.command("show")
@click.option("--limit", default=50, show_default=True, type=COUNT, help="How many rows.")
@click.option("--offset", default=0, type=OFFSET, help="Skip this many of the newest rows.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per row.")
@click.option("--resolve", is_flag=True, help="Name the employees the rows refer to (administrators only).")
@click.pass_obj
def audit_show(options: Options, limit: int, offset: int, as_json: bool, resolve: bool) -> int:
    """List the newest rows of the audit trail, oldest of them first.

    Rows name employees by reference (employee:12); --resolve names them, for an administrator.
    """
    with acting(options) as session:
        book = session.casebook
        rows = list(reversed(book.audit_rows(session, limit=limit, offset=offset)))
        names = audit_trail.resolve_references(session, rows) if resolve else {}

        def subject(value: str | None) -> str | None:
            return f"{value} ({names[value]})" if value in names else value

        if as_json:
            for row in rows:
                data = row.model_dump(mode="json")
                if value := names.get(row.subject or ""):
                    data["subject_name"] = value
                click.echo(json.dumps(data, ensure_ascii=False))
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
                table(
                    headers,
                    [
                        [
                            str(r.id),
                            book.local_time_text(r.at),
                            r.actor or "-",
                            r.action,
                            subject(r.subject) or "-",
                            json.dumps(r.detail, ensure_ascii=False, sort_keys=True),
                        ]
                        for r in rows
                    ],
                )
            )
    return 0


@click.group()
def setting() -> None:
    """Show or change the casebook's settings (administrators change them)."""


@setting.command("show")
@click.pass_obj
def setting_show(options: Options) -> int:
    """Show every setting with its value."""
    with acting(options) as session:
        for key, value in settings.all_values(session).items():
            shown = settings.as_text(key, value)
            click.echo(f"{key} = {shown}    # {t(f'setting.{key}.label')}; {t(f'setting.{key}.rule')}")
    return 0


@setting.command("set")
@click.argument("key")
@click.argument("value")
@click.pass_obj
def setting_set(options: Options, key: str, value: str) -> int:
    """Change a setting."""
    with acting(options) as session:
        new = settings.set_value(session, key, value)
        click.echo(t("cli.setting_set", key=key, value=settings.as_text(key, new)))
    return 0
