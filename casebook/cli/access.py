"""`casebook access ...`, `casebook purge`, `casebook hold ...`: the employee's rights and retention."""

from __future__ import annotations

import json
import sys

import click

from casebook import access, exports, retention
from casebook.access import rectify
from casebook.cli.common import ID, Options, acting, table
from casebook.clock import local_text, parse_day
from casebook.formatting import number
from casebook.i18n import t
from casebook.permissions import Action

KINDS = click.Choice([k.value for k in access.Kind])
DECISIONS = {"granted": access.Status.GRANTED, "partly": access.Status.PARTLY, "refused": access.Status.REFUSED}


def _line(request: access.Request, today) -> list[str]:  # type: ignore[no-untyped-def]
    overdue = t("access.overdue") if request.overdue(today) else ""
    return [
        str(request.id),
        t(f"access.kind.{request.kind.value}"),
        request.employee_email,
        t(f"access.status.{request.status.value}"),
        request.received_on.isoformat(),
        request.due_on.isoformat(),
        overdue,
    ]


@click.group("access")
def access_group() -> None:
    """Employees' requests: information, access, rectification, erasure, objection (GDPR)."""


@access_group.command("request")
@click.argument("kind", type=KINDS)
@click.option("--for", "for_email", metavar="EMAIL", help="File it on this employee's behalf (administrators).")
@click.option("--identity-checked", default="", metavar="HOW", help="How their identity was checked (with --for).")
@click.option("--text", default="", help="What the employee asks, in their words.")
@click.option("--received", default=None, metavar="DATE", help="When it was received (default: today).")
@click.option("--json", "as_json", is_flag=True, help="The request as one JSON object.")
@click.pass_obj
def access_request(
    options: Options,
    kind: str,
    for_email: str | None,
    identity_checked: str,
    text: str,
    received: str | None,
    as_json: bool,
) -> int:
    """File a request: your own, or (administrators) an employee's, with how their identity was checked."""
    with acting(options) as session:
        day = parse_day(received) if received else None
        request = access.file(
            session, access.Kind(kind), text=text, for_email=for_email, identity_check=identity_checked, received_on=day
        )
        today = session.today()
    if as_json:
        click.echo(json.dumps(request.as_json(today), ensure_ascii=False))
    else:
        click.echo(
            t(
                "access.filed",
                id=request.id,
                kind=t(f"access.kind.{request.kind.value}"),
                due=request.due_on.isoformat(),
            )
        )
    return 0


@access_group.command("list")
@click.option("--due", "only_due", is_flag=True, help="Only the requests still waiting for an answer.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per request.")
@click.pass_obj
def access_list(options: Options, only_due: bool, as_json: bool) -> int:
    """List the requests, the most urgent first; overdue ones are marked."""
    with acting(options) as session:
        found = access.listing(session, only_due=only_due, limit=100_000)
        today = session.today()
    if as_json:
        for request in found:
            click.echo(json.dumps(request.as_json(today), ensure_ascii=False))
        return 0
    if not found:
        click.echo(t("access.none"))
        return 0
    headers = [
        "id",
        t("access.col.kind"),
        t("access.col.employee"),
        t("access.col.status"),
        t("access.col.received"),
        t("access.col.due"),
        "",
    ]
    click.echo(table(headers, [_line(r, today) for r in found]))
    late = sum(r.overdue(today) for r in found)
    if late:
        click.echo(t("access.overdue_count", count=late))
    return 0


@access_group.command("show")
@click.argument("request_id", type=ID)
@click.option("--json", "as_json", is_flag=True, help="The request and its answer as one JSON object.")
@click.pass_obj
def access_show(options: Options, request_id: int, as_json: bool) -> int:
    """A request; for an access or information request, its answer (a preview until it is granted)."""
    with acting(options) as session:
        request = access.get(session, request_id)
        today = session.today()
        answer = (
            access.as_json(session, request_id)
            if request.kind in (access.Kind.ACCESS, access.Kind.INFORMATION)
            else None
        )
        made = rectify.made(session, request_id) if request.kind is access.Kind.RECTIFICATION else []
    if as_json:
        shown = {**request.as_json(today), "answer": answer}
        if request.kind is access.Kind.RECTIFICATION:
            shown["rectifications"] = [record.as_json() for record in made]
        click.echo(json.dumps(shown, ensure_ascii=False))
        return 0
    click.echo(
        table(
            [
                "id",
                t("access.col.kind"),
                t("access.col.employee"),
                t("access.col.status"),
                t("access.col.received"),
                t("access.col.due"),
                "",
            ],
            [_line(request, today)],
        )
    )
    for label, value in (("access.extension", request.extension_reason), ("access.decision", request.decision_reason)):
        if value:
            click.echo(t(label, reason=value))
    for record in made:
        when = local_text(record.made_at)
        if record.kind == "annotation":
            click.echo(t("access.show.annotation", id=record.id, at=when, by=record.made_by, text=record.text))
            continue
        click.echo(t("access.show.correction", id=record.id, at=when, by=record.made_by, note=record.text))
        for line in _changes(record):
            click.echo(f"  {line}")
    if answer is not None:
        click.echo()
        for item in answer["information"]:
            click.echo(f"{item['heading']}: {item['text']}")
        if answer["counts"]:
            click.echo(t("access.counts", **{k: number(v) for k, v in answer["counts"].items()}))
    return 0


@access_group.command("extend")
@click.argument("request_id", type=ID)
@click.option("--reason", required=True, help="Why two more months are needed (before the first month ends).")
@click.pass_obj
def access_extend(options: Options, request_id: int, reason: str) -> int:
    """Extend the answer's deadline by two months, once, with its reason (GDPR 12(3))."""
    with acting(options) as session:
        request = access.extend(session, request_id, reason)
    click.echo(t("access.extended", id=request.id, due=request.due_on.isoformat()))
    return 0


@access_group.command("decide")
@click.argument("request_id", type=ID)
@click.argument("decision", type=click.Choice(list(DECISIONS)))
@click.option("--reason", default="", help="Why (required for partly and refused).")
@click.pass_obj
def access_decide(options: Options, request_id: int, decision: str, reason: str) -> int:
    """Grant, partly grant or refuse a request; granting an erasure erases."""
    with acting(options) as session:
        request = access.decide(session, request_id, DECISIONS[decision], reason)
    click.echo(t("access.decided", id=request.id, status=t(f"access.status.{request.status.value}")))
    return 0


def _changes(record: rectify.Rectification) -> list[str]:
    """'IP-adressen: 10.0.0.5@2026-01-01.. → 10.0.0.5@2026-01-01..2026-10-31', one line per field changed."""
    return [
        t(
            "rectify.change",
            field=t(f"rectify.field.{name}"),
            before=rectify.shown(record.before[name]) or t("rectify.empty"),
            after=rectify.shown(record.after[name]) or t("rectify.empty"),
        )
        for name in record.fields
    ]


@access_group.command("rectify")
@click.argument("request_id", type=ID)
@click.option("--name", default=None, metavar="TEXT", help="The person's name.")
@click.option("--department", default=None, metavar="TEXT", help="Their department ('' for none).")
@click.option("--proxy-user", default=None, metavar="USER", help="Their proxy user name ('' for none).")
@click.option("--mail-addresses", default=None, metavar='"A;B"', help="Their other mail addresses, all of them.")
@click.option(
    "--ips", default=None, metavar='"IP@FROM..TO;IP"', help="Their IP addresses with their periods, all of them."
)
@click.option("--note", required=True, help="What is corrected and why.")
@click.option("--json", "as_json", is_flag=True, help="The correction as one JSON object (before and after).")
@click.pass_obj
def access_rectify(
    options: Options,
    request_id: int,
    name: str | None,
    department: str | None,
    proxy_user: str | None,
    mail_addresses: str | None,
    ips: str | None,
    note: str,
    as_json: bool,
) -> int:
    """Correct the directory entry of a rectification request's employee; only the options given change.

    The values are written as in the directory's CSV; an identifier another person holds in the same
    period is refused.
    """
    given = {
        "name": name,
        "department": department,
        "proxy_user": proxy_user,
        "mail_addresses": mail_addresses,
        "ips": ips,
    }
    changes = {field: value for field, value in given.items() if value is not None}
    if not changes:
        raise click.UsageError(t("cli.access.rectify_nothing_given"))
    with acting(options) as session:
        record = rectify.correct(session, request_id, changes, note)
    if as_json:
        click.echo(json.dumps(record.as_json(), ensure_ascii=False))
        return 0
    click.echo(t("access.rectified", id=record.request_id, record=record.id))
    for line in _changes(record):
        click.echo(f"  {line}")
    return 0


@access_group.command("annotate")
@click.argument("request_id", type=ID)
@click.option("--text", required=True, help="The employee's statement on their data, in their words.")
@click.option("--json", "as_json", is_flag=True, help="The statement's record as one JSON object.")
@click.pass_obj
def access_annotate(options: Options, request_id: int, text: str, as_json: bool) -> int:
    """Add the employee's statement to their data under a rectification request; access answers show it."""
    with acting(options) as session:
        record = rectify.annotate(session, request_id, text)
    if as_json:
        click.echo(json.dumps(record.as_json(), ensure_ascii=False))
    else:
        click.echo(t("access.annotated", id=record.request_id, record=record.id))
    return 0


@access_group.command("export")
@click.argument("request_id", type=ID)
@click.option("--format", "fmt", type=click.Choice(["json", "md"]), required=True)
@click.option("--out", "out", required=True, metavar="FILE", help="Where to write it ('-': standard output).")
@click.option("--force", is_flag=True, help="Write over an existing file (never over the casebook's own).")
@click.pass_obj
def access_export(options: Options, request_id: int, fmt: str, out: str, force: bool) -> int:
    """Write the answer to an access request (JSON or readable Markdown) to hand it to the employee."""
    with acting(options) as session:
        text = (
            json.dumps(access.as_json(session, request_id), ensure_ascii=False, indent=2) + "\n"
            if fmt == "json"
            else access.as_markdown(session, request_id)
        )
        # The answer was read under the one or the other; the file is written under the same.
        needs = Action.REQUEST_MANAGE if session.may(Action.REQUEST_MANAGE) else Action.REQUEST_OWN
        path = exports.write_export(session, needs, out, text, force=force)
    if path is None:  # `--out -`
        sys.stdout.write(text)
        return 0
    click.echo(t("access.exported", path=str(path)), err=True)
    return 0


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: per table the rows deleted, and the cut-off.")
@click.pass_obj
def purge(options: Options, dry_run: bool, as_json: bool) -> int:
    """Delete what is past the policy's retention period (held evidence excepted)."""
    with acting(options) as session:
        report = retention.purge(session, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return 0
    key = "retention.dry_run" if dry_run else "retention.purged"
    click.echo(t(key, cutoff=report.cutoff.date().isoformat(), count=sum(report.counts.values())))
    rows = [[name, number(n)] for name, n in sorted(report.counts.items()) if n]
    if rows:
        click.echo(table([t("retention.col.table"), t("retention.col.rows")], rows))
    return 0


@click.group("hold")
def hold_group() -> None:
    """Legal holds: a case's evidence kept past the retention period until released."""


@hold_group.command("add")
@click.argument("case_id", type=ID)
@click.option("--reason", required=True, help="Why the evidence must be kept (a dispute, a claim).")
@click.pass_obj
def hold_add(options: Options, case_id: int, reason: str) -> int:
    """Put a case's evidence on legal hold."""
    with acting(options) as session:
        retention.add_hold(session, case_id, reason)
    click.echo(t("retention.held", case=case_id))
    return 0


@hold_group.command("release")
@click.argument("case_id", type=ID)
@click.pass_obj
def hold_release(options: Options, case_id: int) -> int:
    """Release a case's hold: its evidence follows the retention period again."""
    with acting(options) as session:
        retention.release_hold(session, case_id)
    click.echo(t("retention.released", case=case_id))
    return 0


@hold_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hold.")
@click.pass_obj
def hold_list(options: Options, as_json: bool) -> int:
    """The holds in force, oldest first, with their age."""
    with acting(options) as session:
        found = retention.holds(session)
        today = session.today()
    if as_json:
        for hold in found:
            click.echo(
                json.dumps(
                    {
                        "case": hold.case_id,
                        "reason": hold.reason,
                        "placed_by": hold.placed_by,
                        "placed_on": hold.placed_at.date().isoformat(),
                        "age_days": hold.age_days(today),
                    },
                    ensure_ascii=False,
                )
            )
        return 0
    if not found:
        click.echo(t("retention.no_holds"))
        return 0
    click.echo(
        table(
            [t("retention.col.case"), t("retention.col.reason"), t("retention.col.by"), t("retention.col.age")],
            [[str(h.case_id), h.reason, h.placed_by, t("retention.days", count=h.age_days(today))] for h in found],
        )
    )
    return 0
