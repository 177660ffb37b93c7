"""`casebook policy …`, `casebook employees …`, `casebook receipts …`: the policy from the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from casebook import employees, exports, files
from casebook.cli.common import ID, Options, acting, table
from casebook.clock import parse_day
from casebook.errors import CasebookError
from casebook.formatting import number
from casebook.i18n import t
from casebook.paths import CasebookFiles, resolve_home
from casebook.permissions import Action
from casebook.policy import consultation, fields, readiness, receipts, versions
from casebook.policy import document as policy_document
from schema.policy import Body

MISSING = "[" + "{}" + "?]"


def _read_file(path: Path, options: Options) -> str:
    """A file named on the command line: whatever the shell may read, except the casebook's own files."""
    files.refuse_own_file(CasebookFiles(resolve_home(options.home)), path, writing=False)
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        raise CasebookError("cli.file_missing", path=str(path)) from None
    except UnicodeDecodeError:
        raise CasebookError("cli.file_not_utf8", path=str(path)) from None
    except OSError as exc:
        raise CasebookError("cli.file_unreadable", path=str(path), detail=exc.strerror or str(exc)) from None


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_day(text)
    except ValueError:
        raise click.BadParameter(t("cli.bad_date", value=text)) from None


@click.group()
def policy() -> None:
    """The usage policy: its text, its fields, its readiness."""


@policy.command("show")
@click.argument("section", required=False)
@click.option("--version", "version", type=ID, help="An earlier version (default: the current one).")
@click.pass_obj
def policy_show(options: Options, section: str | None, version: int | None) -> int:
    """Print the policy, or one SECTION (e.g. controle/2.5, 2.5, or a part: gebruik, controle, ...)."""
    with acting(options) as session:
        current = versions.read(session, version)
        if section is None:
            click.echo(receipts.rendered(current, missing=MISSING), nl=False)
            return 0
        doc = current.document
        found = doc.find(section)
        if not found:
            raise CasebookError("cli.no_section", section=section, known=", ".join(s.key for s in doc.sections))
        for match in found:
            for part in doc.within(match):
                click.echo(f"{'#' * (part.level + 1)} {part.heading}   ({part.key})\n")
                for block in part.blocks:
                    if not policy_document.visible(block, current.settings):
                        continue
                    for line in block.lines:
                        text = policy_document.plain_text(line, current.settings, missing=MISSING)
                        click.echo(f"- {text}" if block.kind == "list" else text)
                    click.echo()
                notes = sorted({ref for block in part.blocks for ref in block.notes}, key=lambda r: (len(r), r))
                for ref in notes:
                    click.echo(f"[{ref}] {doc.notes[ref]}")
                if notes:
                    click.echo()
    return 0


@policy.command("check")
@click.pass_obj
def policy_check(options: Options) -> int:
    """Say whether the policy is ready for a lawful control; exit 1 with what blocks it."""
    with acting(options) as session:
        result = readiness.check(session)
    for warning in result.warnings:
        click.echo(t("cli.policy_warning", message=warning.message), err=True)
    if result.ready:
        click.echo(t("cli.policy_ready", version=result.version))
        return 0
    click.echo(t("cli.policy_not_ready", version=result.version, count=len(result.blockers)))
    for blocker in result.blockers:
        click.echo(f"- {blocker.message}")
    return 1


@policy.command("load")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def policy_load(options: Options, file: Path) -> int:
    """Replace the policy text by FILE (the policy Markdown); the filled-in fields carry over."""
    text = _read_file(file, options)
    with acting(options) as session:
        before = versions.read(session).version
        loaded = versions.load_text(session, text)
        unused = sorted(set(fields.SETTINGS) - set(loaded.asked()))
    if loaded.version == before:
        click.echo(t("cli.policy_same", version=loaded.version))
    else:
        click.echo(t("cli.policy_loaded", version=loaded.version, sections=number(len(loaded.document.sections))))
    if unused:
        click.echo(t("cli.policy_unused", fields=", ".join(unused)))
    return 0


@policy.command("fields")
@click.pass_obj
def policy_fields(options: Options) -> int:
    """List the fields the policy asks, with their values."""
    with acting(options) as session:
        current = versions.read(session)
    rows = []
    for name in current.asked():
        spec = fields.SETTINGS[name]
        empty = fields.is_empty(current.settings, name)
        state = t("cli.field_missing") if empty and spec.required else ("" if not empty else "-")
        rows.append([name, t(f"policy.field.{name}.label"), fields.show_value(current.settings, name) or state])
    click.echo(table([t("cli.col.field"), t("cli.col.label"), t("cli.col.value")], rows))
    return 0


@policy.command("set")
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.pass_obj
def policy_set(options: Options, assignments: tuple[str, ...]) -> int:
    """Fill in fields (administrators); all are checked before any is saved. A new version results."""
    typed: dict[str, str] = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise click.BadParameter(t("cli.bad_assignment", value=assignment))
        typed[name.strip()] = value
    with acting(options) as session:
        before = versions.read(session).version
        after = versions.update_settings(session, typed)
        result = readiness.check(session)
    if after.version == before:
        click.echo(t("cli.policy_same", version=after.version))
    else:
        click.echo(t("cli.policy_saved", version=after.version))
    for warning in result.warnings:
        click.echo(t("cli.policy_warning", message=warning.message), err=True)
    return 0


@policy.command("versions")
@click.pass_obj
def policy_versions(options: Options) -> int:
    """List every version of the policy."""
    with acting(options) as session:
        book = session.casebook
        rows = [
            [
                str(v.version),
                book.local_time_text(v.created_at),
                v.created_by or "casebook",
                t(f"policy.change.{v.change}"),
            ]
            for v in versions.history(session)
        ]
    click.echo(table([t("cli.col.version"), t("audit.col.at"), t("audit.col.actor"), t("cli.col.change")], rows))
    return 0


_BODIES = click.Choice([b.value for b in Body])


def _body(text: str) -> Body:
    return Body(text)


@policy.command("inform")
@click.option("--body", "body", type=_BODIES, required=True, help="Who was informed (CAO 81 art. 7's order).")
@click.option("--date", "held_on", required=True, help="When (the meeting, the letter, the notice).")
@click.option("--presented", required=True, help="What was presented: the control system, or what changed.")
@click.option("--version", "version", type=ID, help="The policy version presented (default: current).")
@click.pass_obj
def policy_inform(options: Options, body: str, held_on: str, presented: str, version: int | None) -> int:
    """Record that the consultation body was informed of the control system (art. 7 and 9)."""
    day = _date(held_on)
    assert day is not None
    with acting(options) as session:
        done = consultation.record_information(session, _body(body), day, presented, version)
        result = readiness.check(session)
    click.echo(
        t("cli.informed", body=t(f"body.{done.body.value}"), date=done.held_on.isoformat(), version=done.policy_version)
    )
    click.echo(
        t("cli.policy_ready", version=result.version)
        if result.ready
        else t("cli.policy_not_ready", version=result.version, count=len(result.blockers))
    )
    return 0


@policy.command("evaluate")
@click.option("--body", "body", type=_BODIES, required=True, help="With whom the control system was evaluated.")
@click.option("--date", "held_on", required=True, help="When.")
@click.option("--discussed", required=True, help="What was discussed (proportionality, figures, complaints...).")
@click.option("--changes", default="", help="The changes decided, if any.")
@click.pass_obj
def policy_evaluate(options: Options, body: str, held_on: str, discussed: str, changes: str) -> int:
    """Record an evaluation of the control system with the consultation body (art. 10)."""
    day = _date(held_on)
    assert day is not None
    with acting(options) as session:
        done = consultation.record_evaluation(session, _body(body), day, discussed, changes)
    click.echo(t("cli.evaluated", body=t(f"body.{done.body.value}"), date=done.held_on.isoformat()))
    return 0


@policy.command("consultations")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per record.")
@click.pass_obj
def policy_consultations(options: Options, as_json: bool) -> int:
    """List when the body was informed (and of which version) and when the system was evaluated."""
    with acting(options) as session:
        informed = consultation.informations(session)
        evaluated = consultation.evaluations(session)
    if as_json:
        for i in informed:
            click.echo(
                json.dumps(
                    {
                        "kind": "information",
                        "body": i.body.value,
                        "date": i.held_on.isoformat(),
                        "version": i.policy_version,
                        "presented": i.presented,
                    },
                    ensure_ascii=False,
                )
            )
        for e in evaluated:
            click.echo(
                json.dumps(
                    {
                        "kind": "evaluation",
                        "body": e.body.value,
                        "date": e.held_on.isoformat(),
                        "discussed": e.discussed,
                        "changes": e.changes,
                    },
                    ensure_ascii=False,
                )
            )
        return 0
    rows = [
        [
            i.held_on.isoformat(),
            t("cli.consultation.information"),
            t(f"body.{i.body.value}"),
            f"v{i.policy_version}: {i.presented}",
        ]
        for i in informed
    ]
    rows += [
        [
            e.held_on.isoformat(),
            t("cli.consultation.evaluation"),
            t(f"body.{e.body.value}"),
            e.discussed + (f" → {e.changes}" if e.changes else ""),
        ]
        for e in evaluated
    ]
    if not rows:
        click.echo(t("cli.consultation.none"))
        return 0
    rows.sort(key=lambda r: r[0], reverse=True)
    click.echo(table([t("cli.col.date"), t("cli.col.kind"), t("cli.col.body"), t("cli.col.what")], rows))
    return 0


@click.group("employees")
def employees_group() -> None:
    """The employee directory and the identifiers by which they appear in logs."""


@employees_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def employees_import(options: Options, file: Path) -> int:
    """Import the directory from a CSV (name, email, department, proxy_user, mail_addresses, ips)."""
    text = _read_file(file, options)
    with acting(options) as session:
        report = employees.import_csv(session, text)
    if report.saved:
        click.echo(
            t(
                "cli.employees_imported",
                rows=number(report.rows),
                added=number(report.added),
                updated=number(report.updated),
            )
        )
        for kept in report.kept:
            fields = ", ".join(t(f"rectify.field.{name}") for name in kept.fields)
            click.echo(t("cli.employees_kept", line=kept.line, email=kept.email, fields=fields))
        return 0
    click.echo(t("cli.employees_refused", count=len(report.errors)), err=True)
    for error in report.errors:
        click.echo(t("cli.row_error", line=error.line, message=error.message), err=True)
    return 1


@employees_group.command("list")
@click.pass_obj
def employees_list(options: Options) -> int:
    """List the employees: names and departments; for the administrator also e-mail and identifiers."""
    with acting(options) as session:
        people = employees.list_employees(session)
        keeper = session.may(Action.MANAGE_EMPLOYEES)
    if not keeper:
        click.echo(table([t("users.col.full_name"), t("cli.col.department")], [[e.name, e.department] for e in people]))
        return 0
    rows = [
        [
            e.name,
            e.email,
            e.department,
            ", ".join(f"{i.kind}:{i.shown()}" for i in e.identifiers if (i.kind, i.value) != ("mail", e.email)),
        ]
        for e in people
    ]
    click.echo(table([t("users.col.full_name"), "e-mail", t("cli.col.department"), t("cli.col.identifiers")], rows))
    return 0


@click.group("receipts")
def receipts_group() -> None:
    """Who received which version of the policy."""


@receipts_group.command("list")
@click.option("--missing", is_flag=True, help="Only those who have not received the current version.")
@click.pass_obj
def receipts_list(options: Options, missing: bool) -> int:
    """List each employee's receipt of the policy."""
    with acting(options) as session:
        rows_in = receipts.missing(session) if missing else receipts.statuses(session)
        keeper = session.may(Action.MANAGE_EMPLOYEES)
    rows = [
        [
            s.employee.name,
            *([s.employee.email] if keeper else [s.employee.department]),
            f"v{s.version}" if s.version else "-",
            s.received_on.isoformat() if s.received_on else "-",
            t("common.yes") if s.covers_current else t("common.no"),
        ]
        for s in rows_in
    ]
    second = "e-mail" if keeper else t("cli.col.department")
    click.echo(
        table(
            [t("users.col.full_name"), second, t("cli.col.version"), t("cli.col.received"), t("cli.col.current")],
            rows,
        )
    )
    return 0


@receipts_group.command("record")
@click.argument("email")
@click.option("--version", type=ID, help="Policy version received (default: the current one).")
@click.option("--date", "when", help="Date received (default: today).")
@click.option("--method", type=click.Choice(receipts.METHODS), default="paper", show_default=True)
@click.pass_obj
def receipts_record(options: Options, email: str, version: int | None, when: str | None, method: str) -> int:
    """Record that the employee with EMAIL received the policy."""
    with acting(options) as session:
        status = receipts.record(session, email, version=version, received_on=_date(when), method=method)
    click.echo(t("cli.receipt_recorded", email=status.employee.email, version=status.version))
    return 0


@receipts_group.command("export")
@click.argument("email")
@click.option(
    "--out", metavar="FILE", help="File to write; '-' or none: stdout. Never over an existing file without --force."
)
@click.option("--force", is_flag=True, help="Write over an existing --out file.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["txt", "md"]),
    default=None,
    help="Text or Markdown (default: from --out's suffix, else text).",
)
@click.option("--place", default="", help="Place of signing (default: a blank to fill in by hand).")
@click.option("--date", "when", help="Date of signing (default: a blank to fill in by hand).")
@click.pass_obj
def receipts_export(
    options: Options, email: str, out: str | None, force: bool, fmt: str | None, place: str, when: str | None
) -> int:
    """Write the filled-in receipt (ONTVANGSTBEWIJS) for one employee, to print and sign."""
    out = out or exports.STDOUT
    markdown = (fmt or Path(out).suffix.lstrip(".") or "txt") == "md"
    with acting(options) as session:
        form = receipts.receipt_form(session, email, place=place, when=_date(when), markdown=markdown)
        written = exports.write_export(session, Action.VIEW_RECEIPTS, out, form, force=force)
    if written is None:
        click.echo(form, nl=False)
        return 0
    click.echo(t("cli.receipt_written", path=str(written)))
    return 0
