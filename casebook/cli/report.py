"""`casebook report KIND`: the documents and reports, one subcommand per entry of the registry.

Every kind takes `--format`, `--out FILE` and `--force`; a kept kind (the GDPR's documents) also
`--version N` (an earlier version as it was made) and `--versions` (the list); a report of a period
(board, evaluation, receipts) `--from DATE --to DATE`. Markdown, CSV and JSON go to stdout without
`--out`; a PDF needs `--out`. Messages go to stderr, so stdout holds the document only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from casebook import clock as clocks
from casebook import exports
from casebook.cli.common import ID, Options, acting, table
from casebook.documents import archive, reports
from casebook.documents.reports import ReportKind
from casebook.formatting import long_date
from casebook.i18n import t
from casebook.logs.rollups import Period
from casebook.plaintext import inert
from casebook.session import Session


@click.group("report")
def report_group() -> None:
    """Documents made from what the casebook knows: the GDPR's notice, record and impact assessment, and the
    reports of a period to the board, to the consultation body and (receipts) to HR."""


class DayType(click.ParamType):
    name = "DATE"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> object:
        if not isinstance(value, str):
            return value
        try:
            return clocks.parse_day(value)
        except ValueError:
            self.fail(t("cli.bad_date", value=value), param, ctx)


DAY = DayType()


def _format(fmt: str | None, out: Path | None, kind: ReportKind) -> str:
    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out is not None else ""
        fmt = suffix if suffix in kind.formats else kind.formats[0]
    if fmt == "pdf" and out is None:
        raise click.UsageError(t("cli.report_pdf_needs_out"))
    return fmt


def _title(kind: ReportKind) -> str:
    return t(f"documents.kind.{kind.key}")


def _versions(session: Session, kind: ReportKind) -> int:
    found = archive.history(session, kind.name)
    if not found:
        click.echo(t("cli.report_no_versions", kind=_title(kind)))
        return 0
    rows = [
        [str(v.version), session.casebook.local_time_text(v.made_at), v.made_by, str(v.policy_version)] for v in found
    ]
    headers = [t("cli.col.version"), t("cli.col.made_at"), t("cli.col.made_by"), t("cli.col.policy_version")]
    click.echo(table(headers, rows))
    return 0


def _params(kind: ReportKind, kept: archive.Kept) -> dict[str, object]:
    return {
        "kind": _title(kind),
        "version": kept.version,
        "policy": kept.policy_version,
        "date": long_date(clocks.local(kept.made_at).date()),
    }


def _say(kind: ReportKind, made: archive.Made, maker: bool) -> None:
    params = _params(kind, made.kept)
    if made.new:
        click.echo(t("cli.report_made", **params), err=True)
    else:
        click.echo(t("cli.report_unchanged" if maker else "cli.report_kept", **params), err=True)


def _command(kind: ReportKind) -> click.Command:
    def run(
        options: Options,
        fmt: str | None,
        out: Path | None,
        force: bool,
        version: int | None = None,
        list_versions: bool = False,
        first: date | None = None,
        last: date | None = None,
    ) -> int:
        if out is not None and str(out) == exports.STDOUT:
            out = None  # `--out -`: stdout, as without --out
        chosen = None if list_versions else _format(fmt, out, kind)
        period = None
        if kind.periodic:
            assert first is not None and last is not None  # required options
            if last < first:
                raise click.BadParameter(t("refused.report_period"), param_hint="'--to'")
            period = Period(first, last)
        with acting(options) as session:
            if list_versions:
                return _versions(session, kind)
            assert chosen is not None
            if out is not None:  # a target refused before anything is made for it
                exports.output_path(session, out, force=force)
            if not kind.kept:
                document = reports.build(session, kind.name, period)
                data = reports.render(document, chosen)
                missing = document.missing
            else:
                if version is not None:
                    made = archive.Made(archive.get(session, kind.name, version), new=False)
                    click.echo(t("cli.report_kept", **_params(kind, made.kept)), err=True)
                else:
                    made = archive.produce(session, kind.name)
                    _say(kind, made, maker=kind.make is not None and session.may(kind.make))
                data = made.kept.render(chosen)
                missing = made.kept.document.missing
            written = exports.write_export(session, kind.read, out, data, force=force) if out is not None else None
        if missing:
            click.echo(t("cli.report_missing", count=len(missing), facts=", ".join(missing)), err=True)
        if written is None:
            click.echo(inert(data.decode("utf-8")), nl=False)
        else:
            click.echo(t("cli.report_written", path=str(written)), err=True)
        return 0

    params: list[click.Parameter] = [
        click.Option(
            ["--format", "fmt"],
            type=click.Choice(kind.formats),
            default=None,
            help="Format (default: from --out's suffix, else Markdown). A PDF needs --out.",
        ),
        click.Option(
            ["--out"],
            type=click.Path(path_type=Path, dir_okay=False),
            help="File to write (default: Markdown to stdout). Never a file of the casebook.",
        ),
        click.Option(["--force"], is_flag=True, help="Overwrite --out if it exists."),
    ]
    if kind.periodic:
        params = [
            click.Option(["--from", "first"], type=DAY, required=True, help="The period's first day."),
            click.Option(["--to", "last"], type=DAY, required=True, help="The period's last day (included)."),
            *params,
        ]
    if kind.kept:
        params += [
            click.Option(["--version", "version"], type=ID, help="An earlier version, exactly as it was made."),
            click.Option(["--versions", "list_versions"], is_flag=True, help="List the versions made so far."),
        ]
    return click.Command(
        kind.name,
        callback=click.pass_obj(run),
        params=params,
        help=kind.summary,
    )


for _kind in reports.REPORTS.values():
    report_group.add_command(_command(_kind))
